"""Translations: every UI string has Chinese, and the committed .ts/.qm match the code and the catalogs."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "i18n" / "build.py"


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("i18n_build", BUILD)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(build, tmp_path_factory):
    work = tmp_path_factory.mktemp("i18n")
    result = build.generate(work)
    ts = work / build.TS_FILE.name
    ts.write_text(result.ts_text, encoding="utf-8")
    qm = work / build.QM_FILE.name
    build.release(ts, qm)
    return result, qm


def test_every_string_has_a_chinese_translation(build, generated):
    result, _ = generated
    lines = "\n".join(f"{ctx}\t{build.escape(src)}\t" for ctx, src in result.missing)
    assert not result.missing, f"add these to i18n/zh_CN/<area>.tsv and run python i18n/build.py:\n{lines}"
    assert 'type="unfinished"' not in result.ts_text
    assert not result.problems, "\n".join(result.problems)


def test_committed_ts_and_qm_are_up_to_date(build, generated):
    result, qm = generated
    assert build.TS_FILE.read_text(encoding="utf-8") == result.ts_text, "run python i18n/build.py"
    assert build.QM_FILE.read_bytes() == qm.read_bytes(), "run python i18n/build.py"
    assert build.TS_FILE.read_text(encoding="utf-8").splitlines()[2].startswith("<!-- generated")


def test_committed_qm_loads_and_translates(qapp, build):
    from PySide6.QtCore import QTranslator

    t = QTranslator()
    assert t.load(str(build.QM_FILE))
    assert t.translate("Pages", "Households") == "农户"
    assert t.translate("MainWindow", "{count} households") == "共 {count} 户"


def test_catalog_format(build, tmp_path):
    (tmp_path / "a.tsv").write_text("# comment\n*\tOK\t确定\nX\tTwo\\nlines\t两\\n行\nbad line\n", encoding="utf-8")
    (tmp_path / "b.tsv").write_text("X\tTwo\\nlines\t不同\n", encoding="utf-8")
    cat = build.read_catalogs(tmp_path)
    assert cat.lookup("Anything", "OK") == "确定"
    assert cat.lookup("X", "Two\nlines") == "两\n行"
    assert len(cat.problems) == 2  # the malformed line and the conflicting duplicate
