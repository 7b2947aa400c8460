"""The dataset layouts ingest knows: which field holds the question and which the code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    name: str
    question_field: str | None  # None: a bare code corpus
    solution_field: str
    markdown: bool  # the solution is a markdown answer with fenced code
    description: str = ""


LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        Layout("magicoder-oss", "problem", "solution", True, "Magicoder-OSS-Instruct-75K"),
        Layout("magicoder-evol", "instruction", "response", True, "Magicoder-Evol-Instruct-110K"),
        Layout("evol-codealpaca", "instruction", "output", True, "evol-codealpaca-v1"),
        Layout("stack-fns", None, "content", False, "bare function corpus (stack-dedup-python-fns)"),
        Layout(
            "seed", "question", "solution", False, "the bundled seed corpus, or any question/solution file"
        ),
    )
}


def resolve(
    name: str, columns: list[str], question_field: str | None, solution_field: str | None, *, file: str
) -> Layout:
    """The layout to read `columns` with: named, generic (fields given), or detected from the columns."""
    from acecoder.stages.ingest.errors import IngestError

    if solution_field or name == "generic":
        if not solution_field:
            raise IngestError(
                file, "the generic layout needs --solution-field (and usually --question-field)"
            )
        layout = Layout("generic", question_field, solution_field, True, "fields given on the command line")
    elif name == "auto":
        present = set(columns)
        found = [
            layout
            for layout in LAYOUTS.values()
            if layout.solution_field in present and (layout.question_field or "") in present | {""}
        ]
        # A layout that also names its question field beats a bare-code one.
        found.sort(key=lambda layout: layout.question_field is None)
        if not found:
            known = ", ".join(
                f"{lay.name} ({lay.question_field}, {lay.solution_field})" for lay in LAYOUTS.values()
            )
            raise IngestError(
                file,
                f"unknown layout: columns are {sorted(present)}; known layouts: {known}; "
                "or give --question-field/--solution-field",
            )
        layout = found[0]
    elif name in LAYOUTS:
        layout = LAYOUTS[name]
    else:
        raise IngestError(file, f"unknown layout {name!r}; choose one of auto, generic, {', '.join(LAYOUTS)}")
    for field in (layout.question_field, layout.solution_field):
        if field and field not in columns:
            raise IngestError(file, f"missing in every row (columns: {sorted(columns)})", row=1, field=field)
    return layout
