"""Token ids of (prompt, response) texts, shared by training and scoring so both see the same sequences.

A sequence is the tokenizer's encoding of `rm_format.sequence_text(prompt, response)`: with a chat template,
the rendered conversation as it is (the template brings its own special tokens); without one, `prompt +
response` with the tokenizer's special tokens (e.g. BERT's [CLS]/[SEP]), followed by EOS when the tokenizer
has one distinct from its pad token. A sequence longer than
`max_length` has its program cut: the prompt, the response's text before the code fence and the closing
fence stay, the end of the code goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from acecoder.core import rm_format

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

FENCE = "```"


def ensure_pad_token(tokenizer: PreTrainedTokenizerBase) -> None:
    """Decoder tokenizers often have no pad token; EOS (or UNK) stands in, as TRL does."""
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token if tokenizer.eos_token is not None else tokenizer.unk_token
    if tokenizer.pad_token is None:
        raise ValueError(f"{type(tokenizer).__name__} has no pad, eos or unk token to pad with")


def _appends_eos(tokenizer: PreTrainedTokenizerBase) -> bool:
    # When EOS doubles as the pad token, the model's pooling ("rightmost non-pad token") would skip a trailing
    # EOS during training; leaving it out keeps the scored position the last real token in every case.
    return tokenizer.eos_token_id is not None and tokenizer.eos_token_id != tokenizer.pad_token_id


def encode_many(tokenizer: PreTrainedTokenizerBase, texts: list[str]) -> list[list[int]]:
    """Token ids of each text (one batched call to the tokenizer), EOS appended as described above."""
    if not texts:
        return []
    # verbose=False: texts longer than the model's limit are expected here; they are cut afterwards.
    encoded = tokenizer(texts, add_special_tokens=True, verbose=False)["input_ids"]
    if not _appends_eos(tokenizer):
        return [list(ids) for ids in encoded]
    eos = tokenizer.eos_token_id
    return [list(ids) if ids and ids[-1] == eos else [*ids, eos] for ids in encoded]


def encode_sequences(
    tokenizer: PreTrainedTokenizerBase, prompts: list[str], responses: list[str]
) -> list[list[int]]:
    """Token ids of each (prompt, response) as a reward model reads it: the one encoding training, scoring
    and reranking share."""
    texts = [rm_format.sequence_text(tokenizer, p, r) for p, r in zip(prompts, responses, strict=True)]
    if not rm_format.uses_chat_template(tokenizer):
        return encode_many(tokenizer, texts)
    if not texts:
        return []
    encoded = tokenizer(texts, add_special_tokens=False, verbose=False)["input_ids"]
    return [list(ids) for ids in encoded]


def split_response(response: str) -> tuple[str, str, str]:
    """(text up to and including the opening fence line, code, closing fence and after).

    A response without a fenced block is all code: its end is what a cut removes.
    """
    opening = response.find(FENCE)
    closing = response.rfind("\n" + FENCE)
    code_start = response.find("\n", opening) + 1 if opening >= 0 else 0
    if opening < 0 or code_start == 0 or closing < code_start:
        return "", response, ""
    return response[:code_start], response[code_start:closing], response[closing:]


@dataclass(frozen=True)
class Fitted:
    """A sequence that fits max_length: its ids, the response text they encode, and whether code was cut."""

    ids: list[int]
    response: str
    truncated: bool


def fit(
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    response: str,
    max_length: int,
    ids: list[int] | None = None,
) -> Fitted | None:
    """The sequence of `prompt + response`, with as much of the program as fits in `max_length` tokens.

    None when even an empty program does not fit (the prompt alone is too long). `ids` are the already
    computed ids of the whole text, when the caller has them.
    """
    if ids is None:
        ids = encode_sequences(tokenizer, [prompt], [response])[0]
    if len(ids) <= max_length:
        return Fitted(ids, response, False)
    head, code, tail = split_response(response)

    def encoded(kept_chars: int) -> list[int]:
        return encode_sequences(tokenizer, [prompt], [head + code[:kept_chars] + tail])[0]

    # Binary search on how many characters of code to keep, holding the invariant that `kept` fits and
    # `too_many` does not, so the result always fits even where tokenization is not monotonic at the cut.
    kept, too_many = 0, len(code)
    kept_ids = encoded(0)
    if len(kept_ids) > max_length:
        return None
    while too_many - kept > 1:
        middle = (kept + too_many) // 2
        middle_ids = encoded(middle)
        if len(middle_ids) <= max_length:
            kept, kept_ids = middle, middle_ids
        else:
            too_many = middle
    return Fitted(kept_ids, head + code[:kept] + tail, True)
