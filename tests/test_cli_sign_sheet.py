"""CLI `report sign_sheet`: without --batch the period's 发放批次 are listed; --batch N prints that batch's sheet."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import types

import pytest

from fupin_desktop import cli


@pytest.fixture(autouse=True)
def no_gui(monkeypatch):
    monkeypatch.setitem(sys.modules, "fupin_desktop.app",
                        types.SimpleNamespace(main=lambda args: pytest.fail(f"the GUI was started with {args!r}")))


def test_report_sign_sheet_by_batch(tmp_path, capsys):
    folder = tmp_path / "data"
    run = lambda *a: cli.main(["--data-dir", str(folder), *a])  # noqa: E731
    assert run("demo", "--households", "8", "--year", "2023") == 0
    capsys.readouterr()
    out = tmp_path / "s.pdf"
    assert run("report", "sign_sheet", "--year", "2023", "--out", str(out)) == 2
    err = capsys.readouterr().err
    listed = re.findall(r"^\s+(\d+)\. (\S+)　(\S+)　(\S+)（", err, re.M)
    assert len(listed) >= 2 and not out.exists(), err
    number, _dates, _donor, what = listed[1]
    assert run("report", "sign_sheet", "--year", "2023", "--batch", number, "--out", str(out)) == 0
    assert out.exists()
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        assert f"{what}发放签收表" in text
    assert run("report", "visits", "--year", "2023", "--batch", "1", "--out", str(tmp_path / "v.pdf")) == 2
    assert "--batch" in capsys.readouterr().err
