"""The bundled seed corpus: enough typed, documented functions over enough topics, each example true."""

from __future__ import annotations

import ast
from collections import Counter

from acecoder.code.seed import load_seed


def test_corpus_size_topics_and_shape():
    functions = load_seed()
    assert len(functions) >= 100
    topics = Counter(fn.topic for fn in functions)
    assert len(topics) >= 10 and min(topics.values()) >= 5
    assert len({fn.name for fn in functions}) == len(functions)
    for fn in functions:
        assert fn.instruction and len(fn.instruction.split()) >= 8, fn.name
        assert len(fn.examples) >= 2, fn.name
        assert fn.returns and all(annotation for _, annotation in fn.parameters), fn.name
        tree = ast.parse(fn.solution)
        assert len(tree.body) == 1 and ast.get_docstring(tree.body[0]), fn.name


def test_every_example_holds_when_run_alone():
    for fn in load_seed():
        namespace: dict[str, object] = {}
        exec(compile(fn.solution, f"<seed {fn.name}>", "exec"), namespace)  # noqa: S102 - our own corpus
        for call, want in fn.examples:
            got = eval(call, namespace)  # noqa: S307
            assert got == eval(want, {}), f"{fn.name}: {call} gave {got!r}, docstring says {want}"
