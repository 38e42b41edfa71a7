"""Reports: reporting periods, coverage, the HTML preview, the draft and final workbooks
and the confirmation round trip (draft → person → import → final)."""

from __future__ import annotations

from typing import Any

# Plain functions other packages call; imported on first use (they pull in pandas and openpyxl).
_API = ("write_preview", "write_region_preview", "write_region_pages", "write_draft", "write_final",
        "write_region", "import_file")


class ReportError(Exception):
    """A report cannot be built or imported; the message is Russian and says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def __getattr__(name: str) -> Any:
    if name == "import_file":
        from reports.review_import import import_file

        return import_file
    if name in _API:
        from reports import api

        return getattr(api, name)
    raise AttributeError(f"module 'reports' has no attribute {name!r}")


__all__ = ["ReportError", *_API]
