"""Entry point of the `acecoder` command: registers each stage's command.

Command modules keep heavy imports (torch, transformers, prefect) inside their functions so that
`acecoder --help` and light commands start fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from acecoder.cli.execute import execute
from acecoder.cli.export import export_app
from acecoder.cli.filter import filter_tests
from acecoder.cli.imports import import_app
from acecoder.cli.ingest import ingest
from acecoder.cli.llm_options import apply_llm_options
from acecoder.cli.pairs import pairs
from acecoder.cli.report import report_app
from acecoder.cli.rerank import rerank
from acecoder.cli.rl import rl_app, serve_reward
from acecoder.cli.rm import rm_app
from acecoder.cli.sample import sample
from acecoder.cli.score import score
from acecoder.cli.sft import sft_app
from acecoder.cli.status import status
from acecoder.cli.synth import synth
from acecoder.cli.synthetic import synthetic_app

app = typer.Typer(
    name="acecoder",
    help=(
        "Turn code data into verified (question, tests) pairs, measure sampled programs' pass rates, build "
        "preference pairs and Bradley-Terry reward models, and rerank best-of-N benchmark outputs.\n\n"
        "The database is ACECODER_DB (default data/acecoder.duckdb); the LLM endpoint comes from "
        "OPENAI_BASE_URL / OPENAI_API_KEY, and with none configured the offline backends run."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    llm_extra_body: Annotated[
        str | None,
        typer.Option(
            "--llm-extra-body",
            help="JSON object sent in every LLM request body as it is, e.g. '{\"top_k\": 20}' for vLLM "
            "(default: ACECODER_LLM_EXTRA_BODY).",
            show_default=False,
        ),
    ] = None,
    llm_reasoning: Annotated[
        bool | None,
        typer.Option(
            "--llm-reasoning/--no-llm-reasoning",
            help="Treat the model as a reasoning model (max_completion_tokens; no temperature, top_p or stop) "
            "or not (default: ACECODER_LLM_REASONING, else by its name: o1, o3, o4-mini, gpt-5).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """acecoder: test-case synthesis, execution feedback and reward models for code LLMs."""
    apply_llm_options(llm_extra_body, llm_reasoning)


app.command("ingest")(ingest)
app.command("status")(status)
app.command("synth")(synth)
app.command("filter")(filter_tests)
app.command("sample")(sample)
app.command("score")(score)
app.command("execute")(execute)
app.command("pairs")(pairs)
app.add_typer(export_app, name="export")
app.add_typer(report_app, name="report")
app.add_typer(import_app, name="import")
app.add_typer(rm_app, name="rm")
app.add_typer(rl_app, name="rl")
app.add_typer(synthetic_app, name="synthetic")
app.add_typer(sft_app, name="sft")
app.command("serve-reward")(serve_reward)
app.command("rerank")(rerank)
