"""RLTF's fine-grained feedback: program lines found in the completion, the sandbox's categories turned into
faults, and the penalty landing on exactly the tokens of the faulty line (all tokens for a global fault,
none for an ignored one)."""

from __future__ import annotations

import pytest

from acecoder.rl.completions import locate_program
from acecoder.rl.execution import CompletionRunner, Execution
from acecoder.rl.feedback import NO_FAULT, Fault, fault_of, token_penalties, token_spans

TESTS = ["assert scale([1, 2], 3) == [3, 6]", "assert scale([], 2) == []"]

ANSWER = """I will scale every item.

```python
import math

def scale(items, factor):
    # multiply each item
    result = []
    for item in items:
        result.append(item * factor)
    return result.total

print(scale([1], 2))
```

This runs in linear time.
"""


@pytest.fixture(scope="module")
def pool():
    from acecoder.sandbox import SandboxPool

    with SandboxPool(workers=2) as opened:
        yield opened


@pytest.fixture(scope="module")
def tokenizer(tmp_path_factory):
    from transformers import AutoTokenizer

    from acecoder.rl.tiny_model import build_tiny_model

    texts = [ANSWER, "def f(x):\n    return x\n", "```python\nprint('hello')\n```"] * 3
    return AutoTokenizer.from_pretrained(
        build_tiny_model(tmp_path_factory.mktemp("tiny"), texts, vocab_size=300)
    )


def test_program_lines_map_to_the_completion():
    program = locate_program(ANSWER, "scale")
    assert "print(" not in program.code  # example calls are not run
    lines = program.code.splitlines()
    for number, line in enumerate(lines, start=1):
        span = program.span_of_line(number)
        if not line.strip():
            assert span is None
        else:
            assert ANSWER[span[0] : span[1]] == line.strip()
    assert program.span_of_line(0) is None and program.span_of_line(len(lines) + 1) is None


def test_the_faulty_line_comes_from_the_sandbox(pool):
    execution = CompletionRunner(pool).run([ANSWER], [TESTS], ["scale"])[0]
    assert {t["category"] for t in execution.test_verdicts} == {"line"}
    fault = fault_of(execution)
    assert not fault.whole and len(fault.spans) == 1  # two failing tests, one faulty line
    start, end = fault.spans[0]
    assert ANSWER[start:end] == "return result.total"


def test_penalty_lands_on_exactly_the_tokens_of_the_faulty_line(pool, tokenizer):
    execution = CompletionRunner(pool).run([ANSWER], [TESTS], ["scale"])[0]
    ids = tokenizer(ANSWER, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
    spans = token_spans(tokenizer, ids, ANSWER)
    penalties = token_penalties(fault_of(execution), spans, 0.3)
    penalised = [i for i, value in enumerate(penalties) if value]
    assert set(penalties) == {0.0, 0.3} and penalised == list(range(penalised[0], penalised[-1] + 1))
    text = "".join(tokenizer.decode([ids[i]]) for i in penalised)
    line_start = ANSWER.index("return result.total")
    line_end = line_start + len("return result.total")
    # the penalised tokens cover the line and reach outside it only within the tokens that straddle its ends
    assert "return result.total" in text
    assert spans[penalised[0]][0] <= line_start < spans[penalised[0]][1]
    assert spans[penalised[-1]][0] < line_end <= spans[penalised[-1]][1]
    assert all(
        end <= line_start or start >= line_end for i, (start, end) in enumerate(spans) if i not in penalised
    )


def test_global_ignore_and_missing_program(pool, tokenizer):
    runner = CompletionRunner(pool, timeout_s=0.5)
    looping = "```python\ndef scale(items, factor):\n    while True:\n        pass\n```"
    wrong = "```python\ndef scale(items, factor):\n    return items\n```"
    executions = runner.run([looping, wrong, "no code here"], [TESTS] * 3, ["scale"] * 3)
    faults = [fault_of(e) for e in executions]
    assert faults == [Fault(whole=True), NO_FAULT, Fault(whole=True)]  # timeout: global; false assert: ignore
    for text, fault in zip([looping, wrong], faults, strict=False):
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        values = token_penalties(fault, token_spans(tokenizer, ids, text), 0.3)
        assert values == [0.3 if fault.whole else 0.0] * len(ids)
    assert fault_of(Execution(None, None, 0)) == NO_FAULT  # no tests: nothing to blame


def test_token_spans_of_ids_that_are_not_the_canonical_tokenization(tokenizer):
    text = "def f(x):\n    return x\n"
    canonical = tokenizer(text, add_special_tokens=False)["input_ids"]
    # the same text written one byte-level character at a time, as a sampler may produce it
    split = [
        tokenizer.convert_tokens_to_ids(char)
        for token in tokenizer.convert_ids_to_tokens(canonical)
        for char in token
    ]
    assert tokenizer.decode(split) == text and split != canonical
    spans = token_spans(tokenizer, split, text)
    assert "".join(text[a:b] for a, b in spans) == text
