"""The LLM client against a real local HTTP server (tests/openai_stub.py), and the reply-parsing helpers."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from openai_stub import (
    OpenAIStub,
    by_prompt,
    disconnect,
    garbage_text,
    malformed,
    openai_stub_fixture,  # noqa: F401 - registers the `openai_stub` fixture here
    reply,
    sleep,
    status,
)

from acecoder.core.settings import Settings
from acecoder.core.store import Store
from acecoder.llm import (
    ChatFailure,
    ChatRequest,
    ChatResult,
    LLMClient,
    LLMConfig,
    LLMError,
    ReplyParseError,
    extract_code_blocks,
    extract_json,
)
from acecoder.llm.body import is_reasoning_model, wire_request
from acecoder.llm.limits import TokenBucket, estimate_tokens
from acecoder.llm.retry import backoff_s, retry_after_s


def make_client(stub: OpenAIStub, store: Store | None = None, **overrides) -> LLMClient:
    """A client with short timeouts and backoff, so that retries cost milliseconds."""
    settings = dict(
        model="test-model",
        base_url=stub.base_url,
        timeout_s=2.0,
        max_retries=2,
        backoff_initial_s=0.01,
        backoff_max_s=0.02,
    )
    return LLMClient(LLMConfig(**(settings | overrides)), store=store, run_id="run-test")


def ask(text: str, **parameters) -> ChatRequest:
    return ChatRequest.from_prompt(text, **parameters)


def run_one(client: LLMClient, request: ChatRequest) -> ChatResult | ChatFailure:
    [outcome] = client.run_many([request], progress=False)
    return outcome


# -- replies and retries ----------------------------------------------------------------------------------
def test_valid_reply_carries_texts_usage_and_the_request_payload(openai_stub):
    openai_stub.script(reply("def add(a, b): return a + b"))
    client = make_client(openai_stub)

    result = run_one(client, ask("write add please", system="be terse", temperature=0.2, max_tokens=64))

    assert isinstance(result, ChatResult)
    assert result.texts == ["def add(a, b): return a + b"] and result.text == result.texts[0]
    assert result.finish_reasons == ["stop"]
    assert (result.prompt_tokens, result.completion_tokens) == (5, 7)
    assert not result.cached and result.model == "test-model"
    [payload] = openai_stub.requests
    assert payload == {
        "model": "test-model",
        "messages": [
            {"role": "system", "content": "be terse"},
            {"role": "user", "content": "write add please"},
        ],
        "temperature": 0.2,
        "max_tokens": 64,
    }
    assert client.meter.requests == 1 and client.meter.retries == 0


def test_complete_is_the_async_form_and_raises_on_failure(openai_stub):
    openai_stub.script(reply("fine"), status(401))
    client = make_client(openai_stub)

    async def both():
        async with client:
            result = await client.complete(ask("a"))
            with pytest.raises(LLMError, match="HTTP 401") as raised:
                await client.complete(ask("b"))
        return result, raised.value.failure

    result, failure = asyncio.run(both())
    assert result.text == "fine"
    assert failure.status_code == 401 and failure.attempts == 1


def test_429_waits_as_long_as_retry_after_says(openai_stub):
    openai_stub.script(status(429, retry_after=0.3), reply("after the wait"))
    client = make_client(openai_stub)

    started = time.perf_counter()
    result = run_one(client, ask("x"))

    # The backoff alone would be at most 0.02 s: only Retry-After explains the wait.
    assert time.perf_counter() - started >= 0.3
    assert result.text == "after the wait"
    assert openai_stub.request_count == 2
    assert client.meter.retries == 1 and client.meter.requests == 2


@pytest.mark.parametrize("code", [429, 500, 502, 503, 504])
def test_transient_status_is_retried(openai_stub, code):
    openai_stub.script(status(code), reply("recovered"))
    client = make_client(openai_stub)

    assert run_one(client, ask("x")).text == "recovered"
    assert client.meter.retries == 1


def test_5xx_until_retries_run_out_fails_that_row_only(openai_stub):
    openai_stub.default = by_prompt({"doomed": status(500, message="overloaded")})
    client = make_client(openai_stub, max_retries=2)

    outcomes = client.run_many([ask("first"), ask("doomed"), ask("last")], progress=False)

    assert [o.text for o in (outcomes[0], outcomes[2])] == ["first", "last"]
    failure = outcomes[1]
    assert isinstance(failure, ChatFailure)
    assert failure.reason == "HTTP 500: overloaded"
    assert (failure.attempts, failure.status_code) == (3, 500)
    assert failure.request.messages[-1]["content"] == "doomed"
    assert sum(p["messages"][-1]["content"] == "doomed" for p in openai_stub.requests) == 3
    assert client.meter.failures == 1 and client.meter.retries == 2


def test_slow_reply_times_out_and_is_retried(openai_stub):
    openai_stub.script(sleep(1.0))
    client = make_client(openai_stub, timeout_s=0.2)

    assert run_one(client, ask("x")).text == "x"
    assert client.meter.retries == 1 and openai_stub.request_count == 2


def test_reply_slower_than_the_timeout_every_time_fails(openai_stub):
    openai_stub.default = sleep(1.0)
    client = make_client(openai_stub, timeout_s=0.2, max_retries=1)

    failure = run_one(client, ask("x"))

    assert isinstance(failure, ChatFailure)
    assert failure.reason == "timed out after 0.2s" and failure.attempts == 2
    assert openai_stub.request_count == 2


def test_dropped_connection_is_retried(openai_stub):
    openai_stub.script(disconnect())
    client = make_client(openai_stub)

    assert run_one(client, ask("x")).text == "x"
    assert client.meter.retries == 1


@pytest.mark.parametrize("code", [400, 401, 403, 404, 422])
def test_client_errors_are_not_retried(openai_stub, code):
    openai_stub.script(status(code, message="no"))
    client = make_client(openai_stub)

    failure = run_one(client, ask("x"))

    assert isinstance(failure, ChatFailure)
    assert (failure.reason, failure.attempts, failure.status_code) == (f"HTTP {code}: no", 1, code)
    assert openai_stub.request_count == 1 and client.meter.retries == 0


@pytest.mark.parametrize("behaviour", [malformed(), garbage_text()], ids=["cut-short-json", "html"])
def test_malformed_body_fails_without_retries(openai_stub, behaviour):
    openai_stub.script(behaviour)
    client = make_client(openai_stub)

    failure = run_one(client, ask("x"))

    assert isinstance(failure, ChatFailure)
    assert failure.reason.startswith("malformed reply: body is not JSON")
    assert failure.attempts == 1 and openai_stub.request_count == 1


# -- n choices --------------------------------------------------------------------------------------------
def test_n_choices_come_from_one_request_when_the_server_supports_n(openai_stub):
    client = make_client(openai_stub)

    result = run_one(client, ask("sample", n=4, temperature=1.0))

    assert result.texts == ["sample"] * 4 and len(result.finish_reasons) == 4
    assert [p.get("n") for p in openai_stub.requests] == [4]


def test_server_rejecting_n_gets_single_requests_and_is_not_asked_again(openai_stub):
    openai_stub.reject_n = True
    client = make_client(openai_stub)

    first = client.run_many([ask("a", n=4, seed=7)], progress=False)[0]
    assert first.texts == ["a"] * 4
    # The probe with n=4 was refused, then four single requests with distinct seeds.
    assert [p.get("n") for p in openai_stub.requests] == [4, None, None, None, None]
    assert sorted(p["seed"] for p in openai_stub.requests[1:]) == [7, 8, 9, 10]

    second = client.run_many([ask("b", n=3), ask("c", n=2)], progress=False)
    assert [len(r.texts) for r in second] == [3, 2]
    assert all("n" not in p for p in openai_stub.requests[5:]) and openai_stub.request_count == 10
    assert client.meter.failures == 0


def test_server_returning_fewer_choices_is_topped_up_with_single_requests(openai_stub):
    openai_stub.max_choices = 1
    client = make_client(openai_stub)

    outcomes = client.run_many([ask("a", n=4), ask("b", n=4)], progress=False)

    assert [len(r.texts) for r in outcomes] == [4, 4]
    # The first asked with n=4 and got one choice; everything after is single requests.
    assert openai_stub.request_count == 1 + 3 + 4
    assert sum("n" in p for p in openai_stub.requests) == 1


def test_use_n_false_never_sends_n(openai_stub):
    client = make_client(openai_stub, use_n=False)

    assert len(run_one(client, ask("a", n=3)).texts) == 3
    assert openai_stub.request_count == 3 and all("n" not in p for p in openai_stub.requests)


# -- concurrency and rate limits --------------------------------------------------------------------------
def test_requests_in_flight_never_exceed_the_concurrency(openai_stub):
    openai_stub.latency_s = 0.05
    client = make_client(openai_stub, concurrency=3)

    outcomes = client.run_many([ask(f"q{i}") for i in range(12)], progress=False)

    assert all(isinstance(o, ChatResult) for o in outcomes)
    assert openai_stub.max_in_flight == 3


def test_requests_per_minute_cap_spaces_requests_out(openai_stub):
    # 1200 a minute is 20 a second with bursts of 20: the 10 requests past the burst take 0.5 s.
    client = make_client(openai_stub, requests_per_minute=1200, concurrency=64)

    started = time.perf_counter()
    outcomes = client.run_many([ask(f"q{i}") for i in range(30)], progress=False)

    assert time.perf_counter() - started >= 0.45
    assert all(isinstance(o, ChatResult) for o in outcomes)


def test_token_bucket_serves_bursts_then_the_refill_rate():
    now = [0.0]
    bucket = TokenBucket(per_minute=600, clock=lambda: now[0])  # 10 a second, bursts of 10

    assert [bucket.reserve(1) for _ in range(10)] == [0.0] * 10
    assert bucket.reserve(1) == pytest.approx(0.1)
    assert bucket.reserve(1) == pytest.approx(0.2)  # queued behind the previous one
    now[0] = 10.0
    assert bucket.reserve(25) == pytest.approx(1.5)  # larger than the burst: waits for the difference


def test_token_estimate_counts_the_prompt_and_every_choice():
    request = ask("x" * 400, max_tokens=100, n=3)
    assert estimate_tokens(request) == 101 + 300


# -- cache ------------------------------------------------------------------------------------------------
def test_second_run_is_answered_from_the_cache_without_any_request(openai_stub, tmp_path):
    requests = [ask("alpha"), ask("beta", n=2), ask("alpha"), ask("gamma", temperature=0.7)]
    with Store(tmp_path / "t.duckdb") as store:
        first = make_client(openai_stub, store=store).run_many(requests, progress=False)
        assert openai_stub.request_count == 3  # the repeated request was sent once
        assert store.con.execute("SELECT count(*), min(run_id) FROM llm_cache").fetchone() == (3, "run-test")

    with Store(tmp_path / "t.duckdb") as store:
        client = make_client(openai_stub, store=store)
        second = client.run_many(requests, progress=False)

    assert openai_stub.request_count == 3
    assert [r.texts for r in second] == [r.texts for r in first]
    assert [r.cache_key for r in second] == [r.cache_key for r in first]
    assert all(r.cached for r in second) and not any(r.cached for r in first)
    assert client.meter.cache_hits == 4 and client.meter.requests == 0


def test_failures_are_not_cached_and_are_retried_by_the_next_run(openai_stub, tmp_path):
    openai_stub.script(status(400))
    with Store(tmp_path / "t.duckdb") as store:
        assert isinstance(run_one(make_client(openai_stub, store=store), ask("x")), ChatFailure)
        assert run_one(make_client(openai_stub, store=store), ask("x")).text == "x"
    assert openai_stub.request_count == 2


def test_cache_key_depends_on_everything_that_changes_the_reply():
    def key(request, model="m", endpoint="http://a/v1"):
        return wire_request(request, model, reasoning=None, extra_body=None).cache_key(endpoint)

    base = ask("x", temperature=0.5)
    keys = {
        key(base),
        key(base, model="other-model"),
        key(base, endpoint="http://b/v1"),
        key(ask("y", temperature=0.5)),
        key(ask("x", temperature=0.6)),
        key(ask("x", temperature=0.5, seed=1)),
        key(ask("x", temperature=0.5, n=2)),
        key(ask("x", temperature=0.5, extra_body={"top_k": 20})),
        wire_request(base, "m", reasoning=None, extra_body={"top_k": 20}).cache_key("http://a/v1"),
    }
    assert len(keys) == 8  # the same extra option from the request or from the client asks the same thing
    assert key(ask("x", temperature=0.5)) == key(base)


def test_the_endpoint_is_part_of_the_cache_key(openai_stub, tmp_path):
    with OpenAIStub() as other, Store(tmp_path / "t.duckdb") as store:
        first = run_one(make_client(openai_stub, store=store), ask("same"))
        second = run_one(make_client(other, store=store), ask("same"))
        again = run_one(make_client(other, store=store), ask("same"))
        stored = [json.loads(r) for (r,) in store.con.execute("SELECT request FROM llm_cache").fetchall()]
    assert (openai_stub.request_count, other.request_count) == (1, 1)
    assert not second.cached and again.cached and first.cache_key != second.cache_key
    assert {r["endpoint"] for r in stored} == {openai_stub.base_url, other.base_url}


# -- options sent: extra body, reasoning models, timeouts -------------------------------------------------
def test_extra_body_options_reach_the_server(openai_stub):
    client = make_client(openai_stub, extra_body={"top_k": 20, "repetition_penalty": 1.1})
    guided = {"guided_json": {"type": "object"}, "top_k": 5}

    run_one(client, ask("plain", temperature=0.3))
    run_one(client, ask("guided", extra_body=guided))

    plain, steered = openai_stub.requests
    assert plain["top_k"] == 20 and plain["repetition_penalty"] == 1.1 and plain["temperature"] == 0.3
    assert steered["top_k"] == 5 and steered["guided_json"] == {"type": "object"}  # the request's own win
    assert steered["repetition_penalty"] == 1.1


def test_extra_body_and_reasoning_come_from_settings(monkeypatch):
    monkeypatch.setenv("ACECODER_LLM_EXTRA_BODY", '{"top_k": 40, "min_p": 0.05}')
    monkeypatch.setenv("ACECODER_LLM_REASONING", "false")
    monkeypatch.setenv("ACECODER_LLM_TIMEOUT_PER_TOKEN_S", "0.01")
    config = LLMConfig.from_settings(Settings(_env_file=None), model="o3-mini")
    assert config.extra_body == {"top_k": 40, "min_p": 0.05} and config.reasoning is False
    assert config.request_timeout_s(1000) == pytest.approx(config.timeout_s + 10)
    with pytest.raises(ValueError, match="extra_body must be a JSON object"):
        LLMConfig(model="m", extra_body=[1, 2])


@pytest.mark.parametrize(
    "model, reasoning",
    [
        ("o1", True),
        ("o1-mini", True),
        ("o3-2025-04-16", True),
        ("o4-mini", True),
        ("openai/o3-mini", True),
        ("gpt-5", True),
        ("gpt-5-mini", True),
        ("gpt-5.1", True),
        ("gpt-5-chat-latest", False),
        ("gpt-4o-mini", False),
        ("Qwen/Qwen2.5-Coder-7B-Instruct", False),
        ("ollama", False),
    ],
)
def test_reasoning_models_are_known_by_name(model, reasoning):
    assert is_reasoning_model(model) is reasoning


def test_reasoning_models_get_max_completion_tokens_and_no_sampling_options(openai_stub):
    request = ask("think", temperature=0.8, top_p=0.9, max_tokens=256, stop=["\n\n"], seed=3)
    for client in (
        make_client(openai_stub, model="o4-mini"),
        make_client(openai_stub, model="my-reasoner", reasoning=True),
    ):
        assert run_one(client, request).text == "think"
    by_name, forced = openai_stub.requests
    for payload in (by_name, forced):
        assert payload["max_completion_tokens"] == 256 and payload["seed"] == 3
        assert not {"max_tokens", "temperature", "top_p", "stop"} & set(payload)

    run_one(make_client(openai_stub, model="o1-lookalike", reasoning=False), request)
    told_not = openai_stub.requests[-1]
    assert (told_not["max_tokens"], told_not["temperature"], told_not["stop"]) == (256, 0.8, ["\n\n"])


def test_a_parameter_the_model_refuses_is_not_retried(openai_stub):
    openai_stub.script(
        status(400, message="Unsupported parameter: 'max_tokens' is not supported with this model.")
    )
    client = make_client(openai_stub, model="custom-reasoner")

    failure = run_one(client, ask("x", max_tokens=64))

    assert isinstance(failure, ChatFailure) and failure.status_code == 400 and failure.attempts == 1
    assert "max_tokens" in failure.reason and openai_stub.request_count == 1


def test_the_timeout_grows_with_max_tokens(openai_stub):
    openai_stub.default = sleep(0.6)
    client = make_client(openai_stub, timeout_s=0.2, timeout_per_token_s=0.01, max_retries=0)

    long_answer = run_one(client, ask("long", max_tokens=100))  # 0.2 s + 100 x 0.01 s = 1.2 s
    short_answer = run_one(client, ask("short", max_tokens=10))  # 0.3 s

    assert isinstance(long_answer, ChatResult) and long_answer.text == "long"
    assert isinstance(short_answer, ChatFailure) and short_answer.reason == "timed out after 0.3s"


# -- usage and entry points -------------------------------------------------------------------------------
def test_usage_meter_totals_and_cost(openai_stub):
    openai_stub.script(status(503))
    openai_stub.default = by_prompt({"bad": status(404)})
    client = make_client(openai_stub, price_per_million_input=2.0, price_per_million_output=10.0)

    client.run_many([ask("one two three"), ask("four five"), ask("bad")], progress=False)

    metrics = client.meter.as_dict()
    assert metrics == {
        "llm_requests": 4,
        "llm_cache_hits": 0,
        "llm_retries": 1,
        "llm_failures": 1,
        "llm_prompt_tokens": 5,
        "llm_completion_tokens": 5,
        "llm_cost_usd": pytest.approx((5 * 2.0 + 5 * 10.0) / 1e6),
    }
    json.dumps(metrics)  # ready for runs.metrics


def test_run_many_works_from_a_thread_without_a_loop_and_refuses_inside_one(openai_stub):
    client = make_client(openai_stub)
    outcomes = []
    worker = threading.Thread(target=lambda: outcomes.extend(client.run_many([ask("t")], progress=False)))
    worker.start()
    worker.join()
    assert outcomes[0].text == "t"

    async def inside_a_loop():
        client.run_many([ask("u")], progress=False)

    with pytest.raises(RuntimeError, match="complete_many"):
        asyncio.run(inside_a_loop())


def test_config_from_settings():
    settings = Settings(
        openai_base_url="http://localhost:8000/v1",
        llm_concurrency=7,
        llm_requests_per_minute=100,
        llm_max_retries=1,
        llm_price_per_million_input=0.5,
        _env_file=None,
    )
    config = LLMConfig.from_settings(settings, model="qwen")
    assert (config.model, config.base_url, config.concurrency) == ("qwen", "http://localhost:8000/v1", 7)
    assert (config.requests_per_minute, config.max_retries, config.price_per_million_input) == (100, 1, 0.5)


# -- retry timing helpers ---------------------------------------------------------------------------------
def test_retry_after_reads_seconds_milliseconds_and_dates():
    assert retry_after_s({"retry-after": "2"}) == 2.0
    assert retry_after_s({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 < retry_after_s({"retry-after": later}) <= 30
    assert retry_after_s({"retry-after": "soon"}) is None
    assert retry_after_s({}) is None


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    for retry, ceiling in [(0, 0.5), (1, 1.0), (2, 2.0), (6, 8.0)]:
        delay = backoff_s(retry, initial_s=0.5, max_s=8.0)
        assert ceiling / 2 <= delay <= ceiling


# -- parsing ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        '{"question": "Q", "tests": ["assert f(1) == 2"]}',
        'Here you go:\n```json\n{"question": "Q", "tests": ["assert f(1) == 2"]}\n```\nGood luck!',
        '```\n{"question": "Q", "tests": ["assert f(1) == 2"]}\n```',
        'Sure! {"question": "Q", "tests": ["assert f(1) == 2"]} Hope this helps.',
        "{'question': 'Q', 'tests': ['assert f(1) == 2'],}",
        '{"question": "Q", "tests": ["assert f(1) == 2",],}',
        'I\'ll think {first}.\n```python\nx = 1\n```\nAnswer: {"question": "Q", "tests": ["assert f(1) == 2"]}',
    ],
    ids=["raw", "json-fence", "plain-fence", "prose", "python-literal", "trailing-commas", "braces-in-prose"],
)
def test_extract_json_finds_the_object(text):
    assert extract_json(text) == {"question": "Q", "tests": ["assert f(1) == 2"]}


def test_extract_json_skips_braces_inside_strings_and_picks_first_or_last():
    text = 'Draft: {"a": "}{"} then final: {"a": "done"}'
    assert extract_json(text) == {"a": "done"}
    assert extract_json(text, prefer="first") == {"a": "}{"}


@pytest.mark.parametrize("text", ["no json here at all", '{"unterminated": [1, 2', "[1, 2, 3]"])
def test_extract_json_raises_a_clear_error(text):
    with pytest.raises(ReplyParseError, match="no JSON object in the reply") as raised:
        extract_json(text)
    assert raised.value.text == text


def test_parse_error_message_shows_a_snippet_of_long_replies():
    text = "prose " * 500
    with pytest.raises(ReplyParseError) as raised:
        extract_json(text)
    assert " ... " in str(raised.value) and len(str(raised.value)) < 300


def test_extract_code_blocks_keeps_python_and_untagged_fences():
    text = (
        "First:\n```python\ndef f():\n    return 1\n```\n"
        'Config:\n```json\n{"a": 1}\n```\n'
        "Then:\n```\nprint(f())\n```\n"
        "  ```py\n  x = 2\n  ```\n"
        "Cut short:\n```python\ndef g(\n"
    )
    assert extract_code_blocks(text) == ["def f():\n    return 1", "print(f())", "x = 2"]
    assert extract_code_blocks("no code") == []


def test_cli_options_reach_the_settings(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from acecoder.cli.main import app
    from acecoder.core.settings import get_settings

    for name in ("ACECODER_LLM_EXTRA_BODY", "ACECODER_LLM_REASONING"):
        # setenv first so that the teardown restores the variable (removes it) whatever the command sets;
        # a bare delenv of an unset variable records nothing to undo, and top_k would leak into later tests
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    db = tmp_path / "t.duckdb"
    Store(db).close()
    try:
        result = CliRunner().invoke(
            app, ["--llm-extra-body", '{"top_k": 7}', "--no-llm-reasoning", "status", "--db", str(db)]
        )
        assert result.exit_code == 0, result.output
        config = LLMConfig.from_settings(get_settings(), model="o1-mini")
        assert config.extra_body == {"top_k": 7} and config.reasoning is False

        for bad, message in (("{top_k: 7}", "not JSON"), ("[7]", "must be a JSON object")):
            result = CliRunner().invoke(app, ["--llm-extra-body", bad, "status", "--db", str(db)])
            assert result.exit_code == 2 and message in result.output
    finally:
        get_settings.cache_clear()
