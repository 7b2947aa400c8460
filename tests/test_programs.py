"""Sampling (mutants policy and a scripted policy model), scoring in the sandbox, pairs and export, end to end."""

from __future__ import annotations

import polars as pl
import pytest
from openai_stub import reply

from acecoder.code.extract import extract_program
from acecoder.llm import LLMClient, LLMConfig
from acecoder.stages.export import export_reward_pairs
from acecoder.stages.filter import FilterConfig, filter_problems
from acecoder.stages.ingest import ingest
from acecoder.stages.pairs import make_pairs
from acecoder.stages.sample import SampleConfig, mutant_programs, sample_programs
from acecoder.stages.score import ScoreConfig, score_programs
from acecoder.stages.synth.config import SynthConfig
from acecoder.stages.synth.stage import synthesize

NAMES = ["running_maximum", "longest_binary_gap", "fiscal_quarter", "sort_version_strings"]


@pytest.fixture(scope="module")
def pool():
    from acecoder.sandbox import SandboxPool

    with SandboxPool(workers=2) as opened:
        yield opened


@pytest.fixture
def kept(store, benchmark_tasks, pool):
    """Four seed functions synthesized (inferred backend) and filtered."""
    from acecoder.stages.ingest.decontam import BenchmarkIndex

    ingest("seed", store, benchmark_index=BenchmarkIndex.build(benchmark_tasks, 13))
    store.con.execute("DELETE FROM sources WHERE entry_point NOT IN (SELECT unnest(?))", [NAMES])
    synthesize(store, SynthConfig(backend="inferred"), pool=pool)
    filter_problems(store, FilterConfig(mutants_per_problem=0), pool=pool, progress=False)
    assert store.con.execute("SELECT count(*) FROM problems WHERE status = 'kept'").fetchone()[0] == 4
    return store


def test_extract_program_keeps_what_the_function_needs():
    answer = """Sure! Here's the solution:

```python
import math
LIMIT = 10

def helper(x):
    return x * 2

def solve(x):
    return helper(x) + math.floor(LIMIT / 3)

print(solve(3))
if __name__ == "__main__":
    assert solve(1) == 5
```
It prints 9."""
    program = extract_program(answer, "solve")
    assert "def helper" in program and "import math" in program and "LIMIT = 10" in program
    assert "print(" not in program and "__main__" not in program
    assert extract_program("```python\ndef other():\n    pass\n```", "solve") is None


def test_mutant_programs_spread_and_are_distinct():
    from acecoder.code.seed import load_seed

    # a comment makes the source differ from its canonical form, so a reformatted copy exists
    reference = next(fn.solution for fn in load_seed() if fn.name == "running_maximum") + "# end\n"
    rows = mutant_programs("p", reference, 16, seed=0)
    assert len(rows) == len({r["program_id"] for r in rows}) >= 10
    policies = [r["policy"] for r in rows]
    assert policies[0] == "reference" and "reformat" in policies
    assert any("+" in p for p in policies)  # double-edit mutants too


def test_mutants_policy_scores_and_pairs_end_to_end(kept, pool, tmp_path):
    report = sample_programs(kept, SampleConfig(policy="mutants", n=12))
    assert report.problems == 4 and report.programs >= 30  # 12 asked per problem, fewer where mutants run out
    assert sample_programs(kept, SampleConfig(policy="mutants", n=12)).programs == 0  # nothing twice
    scored = score_programs(kept, ScoreConfig(batch_size=16), pool=pool, progress=False)
    assert scored.programs == report.programs  # the references were scored by filtering already
    rates = kept.con.sql("SELECT policy, pass_rate FROM pass_rates WHERE executed = kept_tests").pl()
    assert rates.filter(pl.col("policy") == "reference")["pass_rate"].to_list() == [1.0] * 4
    mutants = rates.filter(pl.col("policy").str.starts_with("mutant"))["pass_rate"]
    assert mutants.min() == 0.0 and 0 < mutants.mean() < 1  # spread from 0 up
    pairs = make_pairs(kept, histogram=tmp_path / "h.png")
    assert pairs.new_pairs > 0 and pairs.summary["problems_with_pairs"] >= 2
    out, rows = export_reward_pairs(kept, tmp_path / "export")
    frame = pl.read_parquet(out / "data" / "train-00000-of-00001.parquet")
    # every exported pass rate checks out when its programs are run again on the exported tests
    from acecoder.sandbox import Job

    row = frame.row(0, named=True)
    again = pool.run(
        [
            Job(id="c", program=row["chosen_code"], tests=list(row["tests"])),
            Job(id="r", program=row["rejected_code"], tests=list(row["tests"])),
        ]
    )
    assert again[0]["pass_rate"] == pytest.approx(row["chosen_pass_rate"])
    assert again[1]["pass_rate"] == pytest.approx(row["rejected_pass_rate"])


def test_policy_model_through_a_scripted_server(kept, pool, openai_stub):
    answers = [
        "```python\ndef running_maximum(values):\n    out, best = [], None\n    for v in values:\n"
        "        best = v if best is None or v > best else best\n        out.append(best)\n    return out\n```",
        "```python\ndef running_maximum(values):\n    return sorted(values)\n```",
        "I don't know.",
    ]
    openai_stub.default = reply(answers)  # one answer with 3 choices, for every problem
    config = LLMConfig(model="policy-stub", base_url=openai_stub.base_url, api_key="k", timeout_s=5)
    client = LLMClient(config, store=kept, run_id="t")
    report = sample_programs(kept, SampleConfig(policy="llm", model="policy-stub", n=3), client=client)
    assert report.problems == 4 and report.programs >= 4
    assert openai_stub.requests[0]["n"] == 3 and openai_stub.requests[0]["temperature"] == 0.7
    score_programs(kept, pool=pool, progress=False)
    rates = dict(
        kept.con.execute(
            "SELECT code, pass_rate FROM pass_rates r JOIN programs p USING (program_id) "
            "WHERE p.policy = 'policy-stub' AND p.problem_id IN (SELECT problem_id FROM problems WHERE entry_point = "
            "'running_maximum')"
        ).fetchall()
    )
    assert max(rates.values()) == 1.0 and min(rates.values()) == 0.0


def test_scoring_limits_each_test_by_the_references_time(kept):
    """With `reference_factor`, a test's limit follows the reference's measured time (EvalPlus's rule): a looping
    program times out at the floor on each test instead of the fixed per-test limit."""
    import time

    from acecoder.sandbox import Limits, SandboxPool
    from acecoder.stages.score import score_batch

    kept.con.complete()  # the fixture's last check left its result open
    problems = kept.con.sql("SELECT problem_id, entry_point FROM problems WHERE status = 'kept' LIMIT 1").pl()
    tests = kept.frame("kept_tests", staged=problems.select("problem_id"))
    assert tests.height >= 5 and tests["reference_ms"].null_count() == 0  # measured by the filter stage
    assert tests["reference_ms"].max() < 200
    looping = f"def {problems['entry_point'][0]}(*args, **kwargs):\n    while True:\n        pass\n"
    programs = pl.DataFrame({"program_id": ["loop"], "problem_id": problems["problem_id"], "code": [looping]})
    limits = Limits(timeout_s=4.0, program_timeout_s=60.0, reference_factor=4.0, reference_floor_s=0.3)
    with SandboxPool(workers=1, limits=limits) as timed_pool:
        started = time.perf_counter()
        rows = score_batch(programs, tests, "r", pool=timed_pool)
        seconds = time.perf_counter() - started
    assert [r["status"] for r in rows] == ["timeout"] * tests.height
    assert all("0.3 s" in r["message"] for r in rows), rows[0]
    assert seconds < 0.3 * tests.height + 3  # not 4 s per test
