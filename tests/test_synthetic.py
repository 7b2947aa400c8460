"""Atomic and synthetic functions: the typed atomic set, type-directed composition, generation with inferred
tests in the real sandbox (every reference passes its own tests), storage, contamination-free splits, data
mixes and LLM polishing against the local OpenAI-compatible stub."""

from __future__ import annotations

import ast
from collections import Counter

import pytest
from openai_stub import StubResponse, reply

from acecoder.core.store import Store
from acecoder.functions.atoms import TAGS, load_atoms, topics
from acecoder.functions.composer import Composer
from acecoder.functions.composition import Composition, check_types, type_edges
from acecoder.functions.generate import GenerateConfig, expected_values, generate
from acecoder.functions.render import reference_solution, template_question
from acecoder.functions.splits import SplitConfig, leaks, make_split
from acecoder.functions.tasks import DataMix, atomic_tasks, mix_tasks, synthetic_tasks
from acecoder.functions.types import TAG_MEANINGS, accepts, parse_type

COUNT = 36


@pytest.fixture(scope="module")
def pool():
    from acecoder.sandbox import SandboxPool

    with SandboxPool(workers=2) as opened:
        yield opened


@pytest.fixture(scope="module")
def generated(tmp_path_factory, pool):
    """A database holding COUNT synthetic functions of depths 2 to 4, and the generation's report."""
    with Store(tmp_path_factory.mktemp("synthetic") / "s.duckdb") as store:
        report = generate(
            store, GenerateConfig(count=COUNT, depths=(2, 3, 4), seed=7, polish="off"), pool=pool
        )
        yield store, report


def stored_compositions(store: Store) -> list[tuple[Composition, dict]]:
    frame = store.con.sql("SELECT * FROM compositions ORDER BY composition_id").pl()
    return [(Composition.from_json(row["structure"]), row) for row in frame.iter_rows(named=True)]


# -- the atomic set --------------------------------------------------------------------------------------------
def test_atomic_set_is_typed_and_covers_ten_topics():
    atoms = load_atoms()
    per_topic = Counter(atom.topic for atom in atoms)
    assert len(per_topic) >= 10 and min(per_topic.values()) >= 10, per_topic
    assert topics() == sorted(per_topic)
    for atom in atoms:
        assert atom.params and atom.returns.name, atom.name
        assert len(atom.examples) >= 2, atom.name  # seeds for the inputs of compositions
        assert all(len(args) == len(atom.params) for args in atom.examples), atom.name
        assert '"""' not in atom.helper_source and atom.helper_source.startswith(f"def {atom.name}(")
        compile(atom.helper_source, atom.name, "exec")
    named = {(atom.name, p.name) for atom in atoms for p in atom.params} | {(a.name, "return") for a in atoms}
    assert set(TAGS) <= named and set(TAGS.values()) <= set(TAG_MEANINGS)


def test_type_compatibility():
    date, text = parse_type("str", "date"), parse_type("str")
    assert accepts(text, date) and not accepts(date, text)  # an ISO date is a str, not every str is a date
    assert accepts(parse_type("float"), parse_type("int")) and not accepts(
        parse_type("int"), parse_type("float")
    )
    assert accepts(parse_type("list[float]"), parse_type("list[int]"))
    assert not accepts(parse_type("list[int]"), parse_type("list[str]"))
    assert accepts(parse_type("int | None"), parse_type("int")) and not accepts(
        parse_type("int"), parse_type("int | None")
    )
    assert accepts(parse_type("tuple[int, int]"), parse_type("tuple[int, int]"))
    assert not accepts(parse_type("tuple[int, int]"), parse_type("tuple[int, int, int]"))
    assert accepts(parse_type("list[int]"), parse_type("list[int]", "sorted"))
    assert not accepts(parse_type("list[list[int]]", "matrix"), parse_type("list[list[int]]"))


# -- composition -----------------------------------------------------------------------------------------------
def test_composer_is_deterministic_and_type_directed():
    def draw(seed: int) -> list[Composition]:
        composer = Composer(seed=seed)
        return [c for depth in (2, 3, 4) * 60 if (c := composer.compose(depth)) is not None]

    first, again, other = draw(11), draw(11), draw(12)
    assert [c.to_json() for c in first] == [c.to_json() for c in again]
    assert [c.key for c in first] != [c.key for c in other]
    assert {k for c in first for k in c.kinds} == {"apply", "map", "filter", "fold", "branch"}
    for composition in first:
        edges, result = type_edges(composition)
        assert edges and all(edge.ok for edge in edges), [e for e in edges if not e.ok]
        assert result.key == composition.returns_key
        assert composition.depth in (2, 3, 4) and len(composition.params) <= 6
        # the JSON record rebuilds the same composition
        assert Composition.from_json(composition.to_json()).key == composition.key
        reference = reference_solution(composition)
        tree = ast.parse(reference)
        defined = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
        assert defined[-1] == composition.name and set(composition.atoms) <= set(defined)
        question = template_question(composition)
        assert all(f"`{name}(" in question for name in composition.atoms)


def test_a_mistyped_chain_is_refused():
    from acecoder.functions.composition import FunctionParam, Stage, Step, TypeMismatch

    first = Stage("apply", (Step("camel_to_snake_identifier", None, (("name", "name"),)),))
    params = (FunctionParam("name", "str", "str"),)
    fits = Composition(
        "f",
        params,
        (first, Stage("apply", (Step("count_overlapping_occurrences", "text", (("pattern", "name"),)),))),
        "int",
        "int",
    )
    assert check_types(fits).key == "int"
    # a snake_case identifier is a str, but not an ISO date
    wrong = Composition(
        "f", params, (first, Stage("apply", (Step("is_last_day_of_month", "iso_date"),))), "bool"
    )
    with pytest.raises(TypeMismatch, match="is_last_day_of_month.iso_date expects str@date, gets str"):
        check_types(wrong)
    # a map needs a list
    not_a_list = Composition(
        "f", params, (first, Stage("map", (Step("camel_to_snake_identifier", "name"),))), "list[str]"
    )
    with pytest.raises(TypeMismatch, match="needs a list"):
        check_types(not_a_list)


# -- generation ------------------------------------------------------------------------------------------------
def test_generation_fills_each_depth_and_records_compositions(generated):
    store, report = generated
    assert report.kept == report.new == COUNT and report.by_depth == {2: 12, 3: 12, 4: 12}
    rows = stored_compositions(store)
    assert len(rows) == COUNT and len({c.key for c, _ in rows}) == COUNT  # no structural duplicate
    origins = store.con.execute(
        "SELECT p.origin, s.dataset, s.layout, count(*) FROM compositions c JOIN problems p USING (problem_id) "
        "JOIN sources s ON s.source_id = c.source_id GROUP BY ALL"
    ).fetchall()
    assert origins == [("synthetic", "synthetic", "synthetic", COUNT)]
    atom_rows = dict(
        store.con.execute("SELECT composition_id, count(*) FROM composition_atoms GROUP BY ALL").fetchall()
    )
    for composition, row in rows:
        assert composition.key == row["composition_id"] and row["depth"] == composition.depth
        assert atom_rows[row["composition_id"]] == composition.depth
        check_types(composition)  # type compatibility along every stored chain
        assert row["tests"] >= 5 and row["reference_pass_rate"] == 1.0


def test_every_reference_passes_its_own_tests(generated, pool):
    from acecoder.sandbox import Job

    store, _ = generated
    tasks = synthetic_tasks(store)
    assert len(tasks) == COUNT
    results = pool.run([Job(id=t.task_id, program=t.reference, tests=list(t.tests)) for t in tasks])
    for task, result in zip(tasks, results, strict=True):
        assert result["total"] == len(task.tests) >= 5
        assert result["pass_rate"] == 1.0, (task.task_id, result["tests"])
        assert f"\n\nWrite the Python function `def {task.entry_point}(" in task.question
        # the tests are not all alike: they expect at least two different results
        assert len(set(expected_values(list(task.tests)))) >= 2


def test_generation_is_deterministic_and_idempotent(generated, pool, tmp_path):
    store, _ = generated
    again = generate(store, GenerateConfig(count=COUNT, depths=(2, 3, 4), seed=7, polish="off"), pool=pool)
    assert again.kept == COUNT and again.new == 0
    with Store(tmp_path / "other.duckdb") as other:
        generate(other, GenerateConfig(count=COUNT, depths=(2, 3, 4), seed=7, polish="off"), pool=pool)
        ids = sorted(r[0] for r in other.con.execute("SELECT composition_id FROM compositions").fetchall())
    assert ids == sorted(c.key for c, _ in stored_compositions(store))


def test_synth_stage_leaves_synthetic_sources_alone(generated):
    from acecoder.stages.synth.config import SynthConfig
    from acecoder.stages.synth.stage import pending_sources

    store, _ = generated
    _, rows = pending_sources(store, SynthConfig(backend="inferred"))
    assert rows == []


# -- splits ------------------------------------------------------------------------------------------------
def test_split_holds_out_sequences_and_a_topic_and_the_query_finds_no_leak(generated):
    store, _ = generated
    rows = stored_compositions(store)
    atoms = {a.name: a for a in load_atoms()}
    topic = Counter(atoms[name].topic for c, _ in rows for name in set(c.atoms)).most_common(3)[-1][0]
    report = make_split(store, SplitConfig(name="t", held_out_topic=topic, held_out_fraction=0.25, seed=1))
    assert report.leaks == 0 and leaks(store, "t").is_empty()
    assert report.train + report.test == COUNT and report.train > 0
    assert report.reasons.get("held-out topic", 0) > 0 and report.reasons.get("held-out sequence", 0) > 0
    part = dict(
        store.con.execute(
            "SELECT composition_id, part FROM synthetic_split_members WHERE split = 't'"
        ).fetchall()
    )
    train_sequences = {c.atom_sequence for c, row in rows if part[row["composition_id"]] == "train"}
    for composition, row in rows:
        uses_topic = any(atoms[name].topic == topic for name in composition.atoms)
        if part[row["composition_id"]] == "train":
            assert not uses_topic
        else:
            assert composition.atom_sequence not in train_sequences
        if uses_topic:
            assert part[row["composition_id"]] == "test"
    assert {t.task_id for t in synthetic_tasks(store, "t", "train")}.isdisjoint(
        {t.task_id for t in synthetic_tasks(store, "t", "test")}
    )


def test_the_leak_query_catches_contamination(generated):
    store, _ = generated
    make_split(store, SplitConfig(name="dirty", held_out_topic=None, held_out_fraction=0.5, seed=2))
    test_id, sequence = store.con.execute(
        "SELECT c.composition_id, c.atom_sequence FROM synthetic_split_members m JOIN compositions c "
        "USING (composition_id) WHERE m.split = 'dirty' AND m.part = 'test' ORDER BY 1 LIMIT 1"
    ).fetchone()
    # a training composition with the same atoms in the same order (say, drawn with other combinators)
    store.con.execute(
        "INSERT INTO compositions SELECT * REPLACE ('copy-' || composition_id AS composition_id) "
        "FROM compositions WHERE composition_id = ?",
        [test_id],
    )
    store.con.execute(
        "INSERT INTO synthetic_split_members VALUES ('dirty', ?, 'train', 'train')", [f"copy-{test_id}"]
    )
    # and a training composition using the held-out topic
    store.con.execute("UPDATE synthetic_splits SET held_out_topic = 'arithmetic' WHERE split = 'dirty'")
    found = leaks(store, "dirty")
    kinds = Counter(found["leak"].to_list())
    assert kinds["same atom sequence"] >= 1 and kinds["same reference solution"] >= 1
    assert sequence in found["detail"].to_list()
    arithmetic = store.con.execute(
        "SELECT count(DISTINCT m.composition_id) FROM synthetic_split_members m JOIN composition_atoms a "
        "USING (composition_id) WHERE m.split = 'dirty' AND m.part = 'train' AND a.topic = 'arithmetic'"
    ).fetchone()[0]
    assert kinds["held-out topic in train"] >= arithmetic > 0
    store.con.execute("DELETE FROM compositions WHERE composition_id LIKE 'copy-%'")


# -- data mixes --------------------------------------------------------------------------------------------
def test_data_mixes(generated):
    store, _ = generated
    make_split(store, SplitConfig(name="mix", held_out_topic=None, held_out_fraction=0.3))
    train = synthetic_tasks(store, "mix", "train")
    assert DataMix.parse("atomic+8") == DataMix("atomic+8", True, 8)
    with pytest.raises(ValueError, match="unknown data mix"):
        DataMix.parse("synthetic+atomic-ish")
    atomic = atomic_tasks()
    assert len(atomic) == len(load_atoms()) and all(t.tests for t in atomic)
    assert len(mix_tasks("atomic", None)) == len(atomic)
    assert [t.kind for t in mix_tasks("synthetic", store, "mix")] == ["synthetic"] * len(train)
    some = mix_tasks("atomic+5", store, "mix", seed=1)
    assert len(some) == len(atomic) + 5 and mix_tasks("atomic+5", store, "mix", seed=1) == some
    assert {t.task_id for t in some if t.kind == "synthetic"} <= {t.task_id for t in train}
    assert len(mix_tasks("atomic+synthetic", store, "mix")) == len(atomic) + len(train)


# -- polishing with an LLM ---------------------------------------------------------------------------------
def test_questions_are_polished_by_the_llm_when_asked(openai_stub, pool, tmp_path):
    from acecoder.llm import LLMClient, LLMConfig

    def rewrite(payload) -> StubResponse:
        prompt = payload["messages"][-1]["content"]
        description = prompt.split("The task description:\n", 1)[1].rsplit("\n\nAnswer with", 1)[0]
        return reply("In plain words: " + description.replace("Step ", "Then, step "))(payload)

    openai_stub.default = rewrite
    with Store(tmp_path / "p.duckdb") as store:
        client = LLMClient(
            LLMConfig(
                model="stub-model", base_url=openai_stub.base_url, api_key="k", max_retries=0, timeout_s=5.0
            ),
            store=store,
            run_id="test",
        )
        report = generate(
            store,
            GenerateConfig(count=4, depths=(2,), seed=5, polish="on", model="stub-model"),
            pool=pool,
            client=client,
        )
        problems = store.con.execute("SELECT question, model, prompt_version FROM problems").fetchall()
        templates = [r[0] for r in store.con.execute("SELECT template_question FROM compositions").fetchall()]
    assert report.polish["polished"] == 4 and len(problems) == 4
    for question, model, version in problems:
        assert question.startswith("In plain words: ") and (model, version) == (
            "stub-model",
            "synthetic_polish_v1",
        )
        assert "\n\nWrite the Python function `def " in question
    assert all(t.startswith("Write a function that computes") for t in templates)
