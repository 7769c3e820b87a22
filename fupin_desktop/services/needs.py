"""What an action needs (READ / WRITE / ADMIN), re-exported by ``services.base`` with the roles that may do it.

On its own so that the command line (``cli_session``, imported by every ``python -m fupin_desktop``, the window's
start included) can name the levels without importing SQLAlchemy and the models (tests/ui/test_startup_speed.py).
"""
from __future__ import annotations

READ, WRITE, ADMIN = "read", "write", "admin"
