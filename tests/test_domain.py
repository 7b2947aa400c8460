"""Input-domain guards: what the docstring's examples and EvalPlus's contracts rule out, and the inferred tests
they leave out of imported benchmark tasks."""

from __future__ import annotations

from conftest import FIXTURES

from acecoder.code import benchmarks
from acecoder.code.domain import ExampleDomain, call_arguments, example_arguments, guarded_reference
from acecoder.stages.imports import add_inferred_tests, import_benchmark

SLICE = FIXTURES / "humanevalplus_slice.jsonl"


def test_examples_give_types_signs_and_alphabets():
    question = '''def f(a: str, n: int, xs: list) -> str:
    """Given a string of 0s and 1s and a positive number n.
    >>> f('010', 3, [1, 2])
    '1'
    >>> f("110", 5, [3]) == '0'
    """
'''
    assert example_arguments(question, "f") == [["010", 3, [1, 2]], ["110", 5, [3]]]
    domain = ExampleDomain.infer(question, "f")
    assert domain.violation(["011", 1, [4]]) is None
    assert domain.violation(["012", 1, [4]]) == "alphabet"
    assert domain.violation(["01", -1, [4]]) == "sign"
    assert domain.violation(["01", 1.5, []]) is None  # int and float alike
    assert domain.violation([[0, 1], 1, []]) == "type"
    assert domain.violation(["01", 1, ["x"]]) == "element type"
    assert domain.violation(["01", 1, [-4]]) is None  # no sign on elements
    # without "positive" in the question, positive examples say nothing of the sign
    assert ExampleDomain.infer(question.replace("a positive", "a"), "f").violation(["01", -1, [4]]) is None
    # letters and digit strings such as "2,3" give no alphabet
    assert ExampleDomain.infer("f('abc')\nf('cab')", "f").violation(["xyz"]) is None
    assert call_arguments("assert f('01', 2, [x for x in 'a']) == 1 and f('1', 1, []) == 0", "f") == [
        ["1", 1, []]
    ]


def test_no_benchmark_base_input_is_ruled_out():
    tasks = benchmarks.load("humaneval+")  # the release file bundled with the package
    assert len(tasks) == 164
    for task in tasks:
        domain = ExampleDomain.infer(task.prompt, task.entry_point)
        assert domain is None or not [args for args in task.base_input if domain.violation(args)], (
            task.task_id
        )


def test_guards_leave_out_inferred_tests_outside_the_domain(tmp_path):
    from acecoder.core.store import Store

    task = next(t for t in benchmarks.load_file(SLICE) if t.task_id == "HumanEval/2")
    guarded = guarded_reference(task.prompt, task.contract, task.canonical_solution)
    assert 'assert number > 0, "invalid inputs"' in guarded and guarded.endswith(task.canonical_solution)
    counts = {}
    for guards in (True, False):
        with Store(tmp_path / f"{guards}.duckdb") as store:
            import_benchmark(store, str(SLICE))
            report = add_inferred_tests(store, domain_guards=guards)
            counts[guards] = report.tests
            tests = [
                r[0]
                for r in store.con.execute(
                    "SELECT code FROM tests WHERE code LIKE '%truncate_number(%'"
                ).fetchall()
            ]
        if guards:
            removed = {k: v for k, v in report.dropped.items() if k.startswith("outside the domain")}
            assert (
                removed.get("outside the domain: contract", 0) > 0
                and removed.get("outside the domain: examples (alphabet)", 0) > 0
            )
            arguments = [args for t in tests for args in call_arguments(t, "truncate_number")]
            assert arguments and all(args[0] > 0 for args in arguments)  # the contract: number > 0
    assert counts[True] < counts[False]


def test_filter_domain_guard_drops_tests_outside_the_domain(tmp_path):
    from acecoder.core.store import Store
    from acecoder.stages.filter import FilterConfig, filter_problems
    from acecoder.stages.imports.common import stored_test_row

    tests = {
        "assert truncate_number(3.5) == 0.5": None,
        "assert truncate_number(-2.5) == -0.5": "outside the domain: examples (sign)",
        "assert truncate_number(0.0) == 0.0": "outside the domain: contract",
        "assert truncate_number(True) == 0.0": "outside the domain: contract",  # the examples allow it, the contract not
        "assert truncate_number('1.5') == 0.5": "outside the domain: examples (type)",
    }
    found = {}
    for guard in (True, False):
        with Store(tmp_path / f"{guard}.duckdb") as store:
            import_benchmark(store, str(SLICE), task_ids=["HumanEval/2"])
            pid = store.con.execute("SELECT problem_id FROM problems").fetchall()[0][0]
            store.insert(
                "tests_insert",
                [stored_test_row(pid, i, code, "llm") for i, code in enumerate(tests)],
                run_id="r",
            )
            store.run("imports_reopen_problems")
            config = FilterConfig(min_tests=1, mutants_per_problem=0, domain_guard=guard)
            report = filter_problems(store, config, progress=False)
            found[guard] = dict(store.con.execute("SELECT code, drop_reason FROM tests").fetchall())
        if guard:
            assert report.drop_reasons.get("outside the domain") == 4
    assert found[True] == tests
    # without the guard the reference keeps the negative and zero inputs (it answers them) and drops the string
    assert found[False]["assert truncate_number(-2.5) == -0.5"] is None
    assert found[False]["assert truncate_number(0.0) == 0.0"] is None
    assert found[False]["assert truncate_number('1.5') == 0.5"].startswith("reference")
