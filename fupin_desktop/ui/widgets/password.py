"""The password rule, stated where a new password is typed — before a first failed try, not only after it."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit

from fupin_desktop.services.access import MIN_PASSWORD


def password_rule() -> str:
    """至少6位 (the rule services.access.validate_password applies)."""
    return QCoreApplication.translate("PasswordRule", "At least {n} characters").format(n=MIN_PASSWORD)


def state_password_rule(*edits: QLineEdit) -> None:
    """Show the rule in each (empty) new-password field and in its tooltip."""
    for edit in edits:
        edit.setPlaceholderText(password_rule())
        edit.setToolTip(password_rule())
