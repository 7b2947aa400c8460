"""The LLM path against a real OpenAI-compatible server: `transformers serve` on a tiny randomly initialised
chat model built here (no download), driven through the CLI: ingest -> synth (LLM) -> synth (inferred) ->
filter -> sample (LLM).

The model writes noise, so every synth reply is unusable and must be stored as a failed problem with its
reason; the server ignores `n` (it answers one choice), so the client must top the choices up with single
requests; nothing the pipeline was asked for may go missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import free_port
from typer.testing import CliRunner

pytestmark = pytest.mark.slow

CHAT_TEMPLATE = (
    "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}assistant: {% endif %}"
)
SERVE = Path(sys.executable).with_name("transformers")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`transformers serve` on a tiny Qwen2 with a chat template; yields (base URL, model name)."""
    pytest.importorskip("fastapi")
    pytest.importorskip("uvicorn")
    if not SERVE.exists():
        pytest.skip("the transformers command is not installed beside this Python")
    from acecoder.rl.tiny_model import build_tiny_model

    folder = tmp_path_factory.mktemp("tiny-chat") / "model"
    texts = ["def add(a, b):\n    return a + b\n", "Write a function. ```python\nprint(1)\n```"] * 50
    build_tiny_model(folder, texts, vocab_size=400, seed=0)
    (folder / "chat_template.jinja").write_text(
        CHAT_TEMPLATE
    )  # the tokenizer's template, as transformers saves it

    port = free_port()
    log = (folder.parent / "serve.log").open("w")
    process = subprocess.Popen(
        [str(SERVE), "serve", str(folder), "--device", "cpu", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_VERBOSITY": "error"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # imports of torch, transformers and fastapi on a busy machine
        while True:
            if process.poll() is not None:
                pytest.fail(f"transformers serve exited: {(folder.parent / 'serve.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("transformers serve did not come up within 180 s")
            time.sleep(0.5)
        yield f"{base}/v1", str(folder)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def _cli(*args: str) -> str:
    from acecoder.cli.main import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, f"acecoder {' '.join(args)}:\n{result.output}\n{result.exception!r}"
    return result.output


def test_synth_filter_sample_through_a_real_server(server, tmp_path, monkeypatch):
    from acecoder.core.settings import get_settings
    from acecoder.core.store import open_store

    base_url, model = server
    db = tmp_path / "acecoder.duckdb"
    monkeypatch.setenv("OPENAI_BASE_URL", base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "unused")
    monkeypatch.setenv("ACECODER_DB", str(db))
    monkeypatch.setenv("ACECODER_LLM_MAX_RETRIES", "1")
    get_settings.cache_clear()
    try:
        _cli("ingest", "seed", "--limit", "6")
        _cli(
            "synth",
            "--backend",
            "llm",
            "--model",
            model,
            "--limit",
            "3",
            "--max-tokens",
            "16",
            "--no-progress",
        )
        _cli("synth", "--backend", "inferred", "--limit", "3", "--no-progress")
        _cli("filter", "--no-progress")
        _cli("sample", "--policy", "llm", "--model", model, "--n", "3", "--limit", "2", "--max-tokens", "16")
    finally:
        get_settings.cache_clear()

    with open_store(db, read_only=True) as store:
        con = store.con
        llm_problems = con.execute(
            "SELECT status, status_reason FROM problems WHERE origin = 'llm' AND model = ?", [model]
        ).fetchall()
        cached = [
            (json.loads(request), json.loads(response))
            for request, response in con.execute("SELECT request, response FROM llm_cache").fetchall()
        ]
        kept = con.execute("SELECT problem_id FROM problems WHERE status = 'kept'").fetchall()
        programs = con.execute(
            "SELECT problem_id, json_extract(metadata, '$.extracted') FROM programs WHERE policy = ?", [model]
        ).fetchall()
        runs = dict(
            con.execute("SELECT stage, metrics FROM runs WHERE stage IN ('synth', 'sample')").fetchall()
        )

    # synth: every request was accepted (its reply cached) and every unusable reply is a failed problem
    assert len(llm_problems) == 3
    assert all(status == "failed" and reason for status, reason in llm_problems), llm_problems
    assert {request["endpoint"] for request, _ in cached} == {base_url}
    # sample: n = 3 from a server that answers one choice per request; each reply, noise, stored unextracted
    sampled = [response for request, response in cached if request.get("n") == 3]
    assert kept and len(sampled) == min(2, len(kept))
    assert all(len(response["texts"]) == 3 for response in sampled)
    # a first request asks for n = 3 and gets one choice; the client tops it up and sends singles after that
    usage = json.loads(runs["sample"])["usage"]
    assert usage["llm_requests"] == 3 * len(sampled) and usage["llm_failures"] == 0
    assert len(programs) == sum(len(set(response["texts"])) for response in sampled)  # distinct texts
    assert all(json.loads(extracted) is False for _, extracted in programs)
