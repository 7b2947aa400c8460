"""Evaluation and report figures on a toy benchmark small enough to work out by hand (real sandbox)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from acecoder.code import benchmarks
from acecoder.rerank.pipeline import rerank

TOY_TASKS = [
    {
        "task_id": "Toy/0",
        "prompt": 'def add(a, b):\n    """Add two numbers.\n    >>> add(1, 2)\n    3\n    """\n',
        "entry_point": "add",
        "canonical_solution": "    return a + b\n",
        "base_input": [[1, 2], [0, 0]],
        "plus_input": [[-1, 1], [10**6, 1]],
        "atol": 0,
    },
    {
        "task_id": "Toy/1",
        "prompt": 'def half(x):\n    """Half of x.\n    >>> half(3)\n    1.5\n    """\n',
        "entry_point": "half",
        "canonical_solution": "    return x / 2\n",
        "base_input": [[3], [1]],
        "plus_input": [[7], [0.1]],
        "atol": 0,
    },
]
# candidate bodies and their verdicts: base (every base input right) and plus (base and every plus input right)
TOY_SAMPLES = {
    "Toy/0": [
        ("    return a - b\n", False, False),
        ("    return abs(a) + b\n", True, False),  # wrong only for negative a
        ("    return a + b\n", True, True),
        ("    raise ValueError('no')\n", False, False),
    ],
    "Toy/1": [
        ("    return x // 2\n", False, False),
        ("    return round(x / 2, 1)\n", True, False),  # half(0.1) gives 0.1, not 0.05
        ("    return x * 0.5\n", True, True),
        ("    return x / 2 + 1e-9\n", True, True),  # within the 1e-6 EvalPlus allows floats
    ],
}


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("toy")
    benchmark = folder / "toy_benchmark.jsonl"
    benchmark.write_text("".join(json.dumps(task) + "\n" for task in TOY_TASKS))
    samples = folder / "samples.jsonl"
    samples.write_text(
        "".join(
            json.dumps({"task_id": task_id, "completion": body}) + "\n"
            for task_id, rows in TOY_SAMPLES.items()
            for body, _, _ in rows
        )
    )
    return folder, benchmark, samples


def test_first_selection_and_every_figure_worked_out_by_hand(toy):
    folder, benchmark, samples = toy
    outcome = rerank(
        samples,
        folder / "first.jsonl",
        benchmark=str(benchmark),
        method="first",
        report_dir=folder / "first-report",
        progress=False,
    )
    report = outcome.report
    base, plus = report["tests"]["base"], report["tests"]["plus"]
    assert (report["tasks"], report["n"]) == (2, 4)
    assert base["selected_pass@1"] == 0.0 and plus["selected_pass@1"] == 0.0
    assert base["random_pass@1"] == pytest.approx((2 / 4 + 3 / 4) / 2)
    assert plus["random_pass@1"] == pytest.approx((1 / 4 + 2 / 4) / 2)
    assert base["oracle"] == plus["oracle"] == 1.0
    assert base["pass@k"] == {"1": pytest.approx(0.625), "4": 1.0}  # k = 10 needs 10 samples
    assert [p["n"] for p in base["curve"]] == [1, 2, 4]
    assert base["curve"][1] == {"n": 2, "selected": 0.0, "random": 0.5, "oracle": 1.0}
    assert plus["curve"][1] == {"n": 2, "selected": 0.0, "random": 0.0, "oracle": 0.0}

    rows = [
        json.loads(line) for line in (folder / "first-report" / "verdicts.jsonl").read_text().splitlines()
    ]
    assert rows == [
        {"task_id": task_id, "base": [b for _, b, _ in samples_], "plus": [p for _, _, p in samples_]}
        for task_id, samples_ in TOY_SAMPLES.items()
    ]


def test_exec_prefers_the_examples_then_agreement(toy):
    folder, benchmark, samples = toy
    outcome = rerank(
        samples, folder / "exec.jsonl", benchmark=str(benchmark), method="exec", evaluate=True, progress=False
    )
    # add(1, 2) == 3 rules out a - b and the raise; abs(a) + b and a + b agree on every input near the
    # example (no negative numbers there), so the earlier one wins. half(3) == 1.5 rules out x // 2; the other
    # three agree (1e-9 is below the 6 significant digits compared), so round(x / 2, 1) wins.
    assert [index for _, _, index in outcome.selected] == [1, 1]
    assert outcome.report["tests"]["base"]["selected_pass@1"] == 1.0
    assert outcome.report["tests"]["plus"]["selected_pass@1"] == 0.0
    written = [json.loads(line) for line in (folder / "exec.jsonl").read_text().splitlines()]
    assert written == [
        {"task_id": "Toy/0", "solution": TOY_TASKS[0]["prompt"] + TOY_SAMPLES["Toy/0"][1][0]},
        {"task_id": "Toy/1", "solution": TOY_TASKS[1]["prompt"] + TOY_SAMPLES["Toy/1"][1][0]},
    ]


def test_mbpp_plus_signature_from_the_candidates_and_positional_inputs(tmp_path):
    # MBPP+ prompts hold only a docstring, so exec reads the signature from the candidates
    benchmark = Path(__file__).parent / "fixtures" / "mbppplus_slice.jsonl"
    tasks = {task.task_id: task for task in benchmarks.load_file(benchmark)}
    wrong = "def is_Monotonic(A):\n    return A == sorted(A)\n"  # misses decreasing lists
    right = tasks["Mbpp/68"].canonical_solution
    samples = tmp_path / "samples.jsonl"
    samples.write_text(
        "".join(
            json.dumps({"task_id": "Mbpp/68", "solution": program}) + "\n"
            for program in (wrong, right, right, wrong.replace("A ==", "A  ==", 1))
        )
    )
    outcome = rerank(
        samples,
        tmp_path / "selected.jsonl",
        benchmark=str(benchmark),
        method="exec",
        evaluate=True,
        progress=False,
    )
    assert [index for _, _, index in outcome.selected] == [1]
    figures = outcome.report["tests"]
    assert figures["base"]["random_pass@1"] == 0.5 and figures["plus"]["selected_pass@1"] == 1.0
