"""The error bad input raises: it names the file, the row (or line) and the field."""

from __future__ import annotations


class IngestError(ValueError):
    """`file`, then `row` ("line 12", "row 3") and `field` when known, then what is wrong."""

    def __init__(self, file: str, message: str, *, row: str | int | None = None, field: str | None = None):
        self.file, self.row, self.field = file, row, field
        where = file
        if row is not None:
            where += f", {row if isinstance(row, str) else f'row {row}'}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")

    @classmethod
    def at(cls, row_ref: str, message: str, field: str | None = None) -> IngestError:
        """An error at a stored `row_ref` ("path:line 12", "path:row 3" or a bare id)."""
        file, sep, row = row_ref.rpartition(":")
        return cls(file, message, row=row, field=field) if sep else cls(row_ref, message, field=field)
