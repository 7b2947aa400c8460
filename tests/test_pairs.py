"""AceCoder's pair rule at its edges, dedup by AST, and the exports, on a real DuckDB file."""

from __future__ import annotations

import polars as pl
import pytest

from acecoder.code.normalize import normalized_hash
from acecoder.core.rm_format import PROMPT_PREFIX, RESPONSE_PREFIX
from acecoder.stages.export import export_reward_pairs, export_rl_prompts
from acecoder.stages.pairs import PairRule, make_pairs


def plant(
    store,
    problem: str,
    rates: dict[str, int],
    kept: int = 10,
    codes: dict[str, str] | None = None,
    policies: dict[str, str] | None = None,
) -> None:
    """A kept problem with `kept` kept tests (and one dropped), and programs passing the given counts."""
    con = store.con
    con.execute(
        "INSERT INTO problems (problem_id, source_id, question, entry_point, origin, status) "
        "VALUES (?, 's', 'Add one to x.', 'f', 'inferred', 'kept')",
        [problem],
    )
    tests = [
        (f"{problem}-t{i}", problem, i, f"assert f({i}) == {i + 1}", "inferred", i < kept)
        for i in range(kept + 1)
    ]
    con.executemany(
        "INSERT INTO tests (test_id, problem_id, idx, code, origin, kept) VALUES (?, ?, ?, ?, ?, ?)", tests
    )
    for name, passed in rates.items():
        code = (codes or {}).get(
            name,
            f"def f(x):\n    return x + 1  # {name}\n"
            if passed == kept
            else f"def f(x):\n    return x + {passed}\n",
        )
        program = f"{problem}-{name}"
        con.execute(
            "INSERT INTO programs (program_id, problem_id, code, policy, normalized_hash) VALUES (?, ?, ?, ?, ?)",
            [program, problem, code, (policies or {}).get(name, "m"), normalized_hash(code)],
        )
        con.executemany(
            "INSERT INTO executions (program_id, test_id, status) VALUES (?, ?, ?)",
            [(program, f"{problem}-t{i}", "pass" if i < passed else "fail") for i in range(kept)],
        )


def pair_set(store) -> set[tuple[str, str]]:
    return {
        (c.split("-")[-1], r.split("-")[-1])
        for c, r in store.con.execute("SELECT chosen_program_id, rejected_program_id FROM pairs").fetchall()
    }


def test_rule_edges(store):
    # pass rates: a=1.0, b=0.8 (chosen edge), c=0.4 (gap exactly 0.4 from b), d=0.0, e=0.7, f=0.3 (gap 0.4 from e)
    plant(store, "p", {"a": 10, "b": 8, "c": 4, "d": 0, "e": 7, "f": 3})
    make_pairs(store)
    assert pair_set(store) == {("a", "c"), ("a", "f"), ("b", "c"), ("b", "f")}
    # e (0.7) is never chosen; d (0.0) is never rejected; (b, c) has a gap of exactly 0.4


def test_rule_parameters_move_the_edges(store):
    plant(store, "p", {"a": 10, "e": 7, "f": 3, "d": 0})
    make_pairs(store, PairRule(min_chosen=0.7, min_gap=0.3, min_rejected=-1.0))
    assert pair_set(store) == {("a", "e"), ("a", "f"), ("a", "d"), ("e", "f"), ("e", "d")}


def test_same_ast_counts_once_and_cap_per_problem(store):
    same = {"a": "def f(x):\n    return x + 1\n", "b": "def f(x):\n    # reformatted\n    return (x + 1)\n"}
    plant(store, "p", {"a": 10, "b": 10, "c": 2, "d": 3, "g": 4}, codes=same)
    make_pairs(store, PairRule(max_per_problem=2))
    pairs = pair_set(store)
    assert len(pairs) == 2 and {c for c, _ in pairs} == {"a"}  # b is a's twin: dropped
    assert {r for _, r in pairs} == {"c", "d"}  # largest gaps first


def test_partly_scored_programs_are_left_out_and_rerun_adds_nothing(store):
    plant(store, "p", {"a": 10, "c": 4})
    store.con.execute("DELETE FROM executions WHERE program_id = 'p-c' AND test_id = 'p-t3'")
    assert make_pairs(store).new_pairs == 0
    plant(store, "q", {"a": 10, "c": 4})
    assert make_pairs(store).new_pairs == 1
    assert make_pairs(store).new_pairs == 0


def test_exports(store, tmp_path):
    plant(store, "p", {"a": 10, "c": 4, "d": 5})
    plant(store, "q", {"a": 10, "b": 9})
    report = make_pairs(store, histogram=tmp_path / "hist.png")
    assert report.summary["problems_covered"] == pytest.approx(0.5)
    assert (tmp_path / "hist.png").stat().st_size > 1000
    out, rows = export_reward_pairs(store, tmp_path / "pairs")
    frame = pl.read_parquet(out / "data" / "train-00000-of-00001.parquet")
    assert rows == frame.height == 2
    assert {
        "prompt",
        "chosen",
        "rejected",
        "problem_id",
        "chosen_pass_rate",
        "rejected_pass_rate",
        "tests",
    } <= set(frame.columns)
    row = frame.row(0, named=True)
    # TRL's conversational form: the question is the user turn, each program an assistant turn
    assert [m["role"] for m in row["prompt"]] == ["user"] and row["chosen"][0]["role"] == "assistant"
    prompt, chosen = row["prompt"][0]["content"], row["chosen"][0]["content"]
    assert prompt.startswith(PROMPT_PREFIX) and "Add one to x." in prompt
    assert "assert f(0) == 1" in prompt  # the first kept test
    assert chosen.startswith(RESPONSE_PREFIX) and "```python" in chosen
    assert len(row["tests"]) == 10  # the kept tests only
    assert "pairs | 2" in (out / "README.md").read_text()
    from datasets import load_dataset

    assert load_dataset("parquet", data_files=str(out / "data" / "*.parquet"), split="train").num_rows == 2
    _, problems = export_rl_prompts(store, tmp_path / "rl")
    rl = pl.read_parquet(tmp_path / "rl" / "data" / "train-00000-of-00001.parquet")
    assert problems == 2 and rl["hard"].dtype == pl.Boolean and set(rl["problem_id"]) == {"p", "q"}


def test_pairs_stay_within_one_policy_and_leave_the_reference_out(store):
    # the reference passes everything by construction: it must not become every pair's chosen side
    policies = {"ref": "reference", "a_good": "model-a", "a_bad": "model-a", "b_bad": "model-b"}
    policies |= {"mut_good": "reformat", "mut_bad": "mutant:swap_args"}
    rates = {"ref": 10, "a_good": 9, "a_bad": 3, "b_bad": 2, "mut_good": 10, "mut_bad": 4}
    plant(store, "p", rates, policies=policies)
    make_pairs(store, PairRule())
    assert pair_set(store) == {("a_good", "a_bad"), ("mut_good", "mut_bad")}


def test_pairs_pool_the_policies_asked_for(store):
    policies = {"ref": "reference", "a_good": "model-a", "a_bad": "model-a", "b_bad": "model-b"}
    plant(store, "p", {"ref": 10, "a_good": 9, "a_bad": 3, "b_bad": 2}, policies=policies)
    make_pairs(store, PairRule(policies=("model-a", "reference")))
    assert pair_set(store) == {("a_good", "a_bad"), ("ref", "a_bad")}
