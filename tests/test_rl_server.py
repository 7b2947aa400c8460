"""The OpenRLHF reward server over real HTTP (old and new request shapes, unknown problems, health), the
problem lookup from chat-templated queries, and verl's `compute_score` on known cases."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest

from acecoder.rl.data import RLProblem
from acecoder.rl.execution import CompletionRunner
from acecoder.rl.lookup import ProblemIndex
from acecoder.rl.prompts import build_prompt
from acecoder.rl.rewards import build_reward

ADD = RLProblem(
    "p-add", "Return the sum of a and b.", "add", ("assert add(1, 2) == 3", "assert add(0, 0) == 0")
)
NEG = RLProblem("p-neg", "Return minus x.", "neg", ("assert neg(3) == -3",))
RIGHT_ADD = "```python\ndef add(a, b):\n    return a + b\n```"
WRONG_ADD = "```python\ndef add(a, b):\n    return a * b\n```"
RIGHT_NEG = "Sure.\n```python\ndef neg(x):\n    return -x\n```"


def chatml(problem: RLProblem, response: str, style: str = "plain") -> tuple[str, str]:
    """(prompt, prompt + response) as Qwen's chat template renders them."""
    turns = "".join(
        f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n"
        for m in build_prompt(problem.question, problem.entry_point, style, chat=True)
    )
    prompt = turns + "<|im_start|>assistant\n"
    return prompt, prompt + response + "<|im_end|>\n<|endoftext|>"


def llama3(problem: RLProblem, response: str) -> str:
    user = build_prompt(problem.question, problem.entry_point, "plain", chat=True)[0]["content"]
    return (
        "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n" + user + "<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\n" + response + "<|eot_id|>"
    )


@pytest.fixture(scope="module")
def pool():
    from acecoder.sandbox import SandboxPool

    with SandboxPool(workers=2) as opened:
        yield opened


@pytest.fixture(scope="module")
def server_url(pool):
    from acecoder.rl.server import RewardService, make_server

    service = RewardService(ProblemIndex([ADD, NEG]), build_reward("binary", runner=CompletionRunner(pool)))
    server = make_server(service, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


def post(url: str, payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, json.dumps(payload).encode(), {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_lookup_finds_problems_in_queries():
    index = ProblemIndex([ADD, NEG])
    prompt, query = chatml(ADD, RIGHT_ADD)
    for sample in (index.find(query), index.find(query, prompt=prompt)):
        assert sample.problem is ADD and sample.response == RIGHT_ADD
    r1_prompt, r1_query = chatml(NEG, "<think>x</think><answer>" + RIGHT_NEG + "</answer>", style="r1")
    assert index.find(r1_query).problem is NEG
    assert index.find(r1_query).response == "<think>x</think><answer>" + RIGHT_NEG + "</answer>"
    assert index.find(llama3(NEG, RIGHT_NEG)).problem is NEG
    plain_prompt = str(build_prompt(ADD.question, ADD.entry_point, chat=False))
    assert (
        index.find(plain_prompt + RIGHT_ADD).problem is ADD
    )  # no chat markers: the question is searched for
    sample = index.find(plain_prompt + RIGHT_ADD, prompt=plain_prompt)  # or the prompt's hash is looked up
    assert sample.problem is ADD and sample.response == RIGHT_ADD
    assert index.find("unrelated text " + RIGHT_ADD) is None
    assert index.find("unrelated", label="p-neg").problem is NEG
    by_tests = index.find("x " + RIGHT_ADD, label=json.dumps(list(ADD.tests)))
    assert by_tests.problem.tests == ADD.tests


def test_server_answers_old_shape(server_url):
    queries = [chatml(ADD, RIGHT_ADD)[1], chatml(ADD, WRONG_ADD)[1], llama3(NEG, RIGHT_NEG)]
    status, body = post(server_url + "/get_reward", {"query": queries})
    assert status == 200 and body == {"rewards": [1.0, 0.0, 1.0]}


def test_server_answers_new_shape_with_prompts_and_labels(server_url):
    pairs = [chatml(NEG, RIGHT_NEG), chatml(ADD, WRONG_ADD), chatml(ADD, RIGHT_ADD)]
    payload = {
        "query": [q for _, q in pairs],
        "prompts": [p for p, _ in pairs],
        "labels": ["p-neg", None, None],
    }
    status, body = post(server_url + "/get_reward", payload)
    assert status == 200 and body == {"rewards": [1.0, 0.0, 1.0]}


def test_server_refuses_unknown_problems_and_bad_requests(server_url):
    status, body = post(server_url + "/get_reward", {"query": [chatml(ADD, RIGHT_ADD)[1], "who knows"]})
    assert status == 422 and body["unknown"] == [1]
    assert post(server_url + "/get_reward", {"query": "not a list"})[0] == 400
    assert post(server_url + "/get_reward", {"query": ["a"], "prompts": ["a", "b"]})[0] == 400
    assert post(server_url + "/nope", {})[0] == 404
    with urllib.request.urlopen(server_url + "/health", timeout=10) as response:
        assert json.loads(response.read()) == {"status": "ok", "problems": 2, "reward": "binary"}


def test_verl_compute_score_on_known_cases(pool, monkeypatch):
    from acecoder.rl import rewards, verl_score

    monkeypatch.setattr(rewards, "_default_runner", CompletionRunner(pool, timeout_s=1.0))
    tests = list(ADD.tests)
    assert verl_score.compute_score("acecoder", RIGHT_ADD, tests) == 1.0
    assert verl_score.compute_score("acecoder", WRONG_ADD, json.dumps(tests)) == 0.0
    assert verl_score.compute_score("acecoder", RIGHT_ADD, {"tests": tests, "entry_point": "add"}) == 1.0
    assert verl_score.compute_score("acecoder", RIGHT_ADD, json.dumps({"tests": tests})) == 1.0
    partly = "```python\ndef add(a, b):\n    return a + b + 1 if a else 0\n```"
    assert verl_score.compute_score("acecoder", partly, tests, {"reward": "pass_rate"}) == 0.5
    assert verl_score.compute_score("acecoder", "no code", tests, {"reward": "coderl"}) == -1.0
    assert verl_score.compute_score_batch(["a", "a"], [RIGHT_ADD, WRONG_ADD], [tests, tests]) == [1.0, 0.0]
    with pytest.raises(ValueError, match="unknown reward"):
        verl_score.compute_score("acecoder", RIGHT_ADD, tests, {"reward": "nope"})


def test_serve_reward_command_on_an_exported_folder(tmp_path):
    import os
    import subprocess
    import sys

    import polars as pl

    (tmp_path / "data").mkdir()
    pl.DataFrame(
        {
            "problem_id": [ADD.problem_id],
            "question": [ADD.question],
            "entry_point": [ADD.entry_point],
            "tests": [list(ADD.tests)],
            "hard": [False],
        }
    ).write_parquet(tmp_path / "data" / "train.parquet")
    command = [sys.executable, "-m", "acecoder", "serve-reward", "--data", str(tmp_path), "--port", "0"]
    process = subprocess.Popen(
        command, stderr=subprocess.PIPE, text=True, env={**os.environ, "NO_COLOR": "1"}
    )
    try:
        line = process.stderr.readline()
        assert "serving binary rewards for 1 problems on http://127.0.0.1:" in line, line
        url = line.split(" on ")[1].strip()
        assert post(url, {"query": [chatml(ADD, RIGHT_ADD)[1]]}) == (200, {"rewards": [1.0]})
    finally:
        process.terminate()
        process.wait(timeout=30)
