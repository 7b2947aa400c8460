"""SFT on atomic + synthetic data mixes: every SFT target is a valid answer (it passes its task's tests when
read back as a completion), and TRL's SFTTrainer trains the tiny demonstration model on CPU for a few steps."""

from __future__ import annotations

import math

import pytest
from typer.testing import CliRunner

from acecoder.core.store import Store
from acecoder.functions.generate import GenerateConfig, generate
from acecoder.functions.splits import SplitConfig, make_split


@pytest.fixture(scope="module")
def pool():
    from acecoder.sandbox import SandboxPool

    with SandboxPool(workers=2) as opened:
        yield opened


@pytest.fixture(scope="module")
def db(tmp_path_factory, pool):
    """A database with 12 synthetic functions and a split of them."""
    path = tmp_path_factory.mktemp("sft") / "sft.duckdb"
    with Store(path) as store:
        generate(store, GenerateConfig(count=12, depths=(2, 3), seed=1, polish="off"), pool=pool)
        make_split(store, SplitConfig(held_out_topic=None, held_out_fraction=0.25))
    return path


def test_every_sft_target_passes_its_tasks_tests(db, pool):
    from acecoder.rl.execution import CompletionRunner
    from acecoder.rl.prompts import build_prompt
    from acecoder.sft.config import SFTRunConfig
    from acecoder.sft.data import sft_rows
    from acecoder.sft.train import load_tasks

    tasks = load_tasks(SFTRunConfig(db=db, mix="atomic+synthetic"))
    kinds = {t.kind for t in tasks}
    assert kinds == {"atomic", "synthetic"}
    rows = sft_rows(tasks, chat=False)
    for task, row in zip(tasks, rows, strict=True):
        assert row["prompt"] == build_prompt(task.question, task.entry_point, "plain", chat=False)
        assert row["completion"].startswith("```python\n") and row["completion"].endswith("\n```")
    chat_row = sft_rows(tasks[:1], chat=True)[0]
    assert chat_row["prompt"][-1]["role"] == "user" and chat_row["completion"][0]["role"] == "assistant"
    runner = CompletionRunner(pool, timeout_s=2.0)
    executions = runner.run(
        [r["completion"] for r in rows], [list(t.tests) for t in tasks], [t.entry_point for t in tasks]
    )
    failed = [
        t.task_id
        for t, e in zip(tasks, executions, strict=True)
        if e.passed != e.test_count or not e.test_count
    ]
    assert failed == []


def test_sft_demonstration_trains_a_tiny_model(db, tmp_path):
    from safetensors.torch import load_file

    from acecoder.sft.config import SFTRunConfig
    from acecoder.sft.train import train

    config = SFTRunConfig(out=tmp_path / "sft", db=db, mix="atomic+3", max_steps=2)
    report = train(config)
    assert report.demonstration and report.steps == 2 and report.mix == "atomic+3"
    assert report.by_kind == {"atomic": 120, "synthetic": 3} and report.examples == 123
    assert math.isfinite(report.metrics["train_loss"]) and report.metrics["train_loss"] > 0
    assert (report.model_dir / "tokenizer.json").is_file()
    before = load_file(tmp_path / "sft" / "tiny-base" / "model.safetensors")
    after = load_file(report.model_dir / "model.safetensors")
    changed = [name for name in before if not before[name].equal(after[name])]
    assert changed, "two optimiser steps changed no weight"


def test_sft_cli_dry_run_and_bad_mix(db):
    from acecoder.cli.main import app

    result = CliRunner().invoke(app, ["sft", "train", "--mix", "atomic+2", "--db", str(db), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "122" in result.output and "```python" in result.output
    bad = CliRunner().invoke(app, ["sft", "train", "--mix", "everything", "--db", str(db), "--dry-run"])
    assert bad.exit_code != 0 and "unknown data mix" in bad.output
