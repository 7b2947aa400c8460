"""The one loader of SQL text: schema migrations and named queries live as `.sql` files under `sql/`."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

SQL_DIR = Path(os.environ.get("ACECODER_SQL_DIR", Path(__file__).resolve().parents[2] / "sql"))
_MIGRATION = re.compile(r"^(\d{4})_(\w+)\.sql$")


@cache
def query(name: str) -> str:
    """The text of `sql/queries/<name>.sql`. Parameters in it are bound (`$name`), never formatted in."""
    path = SQL_DIR / "queries" / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"no query named {name!r} (looked for {path})")
    return path.read_text()


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, text) of every `sql/schema/NNNN_name.sql`, in order."""
    found = []
    for path in sorted((SQL_DIR / "schema").glob("*.sql")):
        m = _MIGRATION.match(path.name)
        if m:
            found.append((int(m.group(1)), m.group(2), path.read_text()))
    return found
