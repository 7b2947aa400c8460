"""`acecoder synthetic generate`: compose atoms into synthetic functions, infer their tests, keep the good ones.

For each depth's share of `count`, the composer draws candidates (structural duplicates skipped), the inferred
backend runs each reference on inputs grown from its atoms' examples and turns the answers into asserts,
and the reference then runs on its own tests. A candidate is kept when the reference passes all of them,
there are at least `min_tests`, and they expect at least `min_distinct_results` different values (a function
that always says False or [] teaches nothing). Rounds repeat until every depth's share is filled or the
candidate budget is spent; all of it is deterministic for a seed.

Kept functions are stored as `sources` (dataset 'synthetic'), `problems` (origin 'synthetic') with their
`tests` (origin 'inferred'), and `compositions` + `composition_atoms` recording what they are made of.
"""

from __future__ import annotations

import ast
import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from acecoder.core.hashing import content_hash
from acecoder.core.store import Store
from acecoder.functions.atoms import atoms_by_name
from acecoder.functions.composer import Composer, ComposerConfig
from acecoder.functions.composition import Composition
from acecoder.functions.render import TEMPLATE_VERSION, reference_solution, template_question
from acecoder.stages.synth.inferred import SourceRow, Synthesized, infer_tests, question_for
from acecoder.stages.synth.stage import SynthReport, problem_id, store_outcomes

log = logging.getLogger(__name__)
GENERATOR_VERSION = "composer_v1"
ORIGIN = "synthetic"


@dataclass
class GenerateConfig:
    count: int = 100  # synthetic functions to produce
    depths: tuple[int, ...] = (2, 3, 4)  # atoms per function; `count` is shared evenly among them
    seed: int = 0
    max_tests: int = 20  # tests kept per function
    inputs_per_task: int = 40  # inputs the reference runs on
    min_tests: int = 5
    min_distinct_results: int = 2
    max_params: int = 6
    batch_size: int = 64  # candidates per sandbox round
    max_candidates: int | None = None  # default: 30 x count
    polish: str = "auto"  # auto: with the LLM when an endpoint is configured | on | off
    model: str | None = None  # the polishing LLM (default: settings.synth_model)

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError("count must be non-negative")
        if not self.depths or min(self.depths) < 2:
            raise ValueError("depths must be 2 or more (a composition has at least two atoms)")
        if self.polish not in ("auto", "on", "off"):
            raise ValueError(f"polish must be auto, on or off, not {self.polish!r}")


@dataclass
class SyntheticTask:
    """One kept synthetic function."""

    composition: Composition
    template: str  # the templated question (without the function line)
    reference: str
    outcome: Synthesized  # question (with the function line), entry point and tests
    reference_pass_rate: float

    @property
    def source_id(self) -> str:
        return content_hash(self.template, self.reference)


@dataclass
class GenerateReport:
    run_id: str = ""
    requested: int = 0
    candidates: int = 0
    duplicates_skipped: int = 0
    dead_ends: int = 0  # draws where no atom could continue the chain
    kept: int = 0
    new: int = 0  # kept and not stored before
    tests: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    by_depth: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    polish: dict[str, object] = field(default_factory=dict)
    note: str | None = None

    def reject(self, reason: str) -> None:
        self.rejected[reason] = self.rejected.get(reason, 0) + 1


def expected_values(tests: list[str]) -> list[str]:
    """What each `assert f(...) == value` (or `math.isclose(f(...), value, ...)`) test expects, as text."""
    values = []
    for test in tests:
        node = ast.parse(test).body[-1]
        test_expr = node.test if isinstance(node, ast.Assert) else None
        if isinstance(test_expr, ast.Compare) and test_expr.comparators:
            values.append(ast.dump(test_expr.comparators[0]))
        elif isinstance(test_expr, ast.Call) and len(test_expr.args) >= 2:
            values.append(ast.dump(test_expr.args[1]))
        else:
            values.append(test)
    return values


def build_tasks(
    compositions: list[Composition], pool, config: GenerateConfig, report: GenerateReport
) -> list[SyntheticTask | None]:
    """Tests inferred for each composition and checked; None where the candidate is rejected."""
    from acecoder.sandbox import Job

    templates = [template_question(c) for c in compositions]
    references = [reference_solution(c) for c in compositions]
    rows = [
        SourceRow(c.key, t, r, c.name, seeds=list(c.seed_args))
        for c, t, r in zip(compositions, templates, references, strict=True)
    ]
    outcomes = infer_tests(
        rows, pool, max_tests=config.max_tests, inputs_per_problem=config.inputs_per_task, seed=config.seed
    )
    checks = {o.source_id: o for o in outcomes if not o.failure and o.tests}
    results = (
        {
            r["id"]: r
            for r in pool.run(
                [Job(id=o.source_id, program=o.reference, tests=o.tests) for o in checks.values()]
            )
        }
        if checks
        else {}
    )
    tasks: list[SyntheticTask | None] = []
    for composition, template, reference, outcome in zip(
        compositions, templates, references, outcomes, strict=True
    ):
        if outcome.failure or not outcome.tests:
            report.reject("no test inferred")
            tasks.append(None)
            continue
        result = results[outcome.source_id]
        pass_rate = float(result["pass_rate"])
        if len(outcome.tests) < config.min_tests:
            report.reject(f"fewer than {config.min_tests} tests")
        elif pass_rate < 1.0:
            report.reject("reference fails its own tests")
        elif len(set(expected_values(outcome.tests))) < config.min_distinct_results:
            report.reject(f"fewer than {config.min_distinct_results} distinct results")
        else:
            tasks.append(SyntheticTask(composition, template, reference, outcome, pass_rate))
            continue
        tasks.append(None)
    return tasks


def compose_tasks(
    config: GenerateConfig, pool, report: GenerateReport, progress: Callable[[int], None] | None = None
) -> list[SyntheticTask]:
    """Up to `config.count` kept synthetic functions, each depth getting its share, in a seeded order."""
    composer = Composer(seed=config.seed, config=ComposerConfig(max_params=config.max_params))
    quota = {
        d: config.count // len(config.depths) + (i < config.count % len(config.depths))
        for i, d in enumerate(config.depths)
    }
    kept: dict[int, list[SyntheticTask]] = {d: [] for d in config.depths}
    seen: set[str] = set()
    budget = config.max_candidates if config.max_candidates is not None else 30 * max(config.count, 1)
    while budget > 0 and any(len(kept[d]) < quota[d] for d in config.depths):
        batch: list[Composition] = []
        for depth in config.depths:
            missing = quota[depth] - len(kept[depth])
            wanted = min(budget - len(batch), missing + missing // 2 + 2) if missing > 0 else 0
            draws = 0
            while wanted > 0 and draws < 50 * wanted:
                draws += 1
                composition = composer.compose(depth)
                if composition is None:
                    report.dead_ends += 1
                    continue
                if composition.key in seen:
                    report.duplicates_skipped += 1
                    continue
                seen.add(composition.key)
                batch.append(composition)
                wanted -= 1
            if len(batch) >= budget:
                break
        if not batch:
            break
        budget -= len(batch)
        report.candidates += len(batch)
        for i in range(0, len(batch), config.batch_size):
            chunk = batch[i : i + config.batch_size]
            for composition, task in zip(chunk, build_tasks(chunk, pool, config, report), strict=True):
                if task is not None and len(kept[composition.depth]) < quota[composition.depth]:
                    kept[composition.depth].append(task)
                    if progress:
                        progress(1)
    return [task for depth in config.depths for task in kept[depth]]


def _rows_for(
    tasks: list[SyntheticTask], model: str | None, version: str, config: GenerateConfig
) -> tuple[list[dict], list[dict], list[dict]]:
    atoms = atoms_by_name()
    sources, compositions, members = [], [], []
    for task in tasks:
        c = task.composition
        topics = sorted({atoms[name].topic for name in c.atoms})
        pid = problem_id(task.source_id, ORIGIN, model, version)
        sources.append(
            {
                "source_id": task.source_id,
                "dataset": "synthetic",
                "row_ref": c.key,
                "layout": "synthetic",
                "question": task.template,
                "solution": task.reference,
                "entry_point": c.name,
                "topic": "+".join(topics),
                "metadata": json.dumps({"composition_id": c.key, "atoms": c.atoms, "depth": c.depth}),
                "near_dup_of": None,
                "contamination_reason": None,
            }
        )
        compositions.append(
            {
                "composition_id": c.key,
                "source_id": task.source_id,
                "problem_id": pid,
                "entry_point": c.name,
                "structure": c.to_json(),
                "atom_sequence": c.atom_sequence,
                "depth": c.depth,
                "combinators": c.combinators,
                "topics": topics,
                "params": len(c.params),
                "tests": len(task.outcome.tests),
                "reference_pass_rate": task.reference_pass_rate,
                "template_question": task.template,
                "seed": config.seed,
                "generator_version": GENERATOR_VERSION,
            }
        )
        position = 0
        for stage_index, stage in enumerate(c.stages):
            roles = ("predicate", "then", "otherwise") if stage.kind == "branch" else (stage.kind,)
            for step, role in zip(stage.steps, roles, strict=False):
                members.append(
                    {
                        "composition_id": c.key,
                        "position": position,
                        "atom": step.atom,
                        "topic": atoms[step.atom].topic,
                        "stage": stage_index,
                        "role": role,
                    }
                )
                position += 1
    return sources, compositions, members


def store_tasks(
    store: Store,
    tasks: list[SyntheticTask],
    model: str | None,
    version: str,
    run_id: str,
    config: GenerateConfig,
) -> tuple[int, int]:
    """Write sources, problems, tests, compositions and their atoms in one transaction; (new, tests)."""
    if not tasks:
        return 0, 0
    sources, compositions, members = _rows_for(tasks, model, version, config)
    known = set(
        store.frame("compositions_known", staged=_frame(compositions, ["composition_id"]))[
            "composition_id"
        ].to_list()
    )
    fresh = [i for i, row in enumerate(compositions) if row["composition_id"] not in known]
    if not fresh:
        return 0, 0
    keep = {compositions[i]["composition_id"] for i in fresh}
    synth_report = SynthReport(backend=ORIGIN, model=model)
    outcomes = []
    for i in fresh:
        outcome = tasks[i].outcome
        outcome.source_id = tasks[i].source_id
        outcomes.append(outcome)
    with store.transaction():
        store.insert("sources_insert", [sources[i] for i in fresh], run_id=run_id)
        store_outcomes(store, outcomes, [version] * len(outcomes), ORIGIN, model, run_id, synth_report)
        store.insert("compositions_insert", [compositions[i] for i in fresh], run_id=run_id)
        store.insert("composition_atoms_insert", [m for m in members if m["composition_id"] in keep])
    return len(fresh), synth_report.tests


def _frame(rows: list[dict], columns: list[str]):
    import polars as pl

    return pl.DataFrame({c: [row[c] for row in rows] for c in columns})


def resolve_polish(config: GenerateConfig) -> tuple[str | None, str | None]:
    """(model to polish with or None, note): `auto` polishes only when an endpoint is configured."""
    from acecoder.core.settings import get_settings

    settings = get_settings()
    if config.polish == "off":
        return None, None
    if config.polish == "auto" and not settings.llm_configured:
        return None, (
            "no LLM endpoint configured (OPENAI_BASE_URL/OPENAI_API_KEY): questions stay as "
            "templated from the atoms' instructions"
        )
    return config.model or settings.synth_model, None


def generate(
    store: Store,
    config: GenerateConfig | None = None,
    *,
    pool=None,
    client=None,
    flow_run_id: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> GenerateReport:
    """Compose, test, check and store `config.count` synthetic functions (those stored already are kept)."""
    from acecoder.functions.polish import POLISH, polish

    config = config or GenerateConfig()
    report = GenerateReport(requested=config.count)
    model, report.note = resolve_polish(config)
    if client is not None and model is None and config.polish != "off":
        from acecoder.core.settings import get_settings

        model = config.model or get_settings().synth_model
    version = POLISH if model else TEMPLATE_VERSION
    if pool is None:
        from acecoder.core.pools import shared_pool

        pool = shared_pool()
    params = {"generator": GENERATOR_VERSION, "polish_model": model, **asdict(config)}
    with store.tracked_run("synthetic", params, flow_run_id) as (run_id, metrics):
        report.run_id = run_id
        started = time.perf_counter()
        tasks = compose_tasks(config, pool, report, progress)
        report.seconds = time.perf_counter() - started
        report.kept = len(tasks)
        for task in tasks:
            report.by_depth[task.composition.depth] = report.by_depth.get(task.composition.depth, 0) + 1
        if model and tasks:
            questions, polish_report = polish(
                [t.template for t in tasks],
                [[p.name for p in t.composition.params] for t in tasks],
                model,
                store=store,
                run_id=run_id,
                client=client,
            )
            for task, question in zip(tasks, questions, strict=True):
                row = SourceRow(task.source_id, question, task.reference, task.composition.name)
                task.outcome.question = question_for(row, task.composition.name)
            report.polish = asdict(polish_report)
        report.new, report.tests = store_tasks(store, tasks, model, version, run_id, config)
        metrics.update({k: v for k, v in asdict(report).items() if k != "run_id"})
    return report


def generate_in(db, config: GenerateConfig | None = None, flow_run_id: str | None = None) -> GenerateReport:
    """`generate` on the database file `db` (default: ACECODER_DB), opened for this call only."""
    from acecoder.core.store import open_store

    with open_store(db) as store:
        return generate(store, config, flow_run_id=flow_run_id)
