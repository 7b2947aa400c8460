"""A composition written out: the reference solution (self-contained: each atom defined as a helper, the
composed function calling them) and the question (templated from the atoms' own instructions).

The question names each step's helper with its signature and says which value fills which parameter, then
quotes the atom's instruction; the function to write is appended by the synthesis backend
(`acecoder.stages.synth.inferred.question_for`), as for every other problem.
"""

from __future__ import annotations

from acecoder.functions.atoms import Atom, atoms_by_name
from acecoder.functions.composition import Composition, Stage, Step
from acecoder.functions.types import TAG_MEANINGS

TEMPLATE_VERSION = "synthetic_v1"
INTERNAL_NAMES = ("result", "element", "running")  # local variables of the composed function


def _call(step: Step, value: str, acc: str | None = None) -> str:
    supplied = dict(step.args)
    atom = atoms_by_name()[step.atom]
    args = []
    for param in atom.params:
        if param.name == step.input:
            args.append(value)
        elif param.name == step.acc:
            args.append(acc or "")
        else:
            args.append(supplied[param.name])
    return f"{step.atom}({', '.join(args)})"


def _stage_lines(stage: Stage) -> list[str]:
    step = stage.steps[0]
    if stage.kind == "apply":
        if step.input is None:
            return [f"result = {_call(step, '')}"]
        return [f"result = {_call(step, 'result')}"]
    if stage.kind == "map":
        return [f"result = [{_call(step, 'element')} for element in result]"]
    if stage.kind == "filter":
        return [f"result = [element for element in result if {_call(step, 'element')}]"]
    if stage.kind == "fold":
        return [
            f"running = {stage.start}",
            "for element in result:",
            f"    running = {_call(step, 'element', acc='running')}",
            "result = running",
        ]
    pred, then, *otherwise = stage.steps
    lines = [f"if {_call(pred, 'result')}:", f"    result = {_call(then, 'result')}"]
    if otherwise:
        lines += ["else:", f"    result = {_call(otherwise[0], 'result')}"]
    return lines


def reference_solution(composition: Composition) -> str:
    """Helpers (each atom once, docstrings removed) followed by the composed function."""
    atoms = atoms_by_name()
    helpers = [atoms[name].helper_source.rstrip() for name in dict.fromkeys(composition.atoms)]
    params = ", ".join(f"{p.name}: {p.annotation}" for p in composition.params)
    body = [line for stage in composition.stages for line in _stage_lines(stage)] + ["return result"]
    main = f"def {composition.name}({params}) -> {composition.returns}:\n" + "".join(
        f"    {b}\n" for b in body
    )
    return "\n\n\n".join([*helpers, main.rstrip()]) + "\n"


# -- the question ------------------------------------------------------------------------------------------
def _quoted(names: list[str]) -> str:
    shown = [f"`{n}`" for n in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _bindings(step: Step, value_phrase: str | None, acc_phrase: str | None = None) -> str:
    """`text` is the result of step 1, `k` is the function's parameter of the same name, ..."""
    parts = []
    if step.input is not None and value_phrase:
        parts.append(f"`{step.input}` is {value_phrase}")
    if step.acc is not None and acc_phrase:
        parts.append(f"`{step.acc}` is {acc_phrase}")
    same = [name for name, param in step.args if name == param]
    renamed = [(name, param) for name, param in step.args if name != param]
    if same:
        verb = "is the function's parameter" if len(same) == 1 else "are the function's parameters"
        parts.append(f"{_quoted(same)} {verb} of the same name")
    parts += [f"`{name}` is the function's parameter `{param}`" for name, param in renamed]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _helper(atom: Atom) -> str:
    return f"`{atom.signature}`"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _describe_step(step: Step, value_phrase: str | None, acc_phrase: str | None = None) -> str:
    atom = atoms_by_name()[step.atom]
    bindings = _bindings(step, value_phrase, acc_phrase)
    where = f", where {bindings}" if bindings else ""
    return f"{_helper(atom)}{where}: {_sentence(atom.instruction)}"


def _format_notes(composition: Composition) -> list[str]:
    """Tagged parameters of the composed function: what their text or list holds."""
    notes = []
    for param in composition.params:
        _, _, tag = param.type_key.partition("@")
        if tag and tag in TAG_MEANINGS:
            notes.append(f"`{param.name}` is {TAG_MEANINGS[tag]}.")
    return notes


def template_question(composition: Composition) -> str:
    """The question, in fixed templates around the atoms' instructions."""
    lines = [
        f"Write a function that computes its result in {len(composition.stages)} steps, each step "
        f"working on the result of the step before it, and returns the result of the last step. Each "
        f"step is described as a helper function, which you may write or inline."
    ]
    lines += _format_notes(composition)
    for number, stage in enumerate(composition.stages, start=1):
        previous = f"the result of step {number - 1}"
        step = stage.steps[0]
        if number == 1:
            text = f"Call {_describe_step(step, None)}"
        elif stage.kind == "apply":
            text = f"Call {_describe_step(step, previous)}"
        elif stage.kind == "map":
            text = (
                f"{previous[0].upper()}{previous[1:]} is a list. Replace each of its elements, in order, by "
                f"the value of {_describe_step(step, 'that element')}"
            )
        elif stage.kind == "filter":
            text = (
                f"{previous[0].upper()}{previous[1:]} is a list. Keep, in their order, only the elements "
                f"for which this is true: {_describe_step(step, 'the element')}"
            )
        elif stage.kind == "fold":
            text = (
                f"{previous[0].upper()}{previous[1:]} is a list. Start with a running value equal to the "
                f"parameter `{stage.start}`; then, for each element in order, replace the running value by "
                f"{_describe_step(step, 'the element', acc_phrase='the running value')} The result of this "
                f"step is the final running value."
            )
        else:
            pred, then, *otherwise = stage.steps
            text = (
                f"Check {_describe_step(pred, previous)} If that is true, the result of this step is "
                f"{_describe_step(then, previous)} Otherwise it is "
            )
            text += _describe_step(otherwise[0], previous) if otherwise else f"{previous}, unchanged."
        lines.append(f"Step {number}. {_sentence(text)}")
    lines.append("Where a step says to raise an exception, the function raises it too.")
    return "\n\n".join(lines)
