"""Presets: named, frozen dataclasses of training settings that a run starts from. A run's config overrides a
preset field by setting its own field of the same name (None leaves the preset's value); the reward model,
RL, SFT and the ablation all resolve their presets with these two functions."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

P = TypeVar("P")


def lookup(presets: Mapping[str, P], name: str, kind: str) -> P:
    """The preset called `name`, or a clear error listing the ones there are."""
    if name not in presets:
        raise ValueError(f"unknown {kind} preset {name!r}: use one of {', '.join(presets)}")
    return presets[name]


def resolve(preset: P, config: Any) -> P:
    """`preset` with each field that `config` sets (a field of the same name, not None) in its place."""
    overrides = {
        f.name: getattr(config, f.name)
        for f in dataclasses.fields(preset)
        if getattr(config, f.name, None) is not None
    }
    return dataclasses.replace(preset, **overrides)
