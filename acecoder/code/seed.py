"""The bundled seed corpus: small typed "atomic" functions, one file per topic under `acecoder/data/seed/`.

Each function's docstring opens with a one-paragraph instruction and carries doctest examples; the loader
turns each into a record with the instruction as the question and the whole function as the solution.
"""

from __future__ import annotations

import ast
import doctest
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parents[1] / "data" / "seed"


@dataclass(frozen=True)
class SeedFunction:
    name: str
    topic: str
    instruction: str
    solution: str  # the whole function, docstring included
    examples: list[tuple[str, str]] = field(default_factory=list)  # (call, repr of the result)
    parameters: list[tuple[str, str]] = field(default_factory=list)  # (name, annotation)
    returns: str = ""

    def as_row(self) -> dict[str, object]:
        return {
            "question": self.instruction,
            "solution": self.solution,
            "entry_point": self.name,
            "topic": self.topic,
            "id": f"seed/{self.topic}/{self.name}",
        }


def _parse_file(path: Path) -> list[SeedFunction]:
    source = path.read_text()
    functions = []
    parser = doctest.DocTestParser()
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        docstring = ast.get_docstring(node) or ""
        instruction = " ".join(docstring.split("\n\n")[0].split())
        # examples that show an exception (doctest's exc_msg) document errors, not values
        examples = [
            (ex.source.strip(), ex.want.strip())
            for ex in parser.get_examples(docstring)
            if ex.exc_msg is None
        ]
        functions.append(
            SeedFunction(
                name=node.name,
                topic=path.stem,
                instruction=instruction,
                solution=ast.get_source_segment(source, node) + "\n",
                examples=examples,
                parameters=[
                    (a.arg, ast.unparse(a.annotation) if a.annotation else "") for a in node.args.args
                ],
                returns=ast.unparse(node.returns) if node.returns else "",
            )
        )
    return functions


@cache
def load_seed() -> tuple[SeedFunction, ...]:
    """Every seed function, ordered by topic then position in its file."""
    return tuple(fn for path in sorted(SEED_DIR.glob("*.py")) for fn in _parse_file(path))
