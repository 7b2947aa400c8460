"""`acecoder synthetic ...`: atomic functions composed by type into synthetic ones, their splits and evaluation."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from acecoder.cli.common import print_frame, print_mapping
from acecoder.cli.options import DbOption

console = Console(stderr=True)
synthetic_app = typer.Typer(
    help="Synthetic functions: atomic seed functions composed by type (chains, branches, map, filter, fold) "
    "into new tasks with inferred tests; contamination-free train/test splits; held-out evaluation.",
    no_args_is_help=True,
)


def parse_depths(text: str) -> tuple[int, ...]:
    """`2..4` -> (2, 3, 4); `3` -> (3,); `2,4` -> (2, 4)."""
    try:
        if ".." in text:
            low, high = (int(part) for part in text.split("..", 1))
            depths = tuple(range(low, high + 1))
        else:
            depths = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise typer.BadParameter(
            f"{text!r}: write a range such as 2..4, a number, or a list such as 2,4"
        ) from None
    if not depths or min(depths) < 2:
        raise typer.BadParameter(f"{text!r}: depths start at 2 (a composition has at least two atoms)")
    return depths


@synthetic_app.command("generate")
def generate(
    count: Annotated[
        int, typer.Option(help="Synthetic functions to make, shared evenly among the depths.")
    ] = 100,
    depth: Annotated[
        str, typer.Option(help="Atoms per function: a range (2..4), a number, or a list (2,4).")
    ] = "2..4",
    seed: Annotated[
        int,
        typer.Option(
            help="Seed of composition and input generation: the same seed makes the same functions."
        ),
    ] = 0,
    max_tests: Annotated[int, typer.Option(help="Tests kept per function.")] = 20,
    inputs: Annotated[int, typer.Option(help="Inputs the reference runs on per function.")] = 40,
    min_tests: Annotated[int, typer.Option(help="Reject functions with fewer tests.")] = 5,
    max_params: Annotated[int, typer.Option(help="Most parameters a composed function may take.")] = 6,
    polish: Annotated[
        str,
        typer.Option(
            help="Rewrite the templated questions with the LLM: auto (when "
            "OPENAI_BASE_URL/OPENAI_API_KEY is set), on, or off."
        ),
    ] = "auto",
    model: Annotated[
        str | None, typer.Option(help="LLM that polishes (default: ACECODER_SYNTH_MODEL).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Compose atoms into synthetic functions with a question, a reference and inferred tests, and store them.

    Each function starts from a random atom and grows by type-directed chaining: the next atom must accept the value so far (or its elements, for map/filter/fold; branches test a predicate atom). Its reference runs on inputs grown from the atoms' examples; the answers become asserts, and the reference must pass them all. Structural duplicates are skipped; functions stored already are kept as they are."""
    from rich.progress import Progress

    from acecoder.core.store import open_store
    from acecoder.functions.generate import GenerateConfig
    from acecoder.functions.generate import generate as run_generate

    try:
        config = GenerateConfig(
            count=count,
            depths=parse_depths(depth),
            seed=seed,
            max_tests=max_tests,
            inputs_per_task=inputs,
            min_tests=min_tests,
            max_params=max_params,
            polish=polish,
            model=model,
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    with open_store(db) as store, Progress(console=console, transient=True) as progress:
        bar = progress.add_task("composing and testing", total=count)
        report = run_generate(store, config, progress=lambda n: progress.advance(bar, n))
        summary = store.frame("synthetic_summary")
    if report.note:
        console.print(f"[yellow]note:[/yellow] {report.note}", highlight=False)
    shown = {
        "kept": report.kept,
        "new (not stored before)": report.new,
        "tests stored": report.tests,
        "candidates tried": report.candidates,
        "duplicates skipped": report.duplicates_skipped,
        "dead ends": report.dead_ends,
        "seconds": report.seconds,
        "tasks per second": report.kept / report.seconds if report.seconds else None,
    }
    shown |= {f"depth {d}": n for d, n in sorted(report.by_depth.items())}
    shown |= {f"rejected: {k}": v for k, v in report.rejected.items()}
    shown |= {
        f"polish {k}": v for k, v in report.polish.items() if k in ("model", "polished", "kept_template")
    }
    print_mapping(shown, f"synthetic generate, run {report.run_id}")
    print_frame(summary, "stored synthetic functions by depth")
    if report.kept < count:
        console.print(
            f"[yellow]only {report.kept} of {count} functions were kept within the candidate budget[/]"
        )


@synthetic_app.command("split")
def split(
    name: Annotated[str, typer.Option(help="Name of the split.")] = "default",
    held_out_topic: Annotated[
        str,
        typer.Option(
            help="Topic whose atoms never appear in training (its compositions all go to test); 'none' for no "
            "topic hold-out. See `acecoder synthetic atoms` for the topics."
        ),
    ] = "strings",
    held_out_fraction: Annotated[
        float, typer.Option(help="Share of atom sequences held out for test.")
    ] = 0.2,
    seed: Annotated[int, typer.Option(help="Seed of the sequence hold-out.")] = 0,
    db: DbOption = None,
) -> None:
    """Split the stored synthetic functions into train and test so that no test composition occurs in training (held-out atom sequences and a held-out target topic), then check it with the leak query."""
    from acecoder.core.store import open_store
    from acecoder.functions.splits import SplitConfig, make_split

    topic = None if held_out_topic.lower() == "none" else held_out_topic
    try:
        config = SplitConfig(name=name, held_out_topic=topic, held_out_fraction=held_out_fraction, seed=seed)
        with open_store(db) as store:
            report = make_split(store, config)
            summary = store.frame("synthetic_split_summary", split=name)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    print_frame(summary, f"split {name!r} (run {report.run_id})")
    _leak_verdict(report.leaks, name)


@synthetic_app.command("check")
def check(
    name: Annotated[str, typer.Option(help="Name of the split.")] = "default",
    db: DbOption = None,
) -> None:
    """Look for held-out compositions in a split's training part (exit status 1 when there are any)."""
    from acecoder.core.store import open_store
    from acecoder.functions.splits import leaks

    with open_store(db) as store:
        found = leaks(store, name)
    if found.height:
        print_frame(found.head(50), f"leaks of split {name!r}")
    _leak_verdict(found.height, name)


def _leak_verdict(count: int, name: str) -> None:
    if count:
        console.print(f"[bold red]{count} leak(s): split {name!r} is contaminated[/]")
        raise typer.Exit(1)
    console.print(f"[green]no held-out composition of split {name!r} occurs in its training part[/]")


@synthetic_app.command("atoms")
def atoms(topic: Annotated[str | None, typer.Option(help="Only this topic.")] = None) -> None:
    """The atomic set: every seed function with its topic and typed inputs and output (tags in @)."""
    import polars as pl

    from acecoder.functions.atoms import load_atoms

    rows = [
        {
            "topic": a.topic,
            "function": a.name,
            "inputs": ", ".join(f"{p.name}: {p.type.key}" for p in a.params),
            "output": a.returns.key,
            "examples": len(a.examples),
        }
        for a in load_atoms()
        if topic is None or a.topic == topic
    ]
    frame = pl.DataFrame(rows)
    print_frame(frame, f"atoms ({frame.height})")
    if topic is None:
        print_frame(frame.group_by("topic").len("atoms").sort("topic"), "atoms per topic")


@synthetic_app.command("show")
def show(
    composition: Annotated[
        str | None, typer.Argument(help="A composition id (or its start); default: the first stored.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Print one synthetic function: its atoms, question, reference and first tests."""
    from acecoder.core.store import open_store
    from acecoder.functions.tasks import synthetic_tasks

    with open_store(db) as store:
        tasks = synthetic_tasks(store)
    chosen = next(
        (t for t in tasks if composition is None or t.task_id.split("/")[1].startswith(composition)), None
    )
    if chosen is None:
        console.print("no such synthetic function (run `acecoder synthetic generate` first)")
        raise typer.Exit(1)
    out = Console()
    out.print(f"[bold]{chosen.task_id}[/] (depth {chosen.depth}, {len(chosen.tests)} tests)")
    out.print(chosen.question, markup=False, highlight=False)
    out.print("\n# reference", markup=False)
    out.print(chosen.reference, markup=False, highlight=False)
    out.print("# tests", markup=False)
    for test in chosen.tests[:5]:
        out.print(test, markup=False, highlight=False)


@synthetic_app.command("eval")
def evaluate(
    model: Annotated[str, typer.Argument(help="Policy folder or Hub id.")],
    split_name: Annotated[
        str, typer.Option("--split", help="Split whose test part is evaluated.")
    ] = "default",
    limit: Annotated[int | None, typer.Option(help="First N test functions (0: all).")] = 50,
    max_new_tokens: Annotated[int, typer.Option()] = 1024,
    db: DbOption = None,
) -> None:
    """pass@1 (greedy) of a policy on the held-out synthetic functions of a split."""
    from acecoder.core.store import open_store
    from acecoder.functions.evaluate import evaluate_synthetic
    from acecoder.functions.tasks import synthetic_tasks
    from acecoder.rl.evaluate import EvalConfig, PolicySampler

    with open_store(db) as store:
        tasks = synthetic_tasks(store, split_name, "test")
    tasks = tasks[:limit] if limit else tasks
    if not tasks:
        console.print(f"split {split_name!r} has no test functions")
        raise typer.Exit(1)
    score = evaluate_synthetic(tasks, PolicySampler(EvalConfig(model=model, max_new_tokens=max_new_tokens)))
    print_mapping({"tasks": score.tasks, "pass@1": score.pass_at_1}, f"synthetic eval: {split_name} (test)")
