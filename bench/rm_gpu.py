"""Reward-model training and scoring on a GPU: tokens/s and MFU, scoring samples/s, and the ZeRO-3 line.

    python bench/rm_gpu.py                  # on a GPU: 1.5B in full and 7B with LoRA, bf16, randomly initialised
    python bench/rm_gpu.py --tiny           # CPU smoke test of every part with a 2-layer model (seconds)

1. Training: a randomly initialised Qwen2.5-Coder-1.5B-shaped scalar-head model (all weights, bf16 autocast over
   fp32 weights, AdamW, gradient checkpointing), and a 7B-shaped one with LoRA adapters (bf16 base), on
   Bradley-Terry pairs of random token ids: tokens/s and MFU (model FLOPs utilisation: 6 N FLOPs a token for
   full training, 4 N with frozen base weights, attention's own FLOPs left out, over the card's dense bf16 peak).
2. Scoring: `rewardmodel.scoring.RewardScorer` on the saved 1.5B model, sequences of mixed lengths, batched and
   longest first against one at a time (samples/s).
3. The ZeRO-3 line the README documents, on one GPU:
   `accelerate launch --config_file configs/accelerate_zero3.yaml --num_processes 1 -m acecoder rm train
   --preset acecoder ...` on synthetic pairs for a few steps (with --tiny and no deepspeed: the same command
   through accelerate's CPU launcher, without the ZeRO-3 config).

Randomly initialised weights train and score at the speed of trained ones: nothing is downloaded. The tokenizer
is a small byte-level BPE trained on the spot (it only pads and tokenizes the synthetic pairs of step 3).
Reference figures are printed beside the measurements: the dense bf16 peak of the card, and the MFU a
well-tuned dense-transformer training run reaches (about 40-50% on H100).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# Dense bf16 peaks (TFLOP/s) of the cards this runs on; others take --peak-tflops.
PEAK_TFLOPS = {"H100": 989.4, "H200": 989.4, "A100": 312.0, "L40S": 362.1}
REFERENCE_MFU = "40-50% (well-tuned dense training on H100)"


@dataclass(frozen=True)
class Shape:
    name: str
    hidden: int
    intermediate: int
    layers: int
    heads: int
    kv_heads: int
    vocab: int
    tie: bool


SHAPES = {
    # Qwen2.5-Coder-1.5B and -7B (config.json of the Instruct releases).
    "1.5b": Shape("Qwen2.5-Coder-1.5B", 1536, 8960, 28, 12, 2, 151936, True),
    "7b": Shape("Qwen2.5-Coder-7B", 3584, 18944, 28, 28, 4, 152064, False),
    "tiny": Shape("tiny Qwen2", 64, 128, 2, 4, 2, 512, True),
}


def qwen2_config(shape: Shape):
    from transformers import Qwen2Config

    return Qwen2Config(
        vocab_size=shape.vocab,
        hidden_size=shape.hidden,
        intermediate_size=shape.intermediate,
        num_hidden_layers=shape.layers,
        num_attention_heads=shape.heads,
        num_key_value_heads=shape.kv_heads,
        max_position_embeddings=32768,
        tie_word_embeddings=shape.tie,
        num_labels=1,
        pad_token_id=0,
    )


def reward_model(shape: Shape, device, dtype, attention: str):
    import torch
    from transformers import Qwen2ForSequenceClassification

    torch.manual_seed(0)
    config = qwen2_config(shape)
    config._attn_implementation = attention
    with torch.device(device):
        model = Qwen2ForSequenceClassification(config)
    return model.to(dtype)


def attention_implementation(on_gpu: bool) -> str:
    if on_gpu:
        try:
            import flash_attn  # noqa: F401

            return "flash_attention_2"
        except ImportError:
            pass
    return "sdpa"


def peak_flops(device_name: str, override: float | None) -> float | None:
    if override:
        return override * 1e12
    for card, tflops in PEAK_TFLOPS.items():
        if card in device_name:
            return tflops * 1e12
    return None


def sync(device) -> None:
    import torch

    if device.type == "cuda":
        torch.cuda.synchronize()


def train_throughput(
    shape: Shape, device, *, lora: bool, pairs: int, seq_len: int, steps: int, warmup: int, attention: str
) -> dict:
    """Bradley-Terry steps on random pairs: tokens/s (both sides of every pair) and FLOPs a token."""
    import torch
    import torch.nn.functional as F

    on_gpu = device.type == "cuda"
    dtype = torch.bfloat16 if (on_gpu and lora) else torch.float32  # full training keeps fp32 master weights
    model = reward_model(shape, device, dtype, attention)
    params = sum(p.numel() for p in model.parameters())
    if lora:
        from peft import LoraConfig, get_peft_model

        model = get_peft_model(
            model, LoraConfig(task_type="SEQ_CLS", r=16, lora_alpha=32, target_modules="all-linear")
        )
    if on_gpu:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        if lora:
            model.enable_input_require_grads()
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=1e-5, fused=on_gpu)
    generator = torch.Generator(device="cpu").manual_seed(0)
    ids = torch.randint(1, shape.vocab, (2 * pairs, seq_len), generator=generator).to(device)
    mask = torch.ones_like(ids)
    autocast = (
        torch.autocast("cuda", dtype=torch.bfloat16) if on_gpu else torch.autocast("cpu", enabled=False)
    )
    if on_gpu:
        torch.cuda.reset_peak_memory_stats()

    def step() -> None:
        with autocast:
            rewards = model(input_ids=ids, attention_mask=mask).logits.squeeze(-1).float()
        loss = -F.logsigmoid(rewards[:pairs] - rewards[pairs:]).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    for _ in range(warmup):
        step()
    sync(device)
    started = time.perf_counter()
    for _ in range(steps):
        step()
    sync(device)
    seconds = time.perf_counter() - started
    tokens = 2 * pairs * seq_len * steps
    result = {
        "model": shape.name + (" + LoRA r16" if lora else ""),
        "parameters": params,
        "trainable": sum(p.numel() for p in trainable),
        "pairs_per_step": pairs,
        "seq_len": seq_len,
        "steps": steps,
        "tokens_per_s": tokens / seconds,
        "flops_per_token": (4 if lora else 6) * params,
        "peak_memory_gib": torch.cuda.max_memory_allocated() / 2**30 if on_gpu else None,
        "attention": attention,
    }
    return result


def save_random_model(shape: Shape, folder: Path, attention: str) -> Path:
    """A randomly initialised scalar-head model and a small tokenizer in a folder RewardScorer loads."""
    import torch

    from acecoder.core import rm_format
    from acecoder.rl.tiny_model import build_tiny_model

    build_tiny_model(
        folder / "tokenizer-source",
        [rm_format.PROMPT_PREFIX, rm_format.RESPONSE_PREFIX, "def f(x):\n    return x + 1\n" * 20],
        vocab_size=300,
    )
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder / "tokenizer-source")
    model = reward_model(shape, "cpu", torch.bfloat16, attention)
    model.config.pad_token_id = tokenizer.pad_token_id
    model.config.eos_token_id = tokenizer.eos_token_id
    model.save_pretrained(folder / "model")
    tokenizer.save_pretrained(folder / "model")
    return folder / "model"


def scoring_throughput(model_dir: Path, device, count: int, batch_size: int, vocab: int) -> dict:
    """RewardScorer on sequences of 128-1024 tokens: samples/s batched (longest first) and one at a time."""
    import random

    from rewardmodel.scoring import RewardScorer

    scorer = RewardScorer(model_dir, device=str(device), max_length=4096)
    rng = random.Random(0)
    sequences = [[rng.randrange(3, vocab) for _ in range(rng.randint(128, 1024))] for _ in range(count)]
    scorer.score_ids(sequences[:batch_size], batch_size=batch_size, progress=False)  # warm-up
    timings = {}
    for name, size in (("batched", batch_size), ("one_at_a_time", 1)):
        sync(device)
        started = time.perf_counter()
        scorer.score_ids(sequences, batch_size=size, progress=False)
        sync(device)
        timings[name] = count / (time.perf_counter() - started)
    return {
        "samples": count,
        "batch_size": batch_size,
        "batched_samples_per_s": timings["batched"],
        "one_at_a_time_samples_per_s": timings["one_at_a_time"],
        "speedup": timings["batched"] / timings["one_at_a_time"],
    }


def zero3_line(model_dir: Path, work: Path, tiny: bool, steps: int) -> dict:
    """The documented `accelerate launch` line on one process, a few steps on synthetic pairs."""
    import polars as pl

    from acecoder.core import rm_format

    pairs = work / "pairs"
    (pairs / "data").mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(256):
        body = "\n".join(f"    total += {j} * x" for j in range(i % 40 + 5))
        rows.append(
            {
                "problem_id": f"p{i % 64}",
                "prompt": rm_format.prompt_text(f"Write f{i}(x) that sums multiples of x."),
                "chosen": rm_format.response_text(f"def f{i}(x):\n    total = 0\n{body}\n    return total"),
                "rejected": rm_format.response_text(f"def f{i}(x):\n    return x"),
            }
        )
    pl.DataFrame(rows).write_parquet(pairs / "data" / "train-00000-of-00001.parquet")
    has_deepspeed = shutil.which("deepspeed") is not None or _importable("deepspeed")
    launch = [sys.executable, "-m", "accelerate.commands.launch"]
    if has_deepspeed and not tiny:
        launch += ["--config_file", str(REPO / "configs/accelerate_zero3.yaml"), "--num_processes", "1"]
        mode = "ZeRO-3 (configs/accelerate_zero3.yaml), 1 GPU"
    else:
        launch += ["--cpu", "--num_processes", "1", "--num_machines", "1", "--mixed_precision", "no"]
        mode = "accelerate CPU launcher (no deepspeed here: the ZeRO-3 config needs a GPU and the gpu extra)"
    out = work / "zero3-model"
    command = [
        *launch,
        "-m",
        "acecoder",
        "rm",
        "train",
        "--preset",
        "acecoder",
        "--model",
        str(model_dir),
        "--pairs",
        str(pairs),
        "--out",
        str(out),
        "--eval-fraction",
        "0.1",
        "--max-length",
        "1024",
        "--checkpoint-steps",
        "0",
        "--db",
        str(work / "runs.duckdb"),
        "--trainer-arg",
        f"max_steps={steps}",
        *(["--batch-size", "4", "--effective-batch-size", "8"] if tiny else []),
    ]
    env = os.environ | {"HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        return {"mode": mode, "ok": False, "error": done.stderr[-2000:], "command": " ".join(command)}
    summary = json.loads((out / "training_summary.json").read_text())
    return {
        "mode": mode,
        "ok": True,
        "steps": summary["train_metrics"].get("global_step"),
        "train_runtime_s": summary["train_metrics"].get("train_runtime"),
        "train_samples_per_s": summary["train_metrics"].get("train_samples_per_second"),
        "wall_s": seconds,
        "held_out_accuracy": json.loads((out / "eval_results.json").read_text())["pairwise"]["accuracy"],
    }


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiny", action="store_true", help="CPU smoke test with a 2-layer model")
    parser.add_argument("--seq-len", type=int, default=2048, help="tokens a side (AceCoder's max length)")
    parser.add_argument("--pairs", type=int, default=4, help="pairs a step (each is two sequences)")
    parser.add_argument("--steps", type=int, default=10, help="timed steps")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--score-samples", type=int, default=256)
    parser.add_argument("--score-batch", type=int, default=32)
    parser.add_argument("--zero3-steps", type=int, default=20)
    parser.add_argument("--skip", nargs="*", default=[], choices=["1.5b", "7b", "scoring", "zero3"])
    parser.add_argument("--peak-tflops", type=float, help="the card's dense bf16 peak, when not known here")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    import torch

    on_gpu = torch.cuda.is_available() and not args.tiny
    device = torch.device("cuda" if on_gpu else "cpu")
    device_name = torch.cuda.get_device_name(0) if on_gpu else "CPU"
    if not on_gpu and not args.tiny:
        parser.error("no GPU here: run with --tiny for the CPU smoke test")
    if args.tiny:
        args.seq_len, args.pairs, args.steps, args.warmup = 64, 2, 2, 1
        args.score_samples, args.score_batch, args.zero3_steps = 16, 8, 2
    peak = peak_flops(device_name, args.peak_tflops)
    attention = attention_implementation(on_gpu)
    figures: dict = {"device": device_name, "peak_tflops": peak / 1e12 if peak else None, "train": []}

    runs = [("tiny", False), ("tiny", True)] if args.tiny else [("1.5b", False), ("7b", True)]
    for size, lora in runs:
        if size in args.skip:
            continue
        result = train_throughput(
            SHAPES[size],
            device,
            lora=lora,
            pairs=args.pairs,
            seq_len=args.seq_len,
            steps=args.steps,
            warmup=args.warmup,
            attention=attention,
        )
        gc.collect()  # the previous model's memory goes back before the next one is built
        if on_gpu:
            torch.cuda.empty_cache()
        result["mfu"] = result["tokens_per_s"] * result["flops_per_token"] / peak if peak else None
        figures["train"].append(result)
        mfu = f"{100 * result['mfu']:.1f}%" if result["mfu"] is not None else "n/a (no peak for this device)"
        memory = f", peak memory {result['peak_memory_gib']:.1f} GiB" if result["peak_memory_gib"] else ""
        print(
            f"train {result['model']:<28} {result['tokens_per_s']:>10,.0f} tokens/s  MFU {mfu:<8} "
            f"(reference {REFERENCE_MFU}; {result['pairs_per_step']} pairs x {result['seq_len']} tokens{memory})",
            flush=True,
        )

    with tempfile.TemporaryDirectory(prefix="rm-gpu-") as tmp:
        work = Path(tmp)
        shape = SHAPES["tiny" if args.tiny else "1.5b"]
        if not {"scoring", "zero3"} <= set(args.skip):
            model_dir = save_random_model(shape, work, attention)
        if "scoring" not in args.skip:
            scoring = scoring_throughput(model_dir, device, args.score_samples, args.score_batch, shape.vocab)
            figures["scoring"] = scoring
            print(
                f"score {shape.name:<28} batched {scoring['batched_samples_per_s']:,.1f} samples/s, one at a "
                f"time {scoring['one_at_a_time_samples_per_s']:,.1f} samples/s: {scoring['speedup']:.1f}x "
                f"(bench/rm_score.py's target on CPU: >= 5x)",
                flush=True,
            )
        if "zero3" not in args.skip:
            zero3 = zero3_line(model_dir, work, args.tiny, args.zero3_steps)
            figures["zero3"] = zero3
            if zero3["ok"]:
                print(
                    f"launch {zero3['mode']}: {zero3['steps']} steps in {zero3['train_runtime_s']:.1f} s "
                    f"({zero3['train_samples_per_s']} pairs/s), {zero3['wall_s']:.0f} s with start-up",
                    flush=True,
                )
            else:
                print(f"launch {zero3['mode']} FAILED:\n{zero3['error']}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n")
    if not all(math.isfinite(r["tokens_per_s"]) for r in figures["train"]):
        sys.exit(1)
    if "zero3" in figures and not figures["zero3"]["ok"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
