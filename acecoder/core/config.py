"""Config fields that carry their help: each default and its help are written once, on the stage's config
dataclass, and the CLI options and flow parameters read both from there (as TRL's configs carry theirs)."""

from __future__ import annotations

import dataclasses
from typing import Any


def setting(default: Any, help: str) -> Any:
    """A dataclass field with `default` and its `help` text (read by the CLI and the docs)."""
    return dataclasses.field(default=default, metadata={"help": help})


def help_of(config_class: type, name: str) -> str:
    """The help text of `config_class`'s field `name`."""
    for f in dataclasses.fields(config_class):
        if f.name == name:
            return f.metadata.get("help", "")
    raise KeyError(f"{config_class.__name__} has no field {name!r}")


def default_of(config_class: type, name: str) -> Any:
    """The default value of `config_class`'s field `name`."""
    for f in dataclasses.fields(config_class):
        if f.name == name:
            if f.default is dataclasses.MISSING:
                raise KeyError(f"{config_class.__name__}.{name} has no plain default")
            return f.default
    raise KeyError(f"{config_class.__name__} has no field {name!r}")
