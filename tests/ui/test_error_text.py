"""What the user reads for an error hidden in a library's exception (issue 14 item 11)."""
from __future__ import annotations


def test_a_full_disk_behind_an_lxml_error_is_named(qapp):
    from lxml.etree import SerialisationError

    from fupin_desktop.ui.messages import error_text

    assert "磁盘已满" in error_text(SerialisationError("IO_ENOSPC"))  # openpyxl's sheet writer on a full disk
    assert "磁盘已满" not in error_text(SerialisationError("something else"))
