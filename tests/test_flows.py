"""The Prefect flows: the pipeline under prefect_test_harness, a deployment served against a real
`prefect server`, SIGKILL-and-resume against a real subprocess, and the Dask task runner."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import free_port, table_snapshot, wait_for_url

ROOT = Path(__file__).resolve().parents[1]
TABLES = {  # what defines each table's rows (ids, lineage columns and timestamps left out)
    "sources": "source_id, question, solution, contaminated, near_dup_of",
    "problems": "problem_id, question, entry_point, status, status_reason, mutation_score",
    "tests": "test_id, problem_id, idx, code, kept, drop_reason",
    "programs": "program_id, problem_id, code, policy",
    "executions": "program_id, test_id, status, error_type",
    "pairs": "pair_id, chosen_program_id, rejected_program_id, chosen_pass_rate, rejected_pass_rate",
}
PIPELINE = "from flows.stages import pipeline; import sys; pipeline(source='seed', db=sys.argv[1], limit=int(sys.argv[2]), n=8, batch_size=4, reward_model=False, rerank_samples=None)"
# What each stage writes under its own run id, and so what a run killed mid-stage has partly written.
STAGE_ROWS = {
    "synth": "SELECT count(*) FROM problems WHERE run_id = ?",
    "filter": "SELECT count(*) FROM executions WHERE run_id = ?",
    "sample": "SELECT count(*) FROM programs WHERE run_id = ?",
    "score": "SELECT count(*) FROM executions WHERE run_id = ?",
}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    return table_snapshot(db, TABLES)


STAGES = {
    "ingest",
    "synth",
    "filter",
    "sample",
    "score",
    "pairs",
    "rm-train",
    "rerank",
}  # the pipeline's subflows


def run_pipeline(
    db: Path, limit: int, env: dict[str, str], kill_after: tuple[str, int] | None = None
) -> None:
    """Run the pipeline in a subprocess; with `kill_after` = (task name, count), SIGKILL it as soon as that
    many of the named Prefect tasks have finished (read from its log), so that the kill lands inside a stage."""
    process = subprocess.Popen(
        [sys.executable, "-c", PIPELINE, str(db), str(limit)],
        cwd=db.parent,  # the flow writes its reports under the working directory
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    if kill_after is None:
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err[-3000:]
        return
    task, count = kill_after
    finished, tail = 0, []
    assert process.stderr is not None
    for line in process.stderr:
        tail = (tail + [line])[-50:]
        # a task whose inputs were seen before finishes Cached (the inferred backend's cache)
        if f"Task run '{task}-" in line and ("Finished in state Completed" in line or "Cached" in line):
            finished += 1
            if finished == count:
                os.killpg(process.pid, signal.SIGKILL)
                break
    process.wait()
    assert finished == count, f"the run ended before {count} {task} tasks finished:\n{''.join(tail)}"


@pytest.fixture(scope="module")
def harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def test_pipeline_flow_on_a_tiny_corpus(harness, tmp_path):
    from flows.stages import pipeline

    db = tmp_path / "p.duckdb"
    model_dir = tmp_path / "rm"
    # Every stage, the reward model (MiniLM from its package, one short epoch) and a rerank of 3 bundled tasks.
    options = {"limit": 6, "n": 8, "rerank_tasks": 3}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)  # the reward model goes to runs/reward-model/ under the working directory
        results = pipeline(source="seed", db=db, **options)
        first = snapshot(db)
        assert results["ingest"]["inserted"] == 6
        counts = {t: len(rows) for t, rows in first.items()}
        assert counts["problems"] == 6 and counts["pairs"] > 0 and counts["executions"] > 0
        model_dir = Path(results["rm-train"]["output_dir"])
        assert (tmp_path / model_dir / "eval_results.json").is_file()
        rerank = results["rerank"]
        assert rerank["tasks"] == 3 and set(rerank["rows"]) >= {
            "exec",
            "rm",
            "random",
            "first",
            "oracle (pass@N)",
        }
        assert all(
            row["base"] <= rerank["rows"]["oracle (pass@N)"]["base"] for row in rerank["rows"].values()
        )
        again = pipeline(source="seed", db=db, **options)  # a second run reuses the database and the model
    assert again["ingest"]["inserted"] == 0 and snapshot(db) == first
    con = duckdb.connect(str(db), read_only=True)
    stages = dict(con.execute("SELECT stage, count(flow_run_id) FROM runs GROUP BY ALL").fetchall())
    con.close()
    assert {stage for stage, linked in stages.items() if linked} >= STAGES
    assert stages["rm-train"] == 1 and stages["rerank"] == 2  # trained once, kept by the second run


def test_dask_task_runner_gives_the_same_rows(harness, tmp_path, monkeypatch):
    from flows.stages import pipeline

    monkeypatch.chdir(tmp_path)  # the flow writes its reports under the working directory

    data_only = {"limit": 4, "n": 6, "reward_model": False, "rerank_samples": None}
    pipeline(source="seed", db=tmp_path / "threads.duckdb", **data_only)
    pipeline(source="seed", db=tmp_path / "dask.duckdb", **data_only, task_runner="dask", workers=2)
    assert snapshot(tmp_path / "dask.duckdb") == snapshot(tmp_path / "threads.duckdb")


@pytest.mark.slow
def test_sigkill_and_resume_writes_exactly_the_uninterrupted_rows(tmp_path):
    env = {
        **os.environ,
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        "PREFECT_HOME": str(tmp_path / "prefect"),
    }
    clean, killed = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    run_pipeline(clean, 10, env)
    cut_short = {}
    # inside synth, filter and score: a few batches finished, more to come (batches of 4; 10 problems x 8 programs)
    for task, count, stage in (
        ("infer-tests", 2, "synth"),
        ("filter-batch", 2, "filter"),
        ("score-batch", 8, "score"),
    ):
        run_pipeline(killed, 10, env, kill_after=(task, count))
        cut_short |= dict(stages_cut_short(killed))
        assert stage in cut_short, cut_short  # its run never finished
    # the kill inside scoring landed with part of the stage's rows written (a batch is committed as it completes)
    assert 0 < cut_short["score"] < total_rows(clean, "score"), cut_short
    run_pipeline(killed, 10, env)
    assert snapshot(killed) == snapshot(clean)


@pytest.mark.slow
def test_two_pipelines_at_once_on_one_database_both_finish(tmp_path):
    """Flows share one DuckDB file, which takes one writer: the second waits for the first's stage to close
    it (a bounded wait), and together they write exactly the rows of one run."""
    env = {
        **os.environ,
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        "PREFECT_HOME": str(tmp_path / "prefect"),
    }
    alone, shared = tmp_path / "alone.duckdb", tmp_path / "shared.duckdb"
    runs = [  # each in its own Prefect local mode (two temporary servers must not share a PREFECT_HOME)
        subprocess.Popen(
            [sys.executable, "-c", PIPELINE, str(shared), "6"],
            cwd=tmp_path,
            env={**env, "PREFECT_HOME": str(tmp_path / f"prefect-{i}")},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    for run in runs:
        _, err = run.communicate(timeout=900)
        assert run.returncode == 0, err[-3000:]
    run_pipeline(alone, 6, env)
    assert snapshot(shared) == snapshot(alone)


def stages_cut_short(db: Path) -> list[tuple[str, int]]:
    """(stage, rows it wrote) for each run that a kill left unfinished."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        running = con.execute("SELECT stage, run_id FROM runs WHERE status = 'running'").fetchall()
        return [(s, con.execute(STAGE_ROWS[s], [r]).fetchone()[0]) for s, r in running if s in STAGE_ROWS]
    finally:
        con.close()


def total_rows(db: Path, stage: str) -> int:
    """The rows the stage wrote in an uninterrupted run."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        [(run_id,)] = con.execute(
            "SELECT run_id FROM runs WHERE stage = ? AND status = 'ok'", [stage]
        ).fetchall()
        return con.execute(STAGE_ROWS[stage], [run_id]).fetchone()[0]
    finally:
        con.close()


@pytest.mark.slow
def test_deployment_served_against_a_real_server_completes(tmp_path):
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_API_URL": api,
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    served = None
    try:
        wait_for_url(f"{api}/health", 120)
        db = tmp_path / "served.duckdb"
        serve_code = (
            "from flows.stages import ingest_flow; "
            f"ingest_flow.serve(name='test-ingest', parameters={{'source': 'seed', 'db': {str(db)!r}}})"
        )
        log = tmp_path / "served.log"
        served = subprocess.Popen(
            [sys.executable, "-c", serve_code],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        trigger = (
            "from prefect.deployments import run_deployment; "
            "run = run_deployment('ingest/test-ingest', timeout=240); print(run.state.type.value)"
        )
        deadline = time.monotonic() + 120
        while True:  # the deployment exists once the serving process has registered it
            result = subprocess.run(
                [sys.executable, "-c", trigger],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if result.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(2)
        assert result.stdout.strip().endswith("COMPLETED"), result.stderr[-2000:] + log.read_text()[-4000:]
        assert len(snapshot(db)["sources"]) == 120
    finally:
        for process in (served, server):
            if process is not None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)


def test_every_deployment_names_a_flow_and_valid_parameters():
    import yaml
    from prefect.flows import load_flow_from_entrypoint

    spec = yaml.safe_load((ROOT / "flows" / "prefect.yaml").read_text())
    names = set()
    for deployment in spec["deployments"]:
        flow = load_flow_from_entrypoint(str(ROOT / deployment["entrypoint"]))
        flow.validate_parameters(deployment.get("parameters") or {})  # raises on an unknown or mistyped one
        names.add(flow.name)
    assert names >= STAGES | {"pipeline"}


def test_serve_offers_the_deployments_prefect_yaml_declares():
    import yaml

    from flows.serve import deployments

    spec = yaml.safe_load((ROOT / "flows" / "prefect.yaml").read_text())
    served = {d.name: d for d in deployments()}
    assert set(served) == {d["name"] for d in spec["deployments"]}
    for declared in spec["deployments"]:
        deployment = served[declared["name"]]
        assert deployment.description == declared.get("description")
        assert bool(deployment.schedules) == bool(declared.get("schedules"))
