"""One driver per stage: the CLI, the Python API and the Prefect flows run the same loop and write the same
rows; runs record what actually ran; a flow's totals count every batch."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from conftest import table_snapshot
from openai_stub import StubResponse, completion_body
from typer.testing import CliRunner

from acecoder.cli.main import app
from acecoder.code.seed import load_seed
from acecoder.core.settings import get_settings
from acecoder.core.store import open_store

TABLES = {  # what defines each table's rows (ids, lineage columns and timestamps left out)
    "sources": "source_id, question, solution, contaminated, near_dup_of",
    "problems": "problem_id, question, entry_point, reference, status, status_reason, mutation_score",
    "tests": "test_id, problem_id, idx, code, kept, drop_reason",
    "programs": "program_id, problem_id, code, policy",
    "executions": "program_id, test_id, status, error_type",
    "pairs": "pair_id, chosen_program_id, rejected_program_id, chosen_pass_rate, rejected_pass_rate",
}
SEED = {fn.name: fn for fn in load_seed()}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    return table_snapshot(db, TABLES)


def run_params(db: Path, stage: str) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT params, metrics FROM runs WHERE stage = ? ORDER BY started_at", [stage])
        return [{"params": json.loads(p), "metrics": json.loads(m or "{}")} for p, m in rows.fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="module")
def harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def offline(monkeypatch):
    """No LLM endpoint in the environment, whatever the machine's own settings."""
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "ACECODER_OPENAI_BASE_URL", "ACECODER_OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def cli(*args: str) -> None:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output, result.exception)


def test_cli_and_flows_write_the_same_rows(harness, offline, tmp_path, monkeypatch):
    from flows.stages import pipeline

    monkeypatch.chdir(tmp_path)  # both write their reports under the working directory
    by_cli, by_flow = tmp_path / "cli.duckdb", tmp_path / "flow.duckdb"
    db = ("--db", str(by_cli))
    cli("ingest", "seed", "--limit", "5", *db)
    cli("synth", "--backend", "inferred", "--no-progress", *db)
    cli("filter", "--no-progress", *db)
    cli("sample", "--n", "8", "--no-progress", *db)
    cli("score", "--no-progress", *db)
    cli("pairs", *db)
    pipeline(source="seed", db=by_flow, limit=5, n=8, reward_model=False, rerank_samples=None)
    cli_rows, flow_rows = snapshot(by_cli), snapshot(by_flow)
    assert {t: len(rows) for t, rows in cli_rows.items()}["pairs"] > 0
    assert cli_rows == flow_rows


def test_synth_flow_counts_every_batch_and_records_what_ran(harness, offline, tmp_path):
    from flows.stages import ingest_flow, synth_flow

    db = tmp_path / "s.duckdb"
    ingest_flow(source="seed", db=db, limit=7)
    result = synth_flow(db=db, backend="auto", batch_size=2)  # four batches; auto resolves to inferred
    with open_store(db) as store:
        tests, problems = store.con.execute(
            "SELECT count(*), count(DISTINCT problem_id) FROM tests"
        ).fetchone()
    assert (result["problems"], result["tests"]) == (problems, tests) == (7, tests)
    [run] = run_params(db, "synth")
    assert run["metrics"]["tests"] == tests and run["metrics"]["problems"] == 7
    assert run["params"]["backend"] == "inferred" and run["params"]["batch_size"] == 2


def test_runs_record_the_resolved_model(offline, store, openai_stub, monkeypatch):
    from acecoder.stages.filter import FilterConfig, filter_problems
    from acecoder.stages.ingest import ingest
    from acecoder.stages.sample import SampleConfig, sample_programs
    from acecoder.stages.synth.config import SynthConfig
    from acecoder.stages.synth.stage import synthesize

    ingest("seed", store, limit_config(3))
    synthesize(store, SynthConfig(backend="inferred"))
    filter_problems(store, FilterConfig(mutants_per_problem=0), progress=False)
    monkeypatch.setenv("OPENAI_BASE_URL", openai_stub.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("ACECODER_POLICY_MODEL", "policy-from-settings")
    get_settings.cache_clear()
    openai_stub.default = lambda payload: StubResponse(
        body=completion_body(payload, ["```python\ndef f():\n    return 1\n```"] * payload.get("n", 1))
    )
    sample_programs(store, SampleConfig(policy="llm", n=2))  # model left to the settings
    [params] = store.con.execute("SELECT params FROM runs WHERE stage = 'sample'").fetchone()
    assert json.loads(params)["model"] == "policy-from-settings"
    assert {r["model"] for r in openai_stub.requests} == {"policy-from-settings"}


def limit_config(limit: int):
    from acecoder.stages.ingest import IngestConfig

    return IngestConfig(limit=limit, decontaminate=False)


def test_filter_flow_takes_references_from_a_model(harness, offline, tmp_path, openai_stub, monkeypatch):
    """AceCoder's reference step through the flow: the model's program becomes the stored reference (its
    policy recorded) that the tests run against and the mutants policy mutates; a failed request leaves its
    problem pending for the next run."""
    from openai_stub import status

    from flows.stages import filter_flow, ingest_flow, sample_flow, synth_flow

    db = tmp_path / "f.duckdb"
    ingest_flow(source="seed", db=db, limit=4)
    synth_flow(db=db, backend="inferred")
    monkeypatch.setenv("OPENAI_BASE_URL", openai_stub.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("ACECODER_LLM_MAX_RETRIES", "0")
    get_settings.cache_clear()
    with open_store(db) as store:
        names = [r[0] for r in store.con.execute("SELECT entry_point FROM problems ORDER BY 1").fetchall()]
    broken, unanswered = names[0], names[1]  # a reference that fails its tests; a request that fails

    def model_reference(name: str) -> str:
        return SEED[name].solution + "\nWRITTEN_BY_THE_REFERENCE_MODEL = True\n"

    def solve(payload):
        prompt = payload["messages"][-1]["content"]
        name = next(n for n in names if f"{n}(" in prompt)
        if name == unanswered:
            return status(500)(payload)
        code = f"def {name}(*args, **kwargs):\n    return None\n" if name == broken else model_reference(name)
        return StubResponse(body=completion_body(payload, [f"```python\n{code}```"]))

    openai_stub.default = solve
    result = filter_flow(db=db, reference_model="reference-model", mutants=0, min_tests=3)
    assert (result["problems"], result["kept"], result["dropped"]) == (3, 2, 1)
    assert result["reference_requests_failed"] == 1
    assert {r["model"] for r in openai_stub.requests} == {"reference-model"}
    with open_store(db) as store:
        status_of = dict(store.con.execute("SELECT entry_point, status FROM problems").fetchall())
        stored = store.con.execute(
            "SELECT entry_point, reference, reference_policy FROM problems WHERE status = 'kept'"
        ).fetchall()
    assert status_of[broken] == "dropped" and status_of[unanswered] == "synthesized"  # pending
    assert {(name, ref, policy) for name, ref, policy in stored} == {
        (name, model_reference(name), "reference-model") for name in names[2:]
    }

    # the next run takes the pending problem again (its request now succeeds)
    unanswered = None
    again = filter_flow(db=db, reference_model="reference-model", mutants=0, min_tests=3)
    assert (again["problems"], again["kept"]) == (1, 1)

    sample_flow(db=db, n=4)  # the offline mutants policy mutates the stored (model's) reference
    with open_store(db) as store:
        reformatted = store.con.execute("SELECT code FROM programs WHERE policy = 'reformat'").fetchall()
    assert reformatted and all("WRITTEN_BY_THE_REFERENCE_MODEL" in code for (code,) in reformatted)
