"""The reward-model evidence flow end to end on a slice (six HumanEval+ tasks of the fixtures, eight CodeGen-16B
samples each, 2 folds, a tiny Qwen2), under prefect_test_harness: tasks imported as evaluation-only problems,
offline tests synthesized and filtered, samples imported, labelled and scored, a model per fold, the report
files and the `runs` row; and the rule that the normal pairs and export never hold evaluation-only tasks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from acecoder.core import rm_format
from acecoder.core.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = FIXTURES / "codegen_humaneval_slice.jsonl"


@pytest.mark.slow
def test_evidence_flow_on_a_slice(tmp_path):
    from prefect.testing.utilities import prefect_test_harness

    from acecoder.rl.tiny_model import build_tiny_model
    from acecoder.stages.export import reward_pairs_frame
    from acecoder.stages.pairs import make_pairs
    from flows.rm_evidence import rm_evidence_flow

    model = build_tiny_model(
        tmp_path / "tiny", [rm_format.PROMPT_PREFIX + rm_format.RESPONSE_PREFIX + SAMPLES.read_text()], 400
    )
    db, out = tmp_path / "evidence.duckdb", tmp_path / "evidence"
    with prefect_test_harness(server_startup_timeout=120):
        result = rm_evidence_flow(
            db=db,
            samples=SAMPLES,
            benchmark=str(FIXTURES / "humanevalplus_slice.jsonl"),
            folds=2,
            model=str(model),
            max_length=1024,  # the tiny tokenizer spends many tokens on a HumanEval prompt
            epochs=1,
            min_chosen=0.5,  # eight samples a task: a looser rule so that both folds have pairs
            min_gap=0.2,
            bootstrap=50,
            out=out,
            progress=False,
        )
    assert result["data"]["tasks"] == 6 and result["data"]["samples"] == 48  # duplicates counted once each
    assert {row["method"] for row in result["methods"]} == {
        "rm",
        "rm+exec",
        "exec",
        "random",
        "first",
        "oracle",
    }
    rows = {row["method"]: row for row in result["methods"]}
    for row in rows.values():
        assert row["tasks"] == 6 and row["base_ci"][0] <= row["base"] <= row["base_ci"][1]
        assert row["plus"] <= row["base"] + 1e-9  # plus inputs only add to the base ones
        assert row["base"] <= rows["oracle"]["base"] + 1e-9
    assert [fold["fold"] for fold in result["folds"]] == [0, 1]
    assert all(fold["train_pairs"] > 0 and fold["tasks"] == 3 for fold in result["folds"])
    assert 0.0 <= result["held_out_pair_accuracy"] <= 1.0
    for name in ("evidence.json", "evidence.md", "evidence.png"):
        assert (out / name).stat().st_size > 200
    assert json.loads((out / "evidence.json").read_text())["methods"] == json.loads(
        json.dumps(result["methods"])
    )
    assert "| rm+exec |" in (out / "evidence.md").read_text()
    with Store(db) as store:
        metrics = store.con.execute("SELECT status, metrics FROM runs WHERE stage = 'rm-evidence'").fetchall()
        assert len(metrics) == 1 and metrics[0][0] == "ok"
        assert json.loads(metrics[0][1])["rm_base"] == rows["rm"]["base"]
        # the evidence's pairs are its own: the pipeline's pairs and the training export stay without them
        assert make_pairs(store).new_pairs == 0
        assert reward_pairs_frame(store).height == 0
