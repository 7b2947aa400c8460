"""Ingest a chunk at a time: the rows stored do not depend on the chunk size, every format streams with exact
row references, a bad row in a later chunk keeps the chunks before it, and a run killed mid-ingest resumes
to exactly the rows of an uninterrupted run."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap

import polars as pl
import pytest

from acecoder.core.store import Store
from acecoder.stages.ingest import IngestConfig, IngestError, ingest
from acecoder.stages.ingest.decontam import BenchmarkIndex

WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "total",
    "count",
    "index",
    "value",
    "item",
    "node",
    "edge",
    "weight",
    "score",
    "limit",
    "offset",
]
COLUMNS = [
    "row_ref",
    "source_id",
    "question",
    "solution",
    "entry_point",
    "near_dup_of",
    "contamination_reason",
]


@pytest.fixture(scope="module")
def index(benchmark_tasks):
    return BenchmarkIndex.build(benchmark_tasks, 13)


def function(rng: random.Random, i: int) -> str:
    args = rng.sample(WORDS, 2)
    lines = [f"def {rng.choice(WORDS)}_{i}({args[0]}: int, {args[1]}: int) -> int:"]
    local = list(args)
    for _ in range(rng.randint(6, 10)):
        target = f"{rng.choice(WORDS)}{rng.randint(0, 99)}"
        lines.append(
            f"    {target} = {rng.choice(local)} {rng.choice('+-*%')} {rng.choice(local + [str(i)])}"
        )
        local.append(target)
    return "\n".join([*lines, f"    return {local[-1]}"]) + "\n"


def corpus(n: int, humaneval_prompt: str, seed: int = 5) -> list[dict[str, str]]:
    """Unique rows with exact duplicates, near duplicates (some of near duplicates), prose, and benchmark
    prompts, spread so that chunks of a few rows split every kind from its original."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.08 and rows:
            rows.append(dict(rng.choice(rows)))
        elif roll < 0.2 and rows:
            earlier = rng.choice(rows)
            rows.append(
                {
                    "problem": earlier["problem"],
                    "solution": earlier["solution"].replace("\n    return", "\n    # done\n    return", 1),
                }
            )
        elif roll < 0.24:
            rows.append({"problem": f"Explain {rng.choice(WORDS)} {i}.", "solution": "It depends. " * 4})
        else:
            problem = humaneval_prompt if roll < 0.27 else f"Compute the {rng.choice(WORDS)} figure {i}."
            rows.append({"problem": problem, "solution": f"```python\n{function(rng, i)}```"})
    return rows


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def stored(db) -> pl.DataFrame:
    return db.con.sql(f"SELECT {', '.join(COLUMNS)} FROM sources ORDER BY row_ref").pl()


def test_chunked_stores_the_same_rows_as_one_chunk(tmp_path, index, benchmark_tasks):
    rows = corpus(120, benchmark_tasks[12].prompt)
    path = write_jsonl(tmp_path / "d.jsonl", rows)
    results, reports = {}, {}
    for chunk_rows in (7, 10_000):
        with Store(tmp_path / f"c{chunk_rows}.duckdb") as db:
            reports[chunk_rows] = ingest(
                str(path), db, IngestConfig(chunk_rows=chunk_rows), benchmark_index=index
            )
            results[chunk_rows] = stored(db)
    small, whole = reports[7], reports[10_000]
    assert small.chunks == 18 and whole.chunks == 1
    assert results[7].equals(results[10_000])
    # every kind of row is there to compare, across chunk boundaries
    assert whole.exact_duplicates > 5 and whole.near_duplicates > 5 and whole.contaminated > 2
    for name in ("read", "inserted", "exact_duplicates", "near_duplicates", "contaminated", "already_stored"):
        assert getattr(small, name) == getattr(whole, name), name
    # a near duplicate whose original lies in an earlier chunk
    near = (
        results[7]
        .filter(pl.col("near_dup_of").is_not_null())
        .join(
            results[7].select(pl.col("source_id").alias("near_dup_of"), pl.col("row_ref").alias("original")),
            on="near_dup_of",
        )
    )
    line = pl.col("row_ref").str.extract(r"line (\d+)").cast(int)
    original = pl.col("original").str.extract(r"line (\d+)").cast(int)
    assert near.filter((line - 1) // 7 > (original - 1) // 7).height > 0


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl", "json"])
def test_every_format_streams_with_exact_row_refs(tmp_path, store, index, fmt):
    rng = random.Random(1)
    frame = pl.DataFrame(
        {"q": [f"Compute figure {i}." for i in range(23)], "code": [function(rng, i) for i in range(23)]}
    )
    path = tmp_path / f"d.{fmt}"
    if fmt == "parquet":
        frame.write_parquet(path, row_group_size=4)
        expected = [f"{path}:row {i}" for i in range(1, 24)]
    elif fmt == "csv":
        frame.write_csv(path)
        expected = [f"{path}:row {i}" for i in range(2, 25)]  # the header is line 1
    elif fmt == "json":
        path.write_text(json.dumps(frame.to_dicts()))
        expected = [f"{path}:row {i}" for i in range(1, 24)]
    else:  # blank lines keep their numbers
        path.write_text(
            "".join(
                json.dumps(r) + "\n" + ("\n" if i % 5 == 0 else "") for i, r in enumerate(frame.to_dicts())
            )
        )
        lines = [n for n, text in enumerate(path.read_text().split("\n"), start=1) if text.strip()]
        expected = [f"{path}:line {n}" for n in lines]
    config = IngestConfig(question_field="q", solution_field="code", chunk_rows=5, near_dup_threshold=1.0)
    report = ingest(str(path), store, config, benchmark_index=index)
    assert report.chunks == 5 and report.inserted == 23
    refs = store.con.execute("SELECT row_ref, question FROM sources").fetchall()
    assert sorted(refs, key=lambda r: int(r[1].split()[-1][:-1])) == [
        (ref, f"Compute figure {i}.") for i, ref in enumerate(expected)
    ]


def test_limit_stops_reading_and_shuffle_reads_whole(tmp_path, store, index):
    rng = random.Random(2)
    rows = [{"problem": f"Figure {i}.", "solution": function(rng, i)} for i in range(30)]
    path = tmp_path / "d.jsonl"
    write_jsonl(path, rows)
    path.write_text(path.read_text() + "{not json\n")  # past the limit: never read
    report = ingest(str(path), store, IngestConfig(limit=12, chunk_rows=5), benchmark_index=index)
    assert report.read == 12 and report.chunks == 3
    with pytest.raises(IngestError, match="line 31: malformed JSON"):
        ingest(str(path), store, IngestConfig(limit=12, shuffle=True), benchmark_index=index)
    write_jsonl(path, rows)
    picked = []
    for chunk_rows in (4, 100):
        with Store(tmp_path / f"s{chunk_rows}.duckdb") as db:
            config = IngestConfig(limit=9, shuffle=True, seed=4, chunk_rows=chunk_rows)
            ingest(str(path), db, config, benchmark_index=index)
            picked.append(sorted(db.con.execute("SELECT row_ref FROM sources").fetchall()))
    assert picked[0] == picked[1] and len(picked[0]) == 9


def test_bad_row_in_a_later_chunk_keeps_earlier_chunks(tmp_path, store, index):
    rng = random.Random(3)
    rows = [{"problem": f"Figure {i}.", "solution": function(rng, i)} for i in range(25)]
    path = tmp_path / "d.jsonl"
    good = "".join(json.dumps(r) + "\n" for r in rows)
    lines = good.splitlines(keepends=True)
    lines[22] = '{"problem": "Figure 22.", "solution": "  "}\n'
    path.write_text("".join(lines))
    config = IngestConfig(chunk_rows=10)
    with pytest.raises(IngestError) as err:
        ingest(str(path), store, config, benchmark_index=index)
    assert f"{path}, line 23, field 'solution': missing or empty" in str(err.value)
    assert store.con.execute("SELECT count(*) FROM sources").fetchone()[0] == 20
    status, metrics = store.con.execute("SELECT status, metrics FROM runs WHERE stage = 'ingest'").fetchone()
    assert status == "failed" and json.loads(metrics)["inserted"] == 20
    path.write_text(good)
    again = ingest(str(path), store, config, benchmark_index=index)
    assert again.already_stored == 20 and again.inserted == 5
    with Store(tmp_path / "whole.duckdb") as whole:
        ingest(str(path), whole, config, benchmark_index=index)
        assert (
            stored(whole)
            .drop("row_ref")
            .sort("source_id")
            .equals(stored(store).drop("row_ref").sort("source_id"))
        )


def test_near_duplicates_of_rows_stored_before_the_index_or_under_another_threshold(tmp_path, store, index):
    rng = random.Random(4)
    base = function(rng, 1) + function(rng, 2).replace("def ", "def more_")
    ingest(str(write_jsonl(tmp_path / "a.jsonl", [{"content": base}])), store, benchmark_index=index)
    # a store written before the near-duplicate index existed: signed from the stored text on the next run
    store.con.execute("DELETE FROM source_lsh_bands; DELETE FROM source_minhash")
    near = base.replace("\n    return", "\n    # done\n    return", 1)
    report = ingest(str(write_jsonl(tmp_path / "b.jsonl", [{"content": near}])), store, benchmark_index=index)
    assert report.near_duplicates == 1
    assert store.con.execute("SELECT count(*) FROM source_minhash").fetchone()[0] == 2
    # another threshold bands the stored signatures its own way first
    nearer = near.replace("\n    return", "\n    # really done\n    return", 1)
    config = IngestConfig(near_dup_threshold=0.6)  # 16 bands of 4 where 0.85 takes 8 of 8
    report = ingest(
        str(write_jsonl(tmp_path / "c.jsonl", [{"content": nearer}])), store, config, benchmark_index=index
    )
    assert report.near_duplicates == 1
    banded = "SELECT scheme, count(DISTINCT source_id) FROM source_lsh_bands GROUP BY scheme ORDER BY scheme"
    assert store.con.execute(banded).fetchall() == [("16x4", 3), ("8x8", 2)]
    roots = store.con.execute(
        "SELECT DISTINCT near_dup_of FROM sources WHERE near_dup_of IS NOT NULL"
    ).fetchall()
    first = store.con.execute("SELECT source_id FROM sources WHERE row_ref LIKE '%a.jsonl%'").fetchone()
    assert roots == [first]  # the near duplicate of a near duplicate points at the kept row


def test_saved_and_streamed_datasets(tmp_path, store, index, monkeypatch):
    import datasets

    rng = random.Random(6)
    rows = {"problem": [f"Figure {i}." for i in range(11)], "solution": [function(rng, i) for i in range(11)]}
    saved = tmp_path / "saved"
    datasets.Dataset.from_dict(rows).save_to_disk(str(saved))
    report = ingest(str(saved), store, IngestConfig(chunk_rows=4), benchmark_index=index)
    assert report.inserted == 11 and report.chunks == 3
    assert store.con.execute("SELECT min(row_ref), max(row_ref) FROM sources").fetchone() == (
        f"{saved}:0",
        f"{saved}:9",
    )
    # a Hub id is streamed (`streaming=True`); offline, the id resolves to the same rows in a local file
    local = write_jsonl(
        tmp_path / "hub.jsonl", [dict(zip(rows, v, strict=True)) for v in zip(*rows.values(), strict=True)]
    )
    real = datasets.load_dataset
    calls = []

    def offline(dataset_id, split, streaming=False):
        calls.append((dataset_id, split, streaming))
        return real("json", data_files=str(local), split=split, streaming=streaming)

    monkeypatch.setattr(datasets, "load_dataset", offline)
    with Store(tmp_path / "hub.duckdb") as db:
        report = ingest("someone/code-rows", db, IngestConfig(chunk_rows=4), benchmark_index=index)
        assert calls == [("someone/code-rows", "train", True)]
        assert report.inserted == 11 and report.chunks == 3
        assert sorted(r[0] for r in db.con.execute("SELECT row_ref FROM sources").fetchall())[:2] == [
            "someone/code-rows:train:0",
            "someone/code-rows:train:1",
        ]


CHILD = textwrap.dedent(
    """
    import logging, sys
    from acecoder.core.store import Store
    from acecoder.stages.ingest import IngestConfig, ingest
    logging.basicConfig(stream=sys.stderr, format="%(message)s")
    logging.getLogger("acecoder.stages.ingest.pipeline").setLevel(logging.DEBUG)
    with Store(sys.argv[2]) as store:
        ingest(sys.argv[1], store, IngestConfig(chunk_rows=10, decontaminate=False))
    """
)


def test_kill_mid_ingest_then_rerun_stores_the_uninterrupted_rows(tmp_path):
    """The input is a named pipe the test writes into: the child commits three chunks and waits for more,
    and is killed there, with the rest of the input unread."""
    rows = corpus(60, "Return the longest string.", seed=9)
    lines = [json.dumps(r) + "\n" for r in rows]
    full = write_jsonl(tmp_path / "all.jsonl", rows)
    pipe = tmp_path / "pipe.jsonl"
    os.mkfifo(pipe)
    db = tmp_path / "killed.duckdb"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(pipe), str(db)], stderr=subprocess.PIPE, text=True
    )
    try:
        with pipe.open("w") as writer:
            writer.write("".join(lines[:35]))  # three whole chunks and half the fourth
            writer.flush()
            for line in child.stderr:
                if "chunk 3 committed" in line:
                    break
            else:
                pytest.fail(f"the child ended before committing 3 chunks (exit {child.wait()})")
            child.send_signal(signal.SIGKILL)
            assert child.wait() == -signal.SIGKILL
    finally:
        child.kill()
        child.wait()
    with Store(db) as store:
        run_id, status = store.con.execute(
            "SELECT run_id, status FROM runs WHERE stage = 'ingest'"
        ).fetchone()
        assert status == "running"  # killed mid-stage, never finished
        partial = store.con.execute("SELECT count(*), count(DISTINCT run_id) FROM sources").fetchone()
        assert 0 < partial[0] < 30 and partial[1] == 1
        report = ingest(str(full), store, IngestConfig(chunk_rows=10, decontaminate=False))
        assert report.already_stored + report.exact_duplicates >= partial[0]
        resumed = stored(store).drop("row_ref").sort("source_id")
    with Store(tmp_path / "whole.duckdb") as whole:
        ingest(str(full), whole, IngestConfig(chunk_rows=10, decontaminate=False))
        assert resumed.equals(stored(whole).drop("row_ref").sort("source_id"))
        assert resumed["near_dup_of"].is_not_null().sum() > 0
