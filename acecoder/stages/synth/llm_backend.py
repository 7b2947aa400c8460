"""The LLM backend: AceCoder's rewrite prompt (instruction + program → question + ~20 asserts), parsed and
validated; replies come through the one LLM client, cached in `llm_cache`."""

from __future__ import annotations

from acecoder.llm import prompts
from acecoder.llm.parsing import ReplyParseError, extract_json
from acecoder.stages.synth.inferred import SourceRow, Synthesized
from acecoder.stages.synth.validate import check_tests, defined_functions, guess_entry_point


def prompt_version(row: SourceRow) -> str:
    return prompts.SYNTH if (row.question or "").strip() else prompts.SYNTH_CODE_ONLY


def prompt_for(row: SourceRow) -> str:
    if (row.question or "").strip():
        return prompts.render(prompts.SYNTH, instruction=row.question.strip(), program=row.solution.strip())
    return prompts.render(prompts.SYNTH_CODE_ONLY, program=row.solution.strip())


def parse_reply(row: SourceRow, text: str) -> Synthesized:
    """A `Synthesized` from the model's answer; `failure` says why when it is unusable."""
    outcome = Synthesized(row.source_id, reference=row.solution)
    try:
        payload = extract_json(text)
    except ReplyParseError as exc:
        outcome.failure = f"unparsable reply: {exc}"
        return outcome
    question, tests = payload.get("question"), payload.get("tests")
    if not isinstance(question, str) or not question.strip():
        outcome.failure = "reply has no question"
        return outcome
    if not isinstance(tests, list) or not tests:
        outcome.failure = "reply has no list of tests"
        return outcome
    strings = [t for t in tests if isinstance(t, str)]
    entry_point = guess_entry_point(strings, defined_functions(row.solution)) or guess_entry_point(strings)
    if entry_point is None:
        outcome.failure = "the tests call no function"
        return outcome
    checked = check_tests(tests, entry_point)
    outcome.question, outcome.entry_point = question.strip(), entry_point
    outcome.tests, outcome.dropped = checked.kept, checked.dropped
    outcome.test_origins = ["llm"] * len(checked.kept)
    if entry_point not in defined_functions(row.solution):
        # the question renamed the function: the source program can't be the reference
        outcome.reference = None
    if not outcome.tests:
        outcome.failure = "no valid test in the reply"
    return outcome
