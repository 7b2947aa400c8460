"""GRPO on CPU with a tiny random model and the sandbox rewards: two steps with the fine-grained penalty on
(per-token advantages), the switch off (plain GRPO), and the trainer's penalty on a known faulty answer."""

from __future__ import annotations

import pytest
import torch

from acecoder.rl.config import RLConfig
from acecoder.rl.execution import CompletionRunner

ANSWER = "```python\ndef double(x):\n    y = x * 2\n    return y.real()\n```\n"
TESTS = ["assert double(2) == 4"]


@pytest.fixture(scope="module")
def pool():
    from acecoder.sandbox import SandboxPool

    with SandboxPool(workers=2) as opened:
        yield opened


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """One run folder for the module, so that the tiny policy is built once."""
    return tmp_path_factory.mktemp("rl-run")


@pytest.fixture
def advantages_seen(monkeypatch):
    """The advantages each loss computation receives."""
    from acecoder.rl.trainer import FineGrainedGRPOTrainer

    seen = []
    original = FineGrainedGRPOTrainer._compute_loss

    def spy(self, model, inputs):
        seen.append((inputs["advantages"].detach().clone(), inputs["completion_mask"].clone()))
        return original(self, model, inputs)

    monkeypatch.setattr(FineGrainedGRPOTrainer, "_compute_loss", spy)
    return seen


def run(out, pool, fine_grained: bool):
    from acecoder.rl.train import train

    config = RLConfig(
        out=out,
        limit=4,
        max_steps=2,
        fine_grained=fine_grained,
        rewards={"rltf_adaptive": 1.0, "format": 0.5},
    )
    return train(config, runner=CompletionRunner(pool, timeout_s=1.0))


def test_two_grpo_steps_with_fine_grained_penalty(run_dir, pool, advantages_seen):
    report = run(run_dir, pool, fine_grained=True)
    assert report.demonstration and report.steps == 2 and report.problems == 4
    assert (report.model_dir / "model.safetensors").is_file()
    assert (report.model_dir / "tokenizer.json").is_file()
    assert "fine_grained/penalised_token_share" in report.metrics
    assert {"rewards/rltf_adaptive/mean", "rewards/format/mean"} <= set(report.metrics)
    assert len(advantages_seen) == 2
    for advantages, mask in advantages_seen:
        assert advantages.shape == mask.shape  # per-token advantages
    # the tiny model writes noise: no program, a global fault, so every real token is penalised alike
    advantages, mask = advantages_seen[0]
    for row, row_mask in zip(advantages, mask, strict=True):
        real = row[row_mask.bool()]
        assert torch.allclose(real, real[0].expand_as(real))


def test_switch_off_is_plain_grpo(run_dir, pool, advantages_seen):
    report = run(run_dir, pool, fine_grained=False)
    assert report.steps == 2
    assert "fine_grained/penalised_token_share" not in report.metrics
    assert all(advantages.dim() == 1 for advantages, _ in advantages_seen)


def test_trainer_penalises_the_tokens_of_the_faulty_line(tmp_path, pool):
    from transformers import AutoTokenizer
    from trl import GRPOConfig

    from acecoder.rl.data import demonstration_problems, prompt_dataset
    from acecoder.rl.tiny_model import build_tiny_model
    from acecoder.rl.trainer import FeedbackConfig, FineGrainedGRPOTrainer

    model = build_tiny_model(tmp_path / "tiny", [ANSWER] * 4 + ["def f(x):\n    return x\n"], vocab_size=300)
    tokenizer = AutoTokenizer.from_pretrained(model)
    trainer = FineGrainedGRPOTrainer(
        model=str(model),
        reward_funcs=[lambda prompts, completions, **kw: [0.0] * len(completions)],
        args=GRPOConfig(
            output_dir=str(tmp_path / "out"),
            use_cpu=True,
            bf16=False,
            report_to="none",
            num_generations=2,
            per_device_train_batch_size=2,
            max_completion_length=8,
        ),
        train_dataset=prompt_dataset(demonstration_problems()[:2], chat=False),
        processing_class=tokenizer,
        runner=CompletionRunner(pool),
        feedback=FeedbackConfig(weight=0.3),
    )
    ids = tokenizer(ANSWER, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
    completion_ids = torch.tensor([ids + [tokenizer.pad_token_id] * 3])
    mask = torch.tensor([[1] * len(ids) + [0] * 3])
    penalties = trainer._penalties([{"tests": TESTS, "entry_point": "double"}], completion_ids, mask)[0]
    penalised = [i for i, value in enumerate(penalties.tolist()) if value]
    assert penalties[penalised].eq(0.3).all() and penalties[len(ids) :].eq(0).all()
    text = tokenizer.decode([ids[i] for i in penalised])
    assert "return y.real()" in text and "y = x" not in text and "def" not in text


def test_problems_from_an_export_folder_and_their_prompts(tmp_path):
    import polars as pl

    from acecoder.rl.data import prompt_dataset
    from acecoder.rl.prompts import R1_SYSTEM
    from acecoder.rl.train import load_problems

    (tmp_path / "data").mkdir()
    pl.DataFrame(
        {
            "problem_id": ["a", "b"],
            "question": ["Double x.", "Negate x."],
            "entry_point": ["f", "g"],
            "tests": [["assert f(1) == 2"], ["assert g(1) == -1"]],
            "hard": [False, True],
        }
    ).write_parquet(tmp_path / "data" / "train-00000-of-00001.parquet")
    assert [p.problem_id for p in load_problems(RLConfig(data=tmp_path))] == ["a", "b"]
    (hard,) = load_problems(RLConfig(data=tmp_path, hard_only=True))
    assert hard.problem_id == "b"
    row = prompt_dataset([hard], style="r1", chat=True)[0]
    assert row["prompt"][0] == {"role": "system", "content": R1_SYSTEM}
    assert "`g`" in row["prompt"][1]["content"] and "Negate x." in row["prompt"][1]["content"]
    assert row["tests"] == ["assert g(1) == -1"] and row["entry_point"] == "g"
    easy = tmp_path / "easy"
    (easy / "data").mkdir(parents=True)
    pl.read_parquet(tmp_path / "data").filter(~pl.col("hard")).write_parquet(easy / "data" / "train.parquet")
    with pytest.raises(ValueError, match="hard subset is empty"):
        load_problems(RLConfig(data=easy, hard_only=True))
