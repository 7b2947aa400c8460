"""`acecoder ingest SOURCE`: read a code dataset into `sources`, with dedup and decontamination."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from acecoder.cli.options import DbOption

console = Console(stderr=True)


def ingest(
    source: Annotated[
        str,
        typer.Argument(
            help="`seed` (the bundled corpus), a .jsonl/.json/.parquet/.csv file or a folder of them, "
            "or a Hugging Face dataset id such as ise-uiuc/Magicoder-OSS-Instruct-75K."
        ),
    ],
    layout: Annotated[
        str,
        typer.Option(
            help="How to read the rows: auto (detect from the columns), magicoder-oss (problem, solution), "
            "magicoder-evol (instruction, response), evol-codealpaca (instruction, output), "
            "stack-fns (content), seed (question, solution), generic (with the field options)."
        ),
    ] = "auto",
    question_field: Annotated[
        str | None, typer.Option(help="Field with the question (generic layout).")
    ] = None,
    solution_field: Annotated[
        str | None, typer.Option(help="Field with the code or a markdown answer holding it (generic layout).")
    ] = None,
    split: Annotated[str, typer.Option(help="Split of a Hub dataset.")] = "train",
    limit: Annotated[
        int | None, typer.Option(help="Ingest at most this many rows (after --shuffle).")
    ] = None,
    shuffle: Annotated[bool, typer.Option(help="Shuffle the rows before --limit.")] = False,
    seed: Annotated[int, typer.Option(help="Seed of --shuffle.")] = 0,
    strip_prints: Annotated[
        bool, typer.Option(help="Remove print(...) lines where the code stays valid, as AceCoder did.")
    ] = True,
    near_dup_threshold: Annotated[
        float,
        typer.Option(
            help="Jaccard similarity (token 3-grams, MinHash) above which a row is a near duplicate of an "
            "earlier one; 1.0 turns near-dedup off.",
            min=0.0,
            max=1.0,
        ),
    ] = 0.85,
    ngram: Annotated[
        int,
        typer.Option(
            help="Flag rows sharing this many consecutive words with a HumanEval(+)/MBPP(+) prompt or solution.",
            min=4,
        ),
    ] = 13,
    decontaminate: Annotated[bool, typer.Option(help="Check rows against the benchmarks.")] = True,
    workers: Annotated[int, typer.Option(help="Processes cleaning code on large inputs.", min=1)] = 2,
    db: DbOption = None,
) -> None:
    """Read SOURCE into the `sources` table.

    Keeps Python code that defines a function or class, strips print lines, drops exact and near
    duplicates, and flags rows that overlap HumanEval(+)/MBPP(+) (kept, but excluded from later stages).
    Bad input stops with the file, row and field, and writes nothing.
    """
    from acecoder.core.store import open_store
    from acecoder.stages.ingest import IngestConfig, IngestError
    from acecoder.stages.ingest import ingest as run_ingest

    config = IngestConfig(
        layout=layout,
        question_field=question_field,
        solution_field=solution_field,
        split=split,
        limit=limit,
        shuffle=shuffle,
        seed=seed,
        strip_prints=strip_prints,
        near_dup_threshold=near_dup_threshold,
        decontam_ngram=ngram,
        decontaminate=decontaminate,
        workers=workers,
    )
    with open_store(db) as store:
        try:
            with console.status(f"ingesting {source}"):
                report = run_ingest(source, store, config)
        except IngestError as exc:
            console.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
    table = Table(title=f"ingest {report.dataset} ({report.layout} layout), run {report.run_id}")
    table.add_column("rows")
    table.add_column("count", justify="right")
    table.add_row("read", f"{report.read:,}")
    table.add_row("exact duplicates (dropped)", f"{report.exact_duplicates:,}")
    for reason, count in report.skipped.items():
        table.add_row(f"skipped: {reason}", f"{count:,}")
    table.add_row("already stored", f"{report.already_stored:,}")
    table.add_row("near duplicates (stored, excluded)", f"{report.near_duplicates:,}")
    table.add_row("contaminated (stored, excluded)", f"{report.contaminated:,}")
    table.add_row("[bold]inserted[/bold]", f"[bold]{report.inserted:,}[/bold]")
    Console().print(table)
    for example in report.contamination_examples:
        console.print(f"  contaminated: {example['row']}: {example['reason']}", highlight=False)
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/yellow] decontamination ran without {warning}", highlight=False)
