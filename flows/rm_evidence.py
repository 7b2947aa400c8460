"""`make rm-evidence`: the reward model on real programs, as a Prefect flow (a bench, not a test).

HumanEval+ tasks as evaluation-only problems, offline tests synthesized and filtered, CodeGen-16B's samples
imported, labelled and scored; K folds by task, a reward model per fold trained on the other folds' pairs,
each held-out task's samples ranked (`rewardmodel.evidence`). Writes evidence.json, evidence.md and
evidence.png to the output folder, an `rm-evidence` row to `runs` and a markdown artifact. A killed run
started again keeps what was done: the store's stages skip finished work, a trained fold is kept and a fold
killed mid-training resumes from its last checkpoint.

    python -m flows.rm_evidence                     # 164 tasks x 100 samples, 4 folds
    python -m flows.rm_evidence --quick             # 40 tasks x 20 samples, 2 folds
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import time
from dataclasses import asdict, fields
from pathlib import Path

# Prefect reads these when it is imported: its local mode's API server gets more than 20 s to start on a busy
# 2-core machine, and a local bench reports nothing to telemetry.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import flow, get_run_logger, runtime, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from acecoder.core.store import detached_run, open_store
from rewardmodel import evidence
from rewardmodel.evidence import EvidenceConfig

QUICK = {"tasks": 40, "samples_per_task": 20, "folds": 2, "bootstrap": 500}


# A fold's inputs are frames and a function: nothing for Prefect's input cache (the model folder is the cache).
@task(name="rm-evidence-fold", cache_policy=NO_CACHE)
def fold_task(function, *args):
    return function(*args)


@flow(name="rm-evidence", log_prints=True)
def rm_evidence_flow(db: Path | None = None, **settings) -> dict:
    """Prepare the store, train and rank fold by fold, report. `settings` are EvidenceConfig fields."""
    config = EvidenceConfig(**settings)
    db = Path(db) if db is not None else config.out / "evidence.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    flow_run_id = runtime.flow_run.id
    logger = get_run_logger()
    started = time.monotonic()
    with detached_run(db, "rm-evidence", config.params(), flow_run_id) as (_, metrics):
        with open_store(db) as store:
            steps = evidence.prepare(store, config, flow_run_id=flow_run_id)
        prepared = time.monotonic()
        logger.info("prepared: %s", steps["progress"])
        with open_store(db) as store:
            result = evidence.evaluate_folds(
                store, config, db, flow_run_id, fold_runner=lambda f, *a: fold_task(f, *a)
            )
        result.seconds = {
            "prepare": round(prepared - started, 1),
            "folds": result.seconds["folds"],
            "total": round(time.monotonic() - started, 1),
        }
        result.data["preparation"] = steps["progress"]
        config.out.mkdir(parents=True, exist_ok=True)
        (config.out / "evidence.json").write_text(json.dumps(asdict(result), indent=2, default=str) + "\n")
        table = evidence.markdown(result)
        (config.out / "evidence.md").write_text(table)
        image = evidence.save_plot(result, config.out / "evidence.png")
        metrics.update(evidence.flat_metrics(result))
    picture = base64.b64encode(image.read_bytes()).decode()
    create_markdown_artifact(
        key="rm-evidence",
        markdown=f"# Reward model on real programs\n\n{table}\n![best-of-N](data:image/png;base64,{picture})\n",
    )
    logger.info("\n%s", table)
    return asdict(result)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Reward-model evidence on HumanEval+ (make rm-evidence).")
    parser.add_argument("--quick", action="store_true", help=f"a smaller run: {QUICK}")
    parser.add_argument("--db", type=Path, help="DuckDB file (default: <out>/evidence.duckdb)")
    for f in fields(EvidenceConfig):
        if f.name == "progress":
            continue
        name, kind = "--" + f.name.replace("_", "-"), str(f.type)
        if kind == "bool":
            parser.add_argument(name, action=argparse.BooleanOptionalAction, help=f.metadata.get("help"))
            continue
        convert = int if kind.startswith("int") else float if kind == "float" else str
        parser.add_argument(name, type=convert, help=f.metadata.get("help"))
    args = vars(parser.parse_args(argv))
    quick, db = args.pop("quick"), args.pop("db")
    settings = (QUICK if quick else {}) | {k: v for k, v in args.items() if v is not None}
    if quick and "out" not in settings:
        settings["out"] = "runs/rm-evidence-quick"
    started = time.perf_counter()
    result = rm_evidence_flow(db=db, **settings)
    from rich.console import Console

    console = Console()
    console.print(evidence.markdown(evidence.EvidenceResult(**result)))
    console.print(f"wall time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
