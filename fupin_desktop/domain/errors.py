"""Typed errors of the application; every message is Chinese and meant for the user.

The constructors keep their arguments in ``self.args`` so the errors survive pickling (a process pool or a
background thread may hand them back), and ``str()`` always gives the user-facing message.
"""

from __future__ import annotations

from typing import Any


class FupinError(Exception):
    """Base of all errors the program reports to the user."""

    def __init__(self, message: str, *args: Any) -> None:
        super().__init__(message, *args)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(FupinError):
    """A value the user typed or imported is not acceptable; ``field`` names the input to highlight."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.args = (field, message)
        self.field = field


class ImportRowError(FupinError):
    """A cell of an imported spreadsheet is wrong; carries its place so the user can find it."""

    def __init__(self, sheet: str, row: int, column: str, message: str) -> None:
        super().__init__(f"工作表“{sheet}”第{row}行“{column}”列：{message}")
        self.args = (sheet, row, column, message)
        self.sheet = sheet
        self.row = row
        self.column = column
        self.detail = message


class NotFoundError(FupinError):
    """A record asked for does not exist (or was deleted)."""

    def __init__(self, what: str, ident: Any) -> None:
        super().__init__(f"找不到{what}：{ident}")
        self.args = (what, ident)
        self.what = what
        self.ident = ident


class PermissionDeniedError(FupinError):
    """The signed-in user's role does not allow the action."""


class ConflictError(FupinError):
    """The action clashes with existing data (duplicate number, record changed meanwhile …)."""


class PeriodClosedError(FupinError):
    """A record dated inside a closed period (结账) is added, edited or deleted."""
