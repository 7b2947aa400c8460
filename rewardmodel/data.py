"""Reward-model pairs: read from the DuckDB store or an exported dataset folder, split into train and
held-out sets by problem, and fitted to the model's maximum length (token ids ready for TRL)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from acecoder.core import rm_format
from rewardmodel.encoding import encode_sequences, fit

if TYPE_CHECKING:
    from datasets import Dataset
    from transformers import PreTrainedTokenizerBase

log = logging.getLogger(__name__)

TEXT_COLUMNS = ("prompt", "chosen", "rejected")


def read_pairs(source: Path) -> pl.DataFrame:
    """Pairs with `prompt`, `chosen`, `rejected` and `problem_id` (plus pass rates and codes when the source
    has them) from a DuckDB file or a folder of parquet files written by `acecoder export pairs`."""
    source = Path(source)
    if source.is_dir():
        files = sorted(source.glob("**/*.parquet"))
        if not files:
            raise FileNotFoundError(f"no parquet files under {source}")
        frame = pl.concat([pl.read_parquet(f) for f in files], how="diagonal_relaxed")
    elif source.is_file():
        from acecoder.core.store import Store
        from acecoder.stages.export import reward_pairs_frame

        with Store(source, read_only=True) as store:
            frame = reward_pairs_frame(store)
    else:
        raise FileNotFoundError(f"{source} is neither a DuckDB file nor a dataset folder")
    missing = [c for c in TEXT_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{source}: pairs need the columns {', '.join(TEXT_COLUMNS)}; missing {', '.join(missing)}"
        )
    frame = conversation_as_text(frame)
    if "problem_id" not in frame.columns:
        # A dataset from elsewhere: pairs with the same prompt belong to the same problem.
        frame = frame.with_columns(
            pl.col("prompt")
            .map_elements(lambda p: hashlib.sha256(p.encode()).hexdigest()[:16], return_dtype=pl.String)
            .alias("problem_id")
        )
    return frame


def conversation_as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Pairs in TRL's conversational form (lists of {role, content} turns, as `acecoder export pairs` writes
    them) with each turn's text in place of the list; plain-text columns are kept as they are. The chat
    template, when the model has one, is applied at encoding (`rm_format.sequence_text`)."""
    conversational = [c for c in TEXT_COLUMNS if frame.schema[c] != pl.String]
    return frame.with_columns(
        pl.col(c).map_elements(rm_format.turn_text, return_dtype=pl.String) for c in conversational
    )


def load_pairs(source: Path) -> Dataset:
    """`read_pairs` as a `datasets.Dataset`."""
    from datasets import Dataset

    return Dataset.from_polars(read_pairs(source))


def pairs_fingerprint(pairs: Dataset) -> str:
    """A digest of the pairs' problems and texts, in any order: equal digests mean the same training data."""
    rows = sorted(
        hashlib.sha256("\x00".join(map(str, row)).encode()).hexdigest()
        for row in zip(pairs["problem_id"], *(pairs[column] for column in TEXT_COLUMNS), strict=True)
    )
    return hashlib.sha256("".join(rows).encode()).hexdigest()


def held_out_problems(problem_ids: list[str], fraction: float, seed: int) -> set[str]:
    """The problems to hold out: the first `fraction` of them in an order fixed by a hash of (seed, id).

    Hash order rather than a shuffle keeps a problem on the same side when problems are added later. At least
    one problem is held out (when `fraction` > 0) and at least one is kept for training.
    """
    unique = sorted(set(problem_ids))
    if fraction <= 0 or len(unique) < 2:
        return set()
    ranked = sorted(unique, key=lambda pid: hashlib.sha256(f"{seed}:{pid}".encode()).hexdigest())
    count = min(max(1, round(fraction * len(unique))), len(unique) - 1)
    return set(ranked[:count])


def split_by_problem(pairs: Dataset, fraction: float, seed: int) -> tuple[Dataset, Dataset]:
    """(train, held-out): every pair of a held-out problem is held out, so no problem is on both sides."""
    problem_ids = list(pairs["problem_id"])
    held_out = held_out_problems(problem_ids, fraction, seed)
    flags = [pid in held_out for pid in problem_ids]
    train_rows = [i for i, flag in enumerate(flags) if not flag]
    held_out_rows = [i for i, flag in enumerate(flags) if flag]
    return pairs.select(train_rows), pairs.select(held_out_rows)


@dataclass(frozen=True)
class FitReport:
    """What fitting a split to max_length did: pairs in, pairs with a cut program, pairs left out."""

    pairs: int
    truncated: int
    dropped: int

    @property
    def kept(self) -> int:
        return self.pairs - self.dropped


def fit_pairs(
    pairs: Dataset, tokenizer: PreTrainedTokenizerBase, max_length: int, policy: str, name: str = "train"
) -> tuple[Dataset, FitReport]:
    """Token ids (`chosen_ids`, `rejected_ids`) of every pair that fits in `max_length` tokens.

    TRL silently drops pairs longer than its `max_length`; here they are handled first and counted. With the
    `program` policy a too-long side has the end of its code cut (`chosen`/`rejected` then hold the cut text);
    with `drop`, and for pairs whose prompt alone is too long, the pair is left out.
    """
    prompts, chosen, rejected = (list(pairs[column]) for column in TEXT_COLUMNS)
    chosen_ids = encode_sequences(tokenizer, prompts, chosen)
    rejected_ids = encode_sequences(tokenizer, prompts, rejected)
    keep: list[int] = []
    columns: dict[str, list] = {"chosen": [], "rejected": [], "chosen_ids": [], "rejected_ids": []}
    truncated = 0
    for row, prompt in enumerate(prompts):
        too_long = len(chosen_ids[row]) > max_length or len(rejected_ids[row]) > max_length
        if too_long and policy == "drop":
            continue
        fitted_chosen = fit(tokenizer, prompt, chosen[row], max_length, chosen_ids[row])
        fitted_rejected = fit(tokenizer, prompt, rejected[row], max_length, rejected_ids[row])
        if fitted_chosen is None or fitted_rejected is None:
            continue
        truncated += too_long
        keep.append(row)
        columns["chosen"].append(fitted_chosen.response)
        columns["rejected"].append(fitted_rejected.response)
        columns["chosen_ids"].append(fitted_chosen.ids)
        columns["rejected_ids"].append(fitted_rejected.ids)
    report = FitReport(pairs=len(pairs), truncated=truncated, dropped=len(pairs) - len(keep))
    if report.truncated or report.dropped:
        log.warning(
            "%s: %d of %d pairs longer than %d tokens had their program cut; %d left out",
            name,
            report.truncated,
            report.pairs,
            max_length,
            report.dropped,
        )
    fitted = pairs.select(keep).remove_columns(["chosen", "rejected"])
    for column, values in columns.items():
        fitted = fitted.add_column(column, values)
    return fitted, report
