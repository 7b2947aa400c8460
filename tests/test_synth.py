"""Synthesis and filtering: the LLM backend against a real local OpenAI-compatible server (scripted
answers, errors and timeouts), the inferred backend on the seed corpus, and filtering in the real sandbox."""

from __future__ import annotations

import json

import pytest
from openai_stub import StubResponse, reply, sleep, status

from acecoder.code.seed import load_seed
from acecoder.llm import LLMClient, LLMConfig
from acecoder.stages.filter import FilterConfig, filter_problems
from acecoder.stages.ingest import IngestConfig, ingest
from acecoder.stages.synth.config import SynthConfig
from acecoder.stages.synth.stage import synthesize

SEED = {fn.name: fn for fn in load_seed()}
NAMES = [
    "camel_to_snake_identifier",
    "running_maximum",
    "parse_semicolon_pairs",
    "longest_binary_gap",
    "gray_code_decode",
    "fiscal_quarter",
]


@pytest.fixture(scope="module")
def pool():
    from acecoder.sandbox import SandboxPool

    with SandboxPool(workers=2) as opened:
        yield opened


@pytest.fixture
def seeded(store, benchmark_tasks):
    """A store holding the six seed functions in NAMES as sources."""
    from acecoder.stages.ingest.decontam import BenchmarkIndex

    ingest("seed", store, IngestConfig(), benchmark_index=BenchmarkIndex.build(benchmark_tasks, 13))
    store.con.execute("DELETE FROM sources WHERE entry_point NOT IN (SELECT unnest(?))", [NAMES])
    return store


def good_answer(name: str, wrong: bool = True) -> str:
    """A reply in AceCoder's JSON shape: the seed's examples as tests, plus one wrong test."""
    fn = SEED[name]
    tests = [f"assert {call} == {want}" for call, want in fn.examples]
    if wrong:
        tests.append(f"assert {fn.examples[0][0]} == 'certainly not this'")
    tests.append("x = 1")  # not an assert: dropped by validation
    return json.dumps({"question": f"Question about {name}: {fn.instruction}", "tests": tests})


def sequence(*behaviours):
    """Each call answers as the next behaviour; the last one repeats."""
    calls = iter(behaviours)
    last = [behaviours[-1]]

    def respond(payload):
        behaviour = next(calls, last[0])
        return behaviour(payload)

    return respond


def by_function(table):
    """Answer by which seed function the prompt is about (requests arrive in any order)."""

    def respond(payload) -> StubResponse:
        prompt = payload["messages"][-1]["content"]
        name = next(n for n in table if f"def {n}(" in prompt)
        return table[name](payload)

    return respond


def client_for(stub, store, **overrides) -> LLMClient:
    config = LLMConfig(
        model="stub-model",
        base_url=stub.base_url,
        api_key="test-key",
        max_retries=2,
        backoff_initial_s=0.01,
        backoff_max_s=0.05,
        timeout_s=1.0,
        **overrides,
    )
    return LLMClient(config, store=store, run_id="test")


def test_llm_backend_handles_every_kind_of_reply(seeded, openai_stub, pool):
    fenced = "Here you go:\n```json\n" + good_answer("running_maximum") + "\n```\nHope this helps!"
    openai_stub.default = by_function(
        {
            "camel_to_snake_identifier": reply(good_answer("camel_to_snake_identifier")),
            "running_maximum": reply(fenced),
            "parse_semicolon_pairs": reply("I cannot produce JSON today, sorry."),
            "longest_binary_gap": sequence(
                status(429, retry_after=0.05), reply(good_answer("longest_binary_gap"))
            ),
            "gray_code_decode": status(500),
            "fiscal_quarter": sleep(3.0, reply(good_answer("fiscal_quarter"))),
        }
    )
    config = SynthConfig(backend="llm", model="stub-model")
    report = synthesize(seeded, config, pool=pool, client=client_for(openai_stub, seeded))
    reasons = seeded.con.execute("SELECT status_reason FROM problems").fetchall()
    assert (report.sources, report.problems, report.failed) == (6, 3, 3), reasons
    rows = dict(
        seeded.con.execute(
            "SELECT s.entry_point, p.status || ': ' || coalesce(p.status_reason, '') FROM problems p "
            "JOIN sources s USING (source_id)"
        ).fetchall()
    )
    assert rows["camel_to_snake_identifier"].startswith("synthesized")
    assert rows["running_maximum"].startswith("synthesized")
    assert rows["longest_binary_gap"].startswith("synthesized")  # after one 429
    assert rows["parse_semicolon_pairs"].startswith("failed: unparsable reply")
    assert rows["gray_code_decode"].startswith("failed: request failed")  # 500 until retries ran out
    assert rows["fiscal_quarter"].startswith("failed: request failed")  # slower than the timeout
    assert report.usage["llm_retries"] >= 1 + 2 + 2
    stored = seeded.con.execute("SELECT count(*), count(DISTINCT origin) FROM tests").fetchone()
    examples = sum(
        len(SEED[n].examples) + 1
        for n in ("camel_to_snake_identifier", "running_maximum", "longest_binary_gap")
    )
    assert stored == (examples, 1)  # the non-assert line of each reply was dropped

    filtered = filter_problems(
        seeded, FilterConfig(min_tests=2, mutants_per_problem=5), pool=pool, progress=False
    )
    assert filtered.kept == 3
    wrong = seeded.con.execute(
        "SELECT count(*) FROM tests WHERE NOT kept AND drop_reason LIKE 'reference fail%'"
    )
    assert wrong.fetchone()[0] == 3  # each reply's wrong test
    assert seeded.con.execute("SELECT count(*) FROM executions").fetchone()[0] == examples

    # the next run takes the failed rows again: the two requests that failed are sent again (and now succeed),
    # the unparsable reply comes back from the cache, so it costs nothing and fails the same way
    openai_stub.default = by_function({name: reply(good_answer(name)) for name in NAMES})
    before = openai_stub.request_count
    again = synthesize(seeded, config, pool=pool, client=client_for(openai_stub, seeded))
    assert (again.sources, again.problems, again.failed) == (3, 2, 1)
    assert openai_stub.request_count - before == 2


def test_second_run_makes_zero_requests(seeded, openai_stub, pool):
    openai_stub.default = by_function({name: reply(good_answer(name)) for name in NAMES})
    config = SynthConfig(backend="llm", model="stub-model")
    first = synthesize(seeded, config, pool=pool, client=client_for(openai_stub, seeded))
    assert first.problems == 6 and openai_stub.request_count == 6
    filter_problems(seeded, FilterConfig(min_tests=2, mutants_per_problem=0), pool=pool, progress=False)
    seeded.con.execute("DELETE FROM problems")  # everything but the cache forgotten
    seeded.con.execute("DELETE FROM tests")
    second = synthesize(seeded, config, pool=pool, client=client_for(openai_stub, seeded))
    assert second.problems == 6 and openai_stub.request_count == 6
    assert second.usage["llm_cache_hits"] == 6


def test_dry_run_shows_the_prompt_and_writes_nothing(seeded, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    from acecoder.core.settings import get_settings

    get_settings.cache_clear()
    try:
        report = synthesize(seeded, SynthConfig(backend="auto", dry_run=True))
    finally:
        get_settings.cache_clear()
    assert report.backend == "llm" and "LeetCode-style question" in report.dry_run_prompt
    assert "Here is the reference program" in report.dry_run_prompt
    assert seeded.con.execute("SELECT count(*) FROM problems").fetchone()[0] == 0


def test_auto_backend_without_an_endpoint_says_it_is_offline(seeded, pool, monkeypatch):
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    from acecoder.core.settings import get_settings

    get_settings.cache_clear()
    report = synthesize(seeded, SynthConfig(limit=2), pool=pool)
    assert report.backend == "inferred" and "inferred backend" in report.note
    origins = seeded.con.execute("SELECT DISTINCT origin FROM tests").fetchall()
    assert origins == [("inferred",)]


@pytest.mark.slow
def test_inferred_backend_on_the_whole_seed_corpus(store, benchmark_tasks, pool):
    """The figures: kept tests per function and the share of mutants the kept tests kill."""
    from acecoder.stages.ingest.decontam import BenchmarkIndex

    ingest("seed", store, benchmark_index=BenchmarkIndex.build(benchmark_tasks, 13))
    report = synthesize(store, SynthConfig(backend="inferred"), pool=pool)
    assert report.problems >= 0.95 * report.sources
    filtered = filter_problems(
        store, FilterConfig(min_tests=5, mutants_per_problem=8), pool=pool, progress=False
    )
    kept_counts = [
        n
        for (n,) in store.con.execute(
            "SELECT count(*) FILTER (WHERE t.kept) FROM problems p LEFT JOIN tests t USING (problem_id) "
            "WHERE p.origin = 'inferred' GROUP BY p.problem_id"
        ).fetchall()
    ]
    with_ten = sum(n >= 10 for n in kept_counts) / len(load_seed())
    killed = store.con.execute("SELECT avg(mutation_score) FROM problems WHERE status = 'kept'").fetchone()[0]
    print(
        f"\nseed corpus: {with_ten:.1%} of functions with >= 10 kept tests; "
        f"mean mutation score {killed:.1%}; kept {filtered.kept}/{filtered.problems}"
    )
    assert with_ten >= 0.90
    assert killed >= 0.80
