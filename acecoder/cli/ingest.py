"""`acecoder ingest SOURCE`: read a code dataset into `sources`, with dedup and decontamination."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from acecoder.cli.options import DbOption, config_option
from acecoder.stages.ingest.config import IngestConfig as C

console = Console(stderr=True)


def ingest(
    source: Annotated[
        str,
        typer.Argument(
            help="`seed` (the bundled corpus), a .jsonl/.json/.parquet/.csv file or a folder of them, "
            "or a Hugging Face dataset id such as ise-uiuc/Magicoder-OSS-Instruct-75K."
        ),
    ],
    layout: Annotated[str, config_option(C, "layout")] = C.layout,
    question_field: Annotated[str | None, config_option(C, "question_field")] = C.question_field,
    solution_field: Annotated[str | None, config_option(C, "solution_field")] = C.solution_field,
    split: Annotated[str, config_option(C, "split")] = C.split,
    limit: Annotated[int | None, config_option(C, "limit")] = C.limit,
    shuffle: Annotated[bool, config_option(C, "shuffle")] = C.shuffle,
    seed: Annotated[int, config_option(C, "seed")] = C.seed,
    strip_prints: Annotated[bool, config_option(C, "strip_prints")] = C.strip_prints,
    near_dup_threshold: Annotated[
        float, config_option(C, "near_dup_threshold", min=0.0, max=1.0)
    ] = C.near_dup_threshold,
    ngram: Annotated[int, config_option(C, "decontam_ngram", min=4)] = C.decontam_ngram,
    decontaminate: Annotated[bool, config_option(C, "decontaminate")] = C.decontaminate,
    workers: Annotated[int, config_option(C, "workers", min=1)] = C.workers,
    chunk_rows: Annotated[int, config_option(C, "chunk_rows", min=1)] = C.chunk_rows,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
    db: DbOption = None,
) -> None:
    """Read SOURCE into the `sources` table.

    Keeps Python code that defines a function or class, strips print lines, drops exact and near
    duplicates, and flags rows that overlap HumanEval(+)/MBPP(+) (kept, but excluded from later stages).
    Reads, checks and commits CHUNK_ROWS rows at a time, so memory stays flat in the input's size and a
    killed run loses only the chunk in flight (running again adds nothing twice). Bad input stops with the
    file, row and field; the chunks before it stay stored.
    """
    from acecoder.core.store import open_store
    from acecoder.stages.ingest import IngestError
    from acecoder.stages.ingest import ingest as run_ingest

    config = C(
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
        chunk_rows=chunk_rows,
    )
    with open_store(db) as store:
        try:
            report = run_ingest(source, store, config, progress=progress)
        except IngestError as exc:
            console.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
    table = Table(title=f"ingest {report.dataset} ({report.layout} layout), run {report.run_id}")
    table.add_column("rows")
    table.add_column("count", justify="right")
    table.add_row("read", f"{report.read:,} in {report.chunks:,} chunks")
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
