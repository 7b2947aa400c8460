"""The README does what it says: every command it documents, run as a user runs it (the `make` targets and
the installed `acecoder` and `prefect` commands, in subprocesses) on tiny inputs in a fresh temporary folder.

The documented commands are read from README.md itself (its code blocks and inline code), so a command added
to the README without a check here fails `test_every_documented_command_has_a_check`. A command is checked
by a test of this file, by an existing test that already runs it (`REUSED`), or is listed in `NOT_RUN` with
the reason. The checks share one workspace and run in file order: the demo's database feeds the stage,
export, report and reward-model commands; a real Prefect server serves the deployment commands.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from conftest import free_port, wait_for_url

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
BIN = Path(sys.executable).parent  # the virtualenv running this suite (make's VENV)
VENV = BIN.parent
FIXTURES = Path(__file__).parent / "fixtures"
CODEGEN_SLICE = FIXTURES / "codegen_humaneval_slice.jsonl"
PROGRAMS = ("acecoder", "make", "python", "prefect", "accelerate")

# Commands the README documents that an existing test already runs as a user would.
REUSED = {
    "acecoder serve-reward": "test_rl_server.py::test_serve_reward_command_on_an_exported_folder",
    # the ablation flow on its CPU grid; `python -m flows.ablation` (what `make ablation` runs) only parses
    # its options into that flow, and the default benchmarks are the bundled files test_benchmark_data loads
    "make ablation": "test_ablation_flow.py::test_ablation_flow_runs_the_grid_on_cpu",
    "python -m flows.ablation": "test_ablation_flow.py::test_ablation_flow_runs_the_grid_on_cpu",
    # every import command on the bundled slices, as a user types them
    **{
        f"acecoder import {kind}": "test_imports.py::test_import_commands"
        for kind in ("benchmark", "samples", "llm-tests", "acecode", "inferred-tests", "labels")
    },
    "acecoder report quality": "test_quality.py::test_report_quality_command_and_flow",
}
# Commands not run here, and why.
NOT_RUN = {
    "make test": "the whole suite, of which this file is part",
    "make setup": "creates .venv and installs the package: the environment this suite runs in",
    "make bench": "benchmarks: minutes of work whose figures are read, not pass/fail",
    "python bench/": "benchmarks: minutes of work whose figures are read, not pass/fail",
    "make rm-evidence": "an experiment on CodeGen-16B's real HumanEval samples (minutes of work, figures read)",
    "accelerate launch": "several GPUs with DeepSpeed; `make rm-train` runs the same `acecoder rm train` here",
}
CHECKS: dict[str, str] = {}  # command key -> the test of this file that runs it


def checks(*keys: str) -> Callable:
    """Record which documented commands a test runs."""

    def register(test: Callable) -> Callable:
        for key in keys:
            CHECKS[key] = f"{Path(__file__).name}::{test.__name__}"
        return test

    return register


# --- what the README documents --------------------------------------------------------------------------

FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
INLINE = re.compile(r"`([^`\n]+)`")


def documented_snippets(text: str) -> list[str]:
    """Command lines of the code blocks and inline code that starts with a documented program."""
    snippets = []
    for block in FENCE.findall(text):
        for line in block.splitlines():
            line = line.split(" #")[0].strip()
            if line.split()[:1] and line.split()[0] in PROGRAMS:
                snippets.append(line)
    for span in INLINE.findall(FENCE.sub("", text)):
        words = span.split()
        if len(words) > 1 and words[0] in PROGRAMS:
            snippets.append(span)
    return snippets


def command_keys(snippet: str, cli) -> list[str]:
    """What a snippet runs: `acecoder` subcommands (alternatives such as `train|eval` expanded, found in
    the CLI's own command tree), a make target, a python script or module, a prefect command."""
    words = snippet.replace("\\|", "|").split()
    program = words[0]
    if program == "acecoder":
        keys: list[str] = []

        def walk(command, i: int, prefix: str) -> None:
            if not hasattr(command, "commands"):
                keys.append(prefix)
                return
            names = [n for n in words[i].split("|") if n in command.commands] if i < len(words) else []
            for name in names:  # a group named without a subcommand is prose, not a command
                walk(command.commands[name], i + 1, f"{prefix} {name}")

        walk(cli, 1, "acecoder")
        return keys
    if program == "make":
        return [f"make {words[1]}"]
    if program == "python":
        return [f"python -m {words[2]}" if words[1] == "-m" else f"python {words[1]}"]
    if program == "prefect":
        return [" ".join(words[:3])]
    return [" ".join(words[:2])]


def documented_commands() -> dict[str, str]:
    """Each documented command's key and the first README snippet naming it."""
    import typer.main

    from acecoder.cli.main import app

    cli = typer.main.get_command(app)
    found: dict[str, str] = {}
    for snippet in documented_snippets(README.read_text()):
        for key in command_keys(snippet, cli):
            found.setdefault(key, snippet)
    return found


def not_run_reason(key: str) -> str | None:
    return next((reason for prefix, reason in NOT_RUN.items() if key.startswith(prefix)), None)


def test_every_documented_command_has_a_check():
    documented = documented_commands()
    assert {"make demo", "acecoder rerank", "make deploy", "acecoder export pairs"} <= set(documented)
    unchecked = {
        key: snippet
        for key, snippet in documented.items()
        if key not in CHECKS and key not in REUSED and not_run_reason(key) is None
    }
    assert not unchecked, f"README commands without a check in {Path(__file__).name}: {unchecked}"
    for key, test in REUSED.items():
        file_name, name = test.split("::")
        assert f"def {name}(" in (Path(__file__).parent / file_name).read_text(), (key, test)


# --- the workspace ----------------------------------------------------------------------------------------


@dataclass
class Workspace:
    """A fresh folder and a clean environment: nothing of the developer's ACECODER_/OPENAI_/PREFECT_ settings."""

    root: Path
    env: dict[str, str]

    def run(self, *command: str | Path, cwd: Path | None = None, timeout: float = 600, **env: str) -> str:
        """Run a command to completion; fail with its output unless it exits 0. Returns stdout + stderr."""
        done = subprocess.run(
            [str(part) for part in command],
            cwd=cwd or self.root,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        output = done.stdout + done.stderr
        assert done.returncode == 0, (
            f"{' '.join(map(str, command))} exited {done.returncode}:\n{output[-4000:]}"
        )
        return output

    def acecoder(self, *args: str | Path, **env: str) -> str:
        return self.run(BIN / "acecoder", *args, **env)

    def make(self, target: str, *assignments: str, cwd: Path | None = None, **env: str) -> str:
        """`make TARGET` as the README has it, against this suite's virtualenv (never reinstalled)."""
        return self.run(*self.make_command(target, *assignments), cwd=cwd, **env)

    @staticmethod
    def make_command(target: str, *assignments: str) -> list[str]:
        return [
            "make",
            "-f",
            str(REPO / "Makefile"),
            "-o",
            f"{VENV}/.installed",
            f"VENV={VENV}",
            target,
            *assignments,
        ]

    @contextmanager
    def background(self, *command: str, log: str, cwd: Path | None = None, **env: str) -> Iterator[Path]:
        """A long-running command (a server, a worker), stopped with its whole process group on the way out."""
        log_path = self.root / log
        with log_path.open("w") as out:
            process = subprocess.Popen(
                command, cwd=cwd or self.root, env={**self.env, **env}, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        try:
            yield log_path
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=20)

    def db(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.root / "data" / "acecoder.duckdb"), read_only=True)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Workspace:
    root = tmp_path_factory.mktemp("readme")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ACECODER_", "OPENAI_", "PREFECT_"))}
    env.update(
        HF_HUB_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
        PREFECT_HOME=str(root / ".prefect"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_ENABLED="false",
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180",
    )
    return Workspace(root, env)


@pytest.fixture(scope="module")
def demo(workspace) -> Workspace:
    """`make demo` on 6 seed problems (8 programs each, 2 tasks reranked), in the workspace, in Prefect's
    local mode as the README says (nothing started or configured first)."""
    output = workspace.make("demo", "DEMO_ARGS=--limit 6 --n 8 --rerank-tasks 2")
    assert "pipeline finished" in output
    return workspace


@pytest.fixture(scope="module")
def prefect_api(workspace) -> Iterator[str]:
    """`make server` on a free port (the README's team set-up), for the commands that need PREFECT_API_URL."""
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    with workspace.background(*Workspace.make_command("server", f"PORT={port}"), log="server.log") as log:
        wait_for_url(f"{api}/health", 180, log)
        yield api


# --- the checks ---------------------------------------------------------------------------------------------


@pytest.mark.slow
@checks("make demo")
def test_make_demo_on_a_few_problems(demo):
    con = demo.db()
    try:
        problems, pairs = con.execute(
            "SELECT (SELECT count(*) FROM problems), (SELECT count(*) FROM pairs)"
        ).fetchone()
    finally:
        con.close()
    assert problems == 6 and pairs > 0
    card = (demo.root / "runs" / "reward-model" / "demo" / "README.md").read_text()
    assert "base_model: sentence-transformers/all-MiniLM-L6-v2" in card and "site-packages" not in card
    assert (demo.root / "data" / "reports" / "pass_rates.png").is_file()


@pytest.mark.slow
@checks(
    "acecoder ingest",
    "acecoder synth",
    "acecoder filter",
    "acecoder sample",
    "acecoder score",
    "acecoder pairs",
)
def test_stage_commands_add_to_the_demo_database(demo):
    demo.acecoder("ingest", "seed", "--limit", "8")  # the demo's 6 are already stored: 2 new rows
    demo.acecoder("synth", "--backend", "inferred")
    demo.acecoder("filter")
    demo.acecoder("sample", "--policy", "mutants", "--n", "4")
    demo.acecoder("score")
    demo.acecoder("pairs", "--export", "data/export/pairs-cli")
    con = demo.db()
    try:
        sources, problems, unscored = con.execute(
            "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM problems), "
            "(SELECT count(*) FROM programs WHERE program_id NOT IN (SELECT program_id FROM executions))"
        ).fetchone()
    finally:
        con.close()
    assert (sources, problems) == (8, 8) and unscored == 0
    assert list((demo.root / "data" / "export" / "pairs-cli").rglob("*.parquet"))


@pytest.mark.slow
@checks("acecoder export pairs", "acecoder export rl", "acecoder report tests", "acecoder status")
def test_export_report_and_status(demo):
    demo.acecoder("export", "pairs", "out/pairs")
    demo.acecoder("export", "rl", "out/rl")
    for folder in ("pairs", "rl"):
        assert list((demo.root / "out" / folder).rglob("*.parquet")), folder
    assert "inferred" in demo.acecoder("report", "tests")  # the demo's tests, by origin
    status = demo.acecoder("status")
    assert "sources" in status and "pairs" in status


@pytest.mark.slow
@checks("make rm-train", "acecoder rm train", "acecoder rm eval", "acecoder rm score")
def test_make_rm_train_then_eval_and_score(demo):
    from acecoder.core import rm_format
    from acecoder.rl.tiny_model import build_tiny_model

    con = demo.db()
    try:
        rows = con.execute("SELECT question, code FROM problems JOIN programs USING (problem_id)").fetchall()
    finally:
        con.close()
    # a tiny local base model keeps this to seconds; the default (MiniLM) is what the demo trained
    texts = [rm_format.prompt_text(q, None) + rm_format.response_text(code) for q, code in rows]
    tiny = build_tiny_model(
        demo.root / "tiny-base", texts, vocab_size=1000, seed=0
    )  # every pair in 512 tokens
    output = demo.make("rm-train", f"MODEL={tiny}", "OUT=runs/rm-tiny", "RM_ARGS=--epochs 1")
    model = demo.root / "runs" / "rm-tiny"
    assert "accuracy" in output and {"pairwise", "best_of_n"} <= set(
        json.loads((model / "eval_results.json").read_text())
    )
    assert "(a local model folder)" in (model / "README.md").read_text()
    demo.acecoder("rm", "eval", model)
    programs = demo.root / "programs.jsonl"
    programs.write_text("".join(json.dumps({"question": q, "program": c}) + "\n" for q, c in rows[:3]))
    demo.acecoder("rm", "score", model, programs, "-o", "scored.jsonl")
    scored = [json.loads(line) for line in (demo.root / "scored.jsonl").read_text().splitlines()]
    assert len(scored) == 3 and all(isinstance(row["score"], float) for row in scored)


def _mbpp_plus_samples(path: Path, tasks: int = 2) -> Path:
    """Two samples per MBPP+ task: the canonical solution and one that returns nothing."""
    from acecoder.code import benchmarks

    lines = []
    for task in benchmarks.load("mbpp+")[:tasks]:
        lines.append({"task_id": task.task_id, "solution": task.canonical_solution})
        lines.append(
            {"task_id": task.task_id, "solution": f"def {task.entry_point}(*args):\n    return None\n"}
        )
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


@pytest.mark.slow
@checks("acecoder rerank")
def test_rerank_on_each_benchmark_and_with_the_reward_model(demo):
    mbpp_samples = _mbpp_plus_samples(demo.root / "mbpp_samples.jsonl")
    for benchmark, samples in (
        ("humaneval", CODEGEN_SLICE),
        ("humaneval+", CODEGEN_SLICE),
        ("mbpp+", mbpp_samples),
    ):
        report = demo.root / "rerank" / benchmark  # -o into a folder not made yet: rerank makes it
        demo.acecoder(
            "rerank", samples, "-o", report / "selected.jsonl", "--benchmark", benchmark, "--method", "exec",
            "--n", "2", "--evaluate", "--report", report, "--no-progress",
        )  # fmt: skip
        result = json.loads((report / "report.json").read_text())
        selected = (report / "selected.jsonl").read_text().splitlines()
        assert result["tasks"] == len(selected) == (2 if benchmark == "mbpp+" else 6), benchmark
        assert set(result["tests"]) == ({"base"} if benchmark == "humaneval" else {"base", "plus"}), benchmark
    assert result["tests"]["base"]["selected_pass@1"] == 1.0  # exec prefers the canonical MBPP+ solution
    # the reward model the demo trained; --no-progress leaves stderr free of bars
    output = demo.acecoder(
        "rerank", CODEGEN_SLICE, "-o", "rerank/rm.jsonl", "--method", "rm", "--model", "runs/reward-model/demo",
        "--no-progress",
    )  # fmt: skip
    assert "scoring" not in output and "%|" not in output
    assert len((demo.root / "rerank" / "rm.jsonl").read_text().splitlines()) == 6


@pytest.mark.slow
@checks("acecoder execute")
def test_execute_from_a_file_and_from_stdin(workspace):
    jobs = [
        {
            "id": "good",
            "program": "def f(x):\n    return x + 1\n",
            "tests": ["assert f(1) == 2", "assert f(2) == 3"],
        },
        {"id": "bad", "program": "def f(x):\n    return x\n", "tests": ["assert f(1) == 2"]},
    ]
    path = workspace.root / "jobs.jsonl"
    path.write_text("".join(json.dumps(job) + "\n" for job in jobs))
    workspace.acecoder("execute", path, "-o", "verdicts.jsonl", "--workers", "1")
    verdicts = [json.loads(line) for line in (workspace.root / "verdicts.jsonl").read_text().splitlines()]
    assert {v["id"]: [t["status"] for t in v["tests"]] for v in verdicts} == {
        "good": ["pass", "pass"],
        "bad": ["fail"],
    }
    done = subprocess.run(
        [str(BIN / "acecoder"), "execute", "-", "-o", "-", "--fork-per-test", "--workers", "1"],
        input=path.read_text(), capture_output=True, text=True, cwd=workspace.root, env=workspace.env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    forked = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert {v["id"]: [t["status"] for t in v["tests"]] for v in forked} == {
        "good": ["pass", "pass"],
        "bad": ["fail"],
    }


@pytest.mark.slow
@checks("make rl", "acecoder rl train", "acecoder rl eval")
def test_make_rl_then_rl_eval(workspace):
    workspace.make("rl", "RL_ARGS=--limit 2 --max-steps 1 --out runs/rl")
    policy = workspace.root / "runs" / "rl" / "model"
    assert (policy / "model.safetensors").is_file()
    output = workspace.acecoder(
        "rl", "eval", policy, "--benchmark", "mbpp+", "--limit", "1", "--max-new-tokens", "8"
    )
    assert "mbpp+" in output


@pytest.mark.slow
@checks(
    "acecoder synthetic generate",
    "acecoder synthetic split",
    "acecoder synthetic check",
    "acecoder sft train",
)
def test_synthetic_functions_and_sft(workspace):
    db = ("--db", "data/synthetic.duckdb")
    workspace.acecoder("synthetic", "generate", "--count", "12", "--depth", "2..3", "--seed", "0", *db)
    workspace.acecoder("synthetic", "split", "--held-out-topic", "strings", *db)
    workspace.acecoder("synthetic", "check", *db)
    workspace.acecoder("sft", "train", "--mix", "atomic+2", "--max-steps", "1", "--out", "runs/sft", *db)
    assert (workspace.root / "runs" / "sft" / "model" / "model.safetensors").is_file()


def _deployment_names(api: str) -> set[str]:
    request = urllib.request.Request(
        f"{api}/deployments/filter", data=b"{}", headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return {deployment["name"] for deployment in json.load(answer)}


@pytest.mark.slow
@checks(
    "make server", "make serve", "make deploy", "prefect concurrency-limit create", "prefect work-pool create",
    "prefect worker start",
)  # fmt: skip
def test_deployment_commands_against_a_real_server(workspace, prefect_api):
    import yaml

    declared = {
        d["name"] for d in yaml.safe_load((REPO / "flows" / "prefect.yaml").read_text())["deployments"]
    }
    api = {"PREFECT_API_URL": prefect_api}
    workspace.run(BIN / "prefect", "concurrency-limit", "create", "llm", "8", **api)
    workspace.run(BIN / "prefect", "work-pool", "create", "acecoder-process", "--type", "process", **api)
    with workspace.background(*Workspace.make_command("serve"), log="serve.log", **api) as log:
        deadline = time.monotonic() + 180
        while not declared <= _deployment_names(prefect_api):
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(1)
    workspace.make("deploy", cwd=REPO, **api)  # from the repository, as flows/prefect.yaml's paths are
    db = workspace.root / "deployed.duckdb"
    worker = (BIN / "prefect", "worker", "start", "--pool", "acecoder-process")
    with workspace.background(
        *map(str, worker), log="worker.log", PREFECT_WORKER_QUERY_SECONDS="1", **api
    ) as log:
        output = workspace.run(
            BIN / "prefect", "deployment", "run", "synth/nightly-synth", "--param", f"db={json.dumps(str(db))}",
            "--watch", "--watch-interval", "1", "--watch-timeout", "300", **api,
        )  # fmt: skip
    assert "Completed" in output, log.read_text()[-3000:]
    assert db.is_file()


@pytest.mark.slow
@checks("make lint")
def test_make_lint(workspace):
    workspace.make("lint", cwd=REPO)
