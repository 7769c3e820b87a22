"""`fupin-desktop report summary … --out FILE.docx|.pdf` (issue 17): the suffix chooses Word or PDF, another suffix is
refused in Chinese; --as-of and --drafter; the sections she saved in the program are in the file."""
from __future__ import annotations

import shutil
import subprocess
import sys
import types
from datetime import date
from pathlib import Path

import pytest

from fupin_desktop import cli, paths
from fupin_desktop.domain.dates import format_cn_date

docx = pytest.importorskip("docx")


@pytest.fixture(autouse=True)
def no_gui(monkeypatch):
    monkeypatch.setitem(sys.modules, "fupin_desktop.app",
                        types.SimpleNamespace(main=lambda args: pytest.fail(f"the GUI was started with {args!r}")))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A demo village made by the command line, with her sections for 2024年上半年 saved in the program."""
    from fupin_desktop.services import Services
    from fupin_desktop.services.auth import AccessManager
    from fupin_desktop.services.reporting import Period
    from fupin_desktop.services.summary_sections import SummarySections

    folder = tmp_path_factory.mktemp("cli_summary") / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FUPIN_USER", "tester")
        mp.setenv("FUPIN_PASSWORD", "tester-123")
        mp.delenv("FUPIN_DATABASE_URL", raising=False)
        try:
            assert cli.main(["--data-dir", str(folder), "demo", "--households", "6", "--year", "2024"]) == 0
        finally:
            paths.set_data_dir(None)
    store = AccessManager(folder).login("tester", "tester-123")
    try:
        Services(store.db, actor=store.actor).summary_sections.save(Period.half(2024, 1), SummarySections(
            problems="（一）村集体经济收入来源单一。", plans="（一）谋划扫帚加工项目，带动群众就业。"))
    finally:
        store.db.dispose()
    return folder


def run(folder: Path, *args: str) -> int:
    return cli.main(["--data-dir", str(folder), "report", "summary", "--year", "2024", *args])


def test_the_suffix_chooses_word_or_pdf(folder, tmp_path, capsys):
    out = tmp_path / "总结.docx"
    assert run(folder, "--half", "1", "--as-of", "2024-05-31", "--out", str(out)) == 0
    assert f"已生成：{out}" in capsys.readouterr().out
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[0].endswith("工作队2024年上半年工作总结")
    assert "截至2024年5月31日" in texts[1]
    i = texts.index("七、存在的问题和困难")
    assert texts[i + 1:i + 4] == ["（一）村集体经济收入来源单一。", "八、下一步工作打算", "（一）谋划扫帚加工项目，带动群众就业。"]
    appendix = texts.index("附表：主要工作数据")
    assert texts[appendix - 2].endswith("工作队") and texts[appendix - 1] == format_cn_date(date.today())  # 落款

    pdf = tmp_path / "总结.pdf"
    assert run(folder, "--half", "1", "--drafter", "bureau", "--no-appendix", "--out", str(pdf)) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        printed = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        assert "2024年上半年帮扶工作总结" in printed and "附表" not in printed


def test_another_suffix_or_option_is_refused_in_chinese(folder, tmp_path, capsys):
    assert run(folder, "--out", str(tmp_path / "总结.txt")) == 2
    assert "工作总结只能保存为 Word 文档（.docx）或 PDF（.pdf）：总结.txt" in capsys.readouterr().err
    assert not (tmp_path / "总结.txt").exists()
    assert run(folder, "--half", "1", "--as-of", "2024-07-01", "--out", str(tmp_path / "s.docx")) == 2
    assert "截至日期应在2024年上半年之内" in capsys.readouterr().err
    assert run(folder, "--as-of", "31.5.2024", "--out", str(tmp_path / "s.docx")) == 2
    assert "日期格式不对" in capsys.readouterr().err
    assert cli.main(["--data-dir", str(folder), "report", "visits", "--year", "2024", "--as-of", "2024-05-31",
                     "--out", str(tmp_path / "v.pdf")]) == 2
    assert "截至日期和起草单位只用于工作总结" in capsys.readouterr().err
