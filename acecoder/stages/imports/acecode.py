"""AceCode rows (AceCode-87K, AceCode-V2-122K): a question with its test cases and sampled programs.

A row `{id, source, question, test_cases: [str], inferences: [{model_name, completion_id, completion,
pass_rate}]}` becomes a problem (origin `imported`) with its tests (origin `llm`: AceCode's tests were written
by an LLM and filtered there) and one program per inference under policy = `model_name`, the program the
completion's code block holds; the dataset's own pass rate is kept in the program's metadata
(`dataset_pass_rate`) beside the one scoring gives. The reference the filter runs is the first inference the
dataset says passes every test; a row with none keeps no reference and is dropped by the filter.
"""

from __future__ import annotations

from typing import Any

from acecoder.code.entry_points import infer_entry_point
from acecoder.code.extract import extract_program
from acecoder.stages.imports.common import (
    BadRow,
    ImportReport,
    imported_problem_id,
    need,
    problem_row,
    program_row,
    stored_test_row,
)
from acecoder.stages.synth.validate import check_tests

ACECODE_ORIGIN = "imported"


def import_acecode_row(batch, where: str, row: dict[str, Any], dataset: str, report: ImportReport) -> None:
    row_id = str(need(row, "id", (str, int)))
    question = need(row, "question", str)
    tests = need(row, "test_cases", list)
    inferences = need(row, "inferences", list, optional=True) or []
    for number, test in enumerate(tests):
        if not isinstance(test, str):
            raise BadRow(f"field 'test_cases'[{number}] must be a string, got {type(test).__name__}")
    parsed = []
    for number, item in enumerate(inferences):
        if not isinstance(item, dict):
            raise BadRow(f"field 'inferences'[{number}] must be an object, got {type(item).__name__}")
        try:
            parsed.append(
                (
                    str(need(item, "model_name", str)),
                    item.get("completion_id", number),
                    need(item, "completion", str),
                    need(item, "pass_rate", (int, float), optional=True),
                )
            )
        except BadRow as exc:
            raise BadRow(f"field 'inferences'[{number}]: {exc}") from None
    entry_point = infer_entry_point(
        tests=tests, question=question, programs=[c for _, _, c, _ in parsed], field=row.get("entry_point")
    )
    if entry_point is None:
        raise BadRow("field 'test_cases': no function the tests call could be found")
    problem_id = imported_problem_id(dataset, row_id)
    programs = []
    reference = None
    for model, completion_id, completion, rate in parsed:
        code = extract_program(completion, entry_point)
        if code is None:
            report.drop("inference without the entry point")
            continue
        if reference is None and rate is not None and rate >= 1.0:
            reference = code
        meta = {"completion_id": completion_id, "dataset_pass_rate": rate}
        programs.append(program_row(problem_id, code, model, len(programs), meta))
    checked = check_tests(tests, entry_point)
    for _, reason in checked.dropped:
        report.drop(f"test {reason.split(':')[0]}")
    batch.problems.append(
        problem_row(
            problem_id=problem_id,
            dataset=dataset,
            row_id=row_id,
            question=question,
            entry_point=entry_point,
            reference=reference,
            origin=ACECODE_ORIGIN,
            evaluation_only=False,
            metadata={"source": row.get("source")},
        )
    )
    batch.tests.extend(stored_test_row(problem_id, idx, code, "llm") for idx, code in enumerate(checked.kept))
    batch.programs.extend(programs)
    batch.row_done()
