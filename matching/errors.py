"""Errors of the matching package."""

from __future__ import annotations

from pathlib import Path


class LexiconError(Exception):
    """Root error of the package: the lexicon cannot be loaded or is malformed.

    The message is Russian and names the file and, where known, the line.
    """

    def __init__(self, message: str, path: Path | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}"
            if line is not None:
                where += f", строка {line}"
            where += ": "
        super().__init__(where + message)
