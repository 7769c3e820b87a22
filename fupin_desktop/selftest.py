"""``fupin-desktop --selftest``: what a support person runs on a new laptop.

Opens an (encrypted) database in a temporary folder, writes and reads a record, builds a small PDF and xlsx,
loads the bundled font and the Chinese translation, and exits 0 when everything works. Each step prints one line.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Callable

STEPS: list[tuple[str, Callable[[Path], str]]] = []


def step(title: str):
    def register(fn):
        STEPS.append((title, fn))
        return fn
    return register


@step("数据库（加密）写入和读取")
def _database(folder: Path) -> str:
    from fupin_desktop.services import Services
    from fupin_desktop.services.auth import AccessManager
    from fupin_desktop.services.households import HouseholdInput
    from fupin_desktop.services.village import CadreInput, VillageInput

    store = AccessManager(folder).create_admin("selftest", "自检", "selftest-123")
    svc = Services(store.db, actor=store.actor, data_dir=folder)
    svc.village.set_up(VillageInput(name="自检村", division_code="130204203213"),
                       [CadreInput(name="自检", role="secretary")])
    hid = svc.households.create(HouseholdInput(head_name="张三")).value.id
    name = svc.households.get(hid).head_name
    store.db.dispose()
    if name != "张三":
        raise RuntimeError(f"读回的数据不对：{name}")
    import sqlcipher3

    return f"SQLCipher {sqlcipher3.sqlite_version}"


@step("生成 PDF（内嵌中文字体）")
def _pdf(folder: Path) -> str:
    from fupin_desktop.reports.common import Column, PageInfo, write_ledger

    path = folder / "自检.pdf"
    write_ledger(path, PageInfo(title="自检台账", unit="自检村"), [Column("姓名", 2), Column("金额（元）", 1, "RIGHT")],
                 [["张三", "1,234.50"], ["李四", "88.00"]])
    data = path.read_bytes()
    if not data.startswith(b"%PDF") or b"WenQuanYi" not in data:
        raise RuntimeError("PDF 没有内嵌中文字体")
    return f"{len(data) // 1024} KB"


@step("生成 Excel 文件")
def _xlsx(folder: Path) -> str:
    from openpyxl import Workbook, load_workbook

    path = folder / "自检.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("农户花名册")
    ws.append(["户编号", "户主"])
    ws.append(["1302042032130001", "张三"])
    wb.save(path)
    rows = list(load_workbook(path, read_only=True)["农户花名册"].values)
    if rows[1] != ("1302042032130001", "张三"):
        raise RuntimeError(f"读回的内容不对：{rows}")
    return "ok"


@step("字体和中文翻译")
def _qt(folder: Path) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from fupin_desktop.app import create_app, load_font

    app = QApplication.instance() or create_app([], language="zh_CN")
    if not load_font(app):
        raise RuntimeError("没有找到内置字体 resources/fonts/wqy-microhei.ttc")
    text = QCoreApplication.translate("LoginDialog", "Sign in")
    if text != "登录":
        raise RuntimeError(f"中文翻译没有加载（得到 {text!r}）")
    return app.font().family()


def run(out=None) -> int:
    from fupin_desktop import __version__, paths

    if out is None:
        if sys.stdout is not None:
            out = sys.stdout
        else:  # a windowed Windows bundle has no console: write the report beside the data
            paths.data_dir().mkdir(parents=True, exist_ok=True)
            out = open(paths.data_dir() / "selftest.txt", "w", encoding="utf-8")  # noqa: SIM115

    print(f"驻村帮扶工作台 {__version__} 自检", file=out)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="fupin-selftest-") as tmp:
        for title, fn in STEPS:
            start = time.perf_counter()
            try:
                detail = fn(Path(tmp))
                print(f"  [通过] {title}（{detail}，{time.perf_counter() - start:.2f} 秒）", file=out)
            except Exception as exc:  # noqa: BLE001 — every failure is reported, then the next step runs
                failures += 1
                print(f"  [失败] {title}：{exc}", file=out)
                traceback.print_exc(file=sys.stderr)
    print("自检通过" if not failures else f"自检失败：{failures} 项", file=out)
    return 0 if not failures else 1
