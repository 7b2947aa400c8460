"""Ingest: every layout and file format, cleaning, exact and near dedup, decontamination, bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import polars as pl
import pytest

from acecoder.stages.ingest import IngestConfig, IngestError, ingest
from acecoder.stages.ingest.decontam import BenchmarkIndex

FUNC = "def {name}(values: list[int]) -> int:\n    total = 0\n    for v in values:\n        total += v * {k}\n    return total\n"


@pytest.fixture(scope="module")
def index(benchmark_tasks):
    return BenchmarkIndex.build(benchmark_tasks, 13)


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def sources(store) -> pl.DataFrame:
    return store.con.sql("SELECT * FROM sources ORDER BY row_ref").pl()


@pytest.mark.parametrize(
    ("layout", "make_row"),
    [
        (
            "magicoder-oss",
            lambda i: {
                "problem": f"Scale and sum the list, variant {i}.",
                "solution": f"Here you go:\n```python\n{FUNC.format(name=f'f{i}', k=i)}```\nDone.",
            },
        ),
        (
            "magicoder-evol",
            lambda i: {
                "instruction": f"Write a scaled sum number {i}.",
                "response": f"```python\n{FUNC.format(name=f'g{i}', k=i)}```",
            },
        ),
        (
            "evol-codealpaca",
            lambda i: {
                "instruction": f"Scaled sum please {i}.",
                "output": f"Sure.\n\n```\n{FUNC.format(name=f'h{i}', k=i)}```",
            },
        ),
        ("stack-fns", lambda i: {"content": FUNC.format(name=f"s{i}", k=i), "repo": "x/y"}),
    ],
)
def test_each_adapter_reads_its_layout(tmp_path, store, index, layout, make_row):
    path = write_jsonl(tmp_path / "data.jsonl", [make_row(i) for i in range(3)])
    report = ingest(str(path), store, IngestConfig(near_dup_threshold=1.0), benchmark_index=index)
    assert report.layout == layout  # detected from the columns
    assert report.inserted == 3
    rows = sources(store)
    assert rows["solution"].str.starts_with("def ").all()
    assert "```" not in "".join(rows["solution"])
    assert rows["row_ref"].to_list() == [f"{path}:line {i}" for i in (1, 2, 3)]
    assert (rows["question"].is_null().all()) == (layout == "stack-fns")


@pytest.mark.parametrize("fmt", ["json", "csv", "parquet"])
def test_generic_fields_in_other_formats(tmp_path, store, index, fmt):
    frame = pl.DataFrame(
        {
            "q": ["Add two numbers.", "Negate."],
            "code": [
                "def add(a: int, b: int) -> int:\n    return a + b\n",
                "def neg(a: int) -> int:\n    return -a\n",
            ],
        }
    )
    path = tmp_path / f"data.{fmt}"
    if fmt == "json":
        path.write_text(json.dumps(frame.to_dicts()))
    elif fmt == "csv":
        frame.write_csv(path)
    else:
        frame.write_parquet(path)
    config = IngestConfig(question_field="q", solution_field="code")
    report = ingest(str(path), store, config, benchmark_index=index)
    assert report.layout == "generic" and report.inserted == 2
    assert sorted(sources(store)["entry_point"]) == ["add", "neg"]


def test_folder_of_files(tmp_path, store, index):
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", [{"content": FUNC.format(name="a", k=1)}])
    write_jsonl(folder / "b.jsonl", [{"content": "def b(x: int) -> int:\n    return x * 2 - 7\n"}])
    report = ingest(str(folder), store, benchmark_index=index)
    assert report.inserted == 2


def test_cleaning_keeps_functions_and_strips_prints(tmp_path, store, index):
    rows = [
        {"content": "def loud(x):\n    print('debug', x)\n    return x + 1\n\nprint(loud(2))\n"},
        {"content": "def only_print(x):\n    print(x)\n"},  # removing the print would empty the body
        {"content": "x = 1\ny = x + 2\n"},
        {"content": "def broken(:\n    pass\n"},
        {"content": "class Counter:\n    def __init__(self):\n        self.n = 0\n"},
    ]
    report = ingest(str(write_jsonl(tmp_path / "d.jsonl", rows)), store, benchmark_index=index)
    assert report.skipped == {"defines no function or class": 1, "not valid Python": 1}
    code = dict(
        zip(
            sources(store)["row_ref"].str.extract(r"line (\d)").to_list(),
            sources(store)["solution"],
            strict=True,
        )
    )
    assert code["1"] == "def loud(x):\n    return x + 1\n"
    assert "print(x)" in code["2"]
    assert code["5"].startswith("class Counter")


def test_exact_and_near_duplicates(tmp_path, store, index):
    base = (
        "def summarize(values: list[int], limit: int) -> dict[str, int]:\n"
        "    kept = [v for v in values if abs(v) <= limit]\n"
        "    total = sum(kept)\n"
        "    largest = max(kept, default=0)\n"
        "    smallest = min(kept, default=0)\n"
        "    spread = largest - smallest\n"
        "    return {'total': total, 'largest': largest, 'smallest': smallest, 'spread': spread}\n"
    )
    near = base.replace("    spread =", "    # distance between the extremes\n    spread =")
    rows = [
        {"content": base},
        {"content": base},
        {"content": near},
        {"content": "def other(s: str) -> str:\n    return s.strip().upper()[::-1]\n"},
    ]
    report = ingest(str(write_jsonl(tmp_path / "d.jsonl", rows)), store, benchmark_index=index)
    assert report.exact_duplicates == 1
    assert report.near_duplicates == 1
    stored = sources(store)
    kept = stored.filter(pl.col("near_dup_of").is_null())
    dup = stored.filter(pl.col("near_dup_of").is_not_null())
    assert dup["near_dup_of"][0] == kept.filter(pl.col("solution") == base)["source_id"][0]
    # a later file that nearly repeats a stored row is caught too
    again = [{"content": base.replace("total = sum(kept)", "total = sum( kept )")}]
    later = ingest(str(write_jsonl(tmp_path / "e.jsonl", again)), store, benchmark_index=index)
    assert later.near_duplicates == 1


def test_decontamination_flags_planted_benchmark_rows(tmp_path, store, index, benchmark_tasks):
    humaneval = next(t for t in benchmark_tasks if t.task_id == "HumanEval/12")
    mbpp = next(t for t in benchmark_tasks if t.task_id == "Mbpp/61")
    rows = [
        {
            "problem": humaneval.prompt,
            "solution": "```python\ndef pick(xs):\n    return max(xs, key=len)\n```",
        },
        {
            "problem": "Count the substrings in question.",
            "solution": f"```python\n{mbpp.canonical_solution}\n```",
        },
        {"problem": "Sum the scaled values.", "solution": f"```python\n{FUNC.format(name='clean', k=2)}```"},
    ]
    report = ingest(str(write_jsonl(tmp_path / "d.jsonl", rows)), store, benchmark_index=index)
    assert report.contaminated == 2
    reasons = dict(
        store.con.execute("SELECT row_ref, contamination_reason FROM sources WHERE contaminated").fetchall()
    )
    assert "HumanEval/12 prompt" in reasons[f"{tmp_path}/d.jsonl:line 1"]
    assert "Mbpp/61 canonical solution" in reasons[f"{tmp_path}/d.jsonl:line 2"]


def test_seed_corpus_is_clean_and_reingest_adds_nothing(store):
    from acecoder.code.benchmarks import decontamination_tasks

    tasks, _ = decontamination_tasks()
    index = BenchmarkIndex.build(tasks, 13)
    first = ingest("seed", store, benchmark_index=index)
    assert first.inserted >= 100
    assert first.contaminated == 0 and first.near_duplicates == 0 and not first.skipped
    second = ingest("seed", store, benchmark_index=index)
    assert second.inserted == 0 and second.already_stored == first.inserted
    assert store.con.execute("SELECT count(*) FROM sources").fetchone()[0] == first.inserted
    assert (
        store.con.execute("SELECT count(*) FROM runs WHERE stage = 'ingest' AND status = 'ok'").fetchone()[0]
        == 2
    )


def test_limit_and_shuffle_are_deterministic(tmp_path, index):
    from acecoder.core.store import Store

    rows = [{"content": f"def f{i}(x: int) -> int:\n    return x * {i} + {i * i} - {i}\n"} for i in range(20)]
    path = write_jsonl(tmp_path / "d.jsonl", rows)
    picked = []
    for name in ("a", "b"):
        with Store(tmp_path / f"{name}.duckdb") as db:
            ingest(
                str(path),
                db,
                IngestConfig(limit=5, shuffle=True, seed=3, near_dup_threshold=1.0),
                benchmark_index=index,
            )
            picked.append(sorted(db.con.execute("SELECT row_ref FROM sources").fetchall()))
    assert picked[0] == picked[1] and len(picked[0]) == 5


@pytest.mark.parametrize(
    ("content", "suffix", "expected"),
    [
        (
            '{"content": "def a():\\n    return 1\\n"}\n{"content": oops}\n',
            ".jsonl",
            "line 2: malformed JSON",
        ),
        (
            '{"content": "def a():\\n    return 1\\n"}\n\n{"other": 1}\n',
            ".jsonl",
            "line 3, field 'content': missing",
        ),
        ("", ".jsonl", "empty file"),
        ("a,b\n", ".txt", "unknown format '.txt'"),
        ('{"title": "x"}\n', ".jsonl", "unknown layout"),
        ('{"problem": "q", "solution": 3}\n', ".jsonl", "field 'solution': expected text"),
    ],
)
def test_bad_input_names_file_row_field_and_writes_nothing(tmp_path, store, index, content, suffix, expected):
    ingest("seed", store, benchmark_index=index)
    before = store.con.execute("SELECT count(*) FROM sources").fetchone()[0]
    path = tmp_path / f"bad{suffix}"
    path.write_text(content)
    with pytest.raises(IngestError) as err:
        ingest(str(path), store, benchmark_index=index)
    assert str(path) in str(err.value) and expected in str(err.value)
    assert store.con.execute("SELECT count(*) FROM sources").fetchone()[0] == before


def test_cli_reports_bad_input_with_exit_code(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"problem": "q", "solution": "def f():\\n    return 1\\n"}\n{"problem": \n')
    db = tmp_path / "cli.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "acecoder", "ingest", str(path), "--db", str(db)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert f"{path}, line 2: malformed JSON" in result.stderr
