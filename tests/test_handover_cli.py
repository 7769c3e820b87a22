"""交接 (issue 16 part 2): ``handover`` on a 300-household demo village writes a 交接清单 whose counts equal the
database's and a package that opens on an empty folder with the printed 交接码 and nothing else; the successor's
administrator sees every household, the old team's users arrive inactive; the old folder refuses writes."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fupin_desktop.domain.errors import PermissionDeniedError
from fupin_desktop.services import Services
from fupin_desktop.services.auth import AccessManager
from fupin_desktop.services.demo import generate_demo
from fupin_desktop.services.handover import FINISHED_PROJECTS, REASSIGN_NOTE
from fupin_desktop.services.problems import ProblemInput
from fupin_desktop.storage.models import (
    Cadre, Distribution, DonationItem, Donation, Household, Pairing, Problem, Project, User,
)

PW = "Handover-pass-1"
NEW_PW = "Successor-pass-2"
CODE = re.compile(r"[A-Z2-9]{4}(?:-[A-Z2-9]{4}){4}")


def _cli(data: Path, *args: str, user: str, password: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, FUPIN_USER=user, FUPIN_PASSWORD=password, PYTHONPATH=os.getcwd(),
               QT_QPA_PLATFORM="offscreen")
    env.pop("FUPIN_DATA_DIR", None)
    return subprocess.run([sys.executable, "-m", "fupin_desktop", "--data-dir", str(data), *args],
                          capture_output=True, text=True, env=env, timeout=300, stdin=subprocess.DEVNULL)


def _count(s, stmt) -> int:
    return s.execute(stmt).scalar_one()


def _section_count(text: str, title: str) -> int:
    m = re.search(re.escape(title) + r"[^（\n]*（共 (\d+) 项）", text)
    assert m, f"section {title} not in the 交接清单"
    return int(m.group(1))


@pytest.fixture
def old_village(tmp_path):
    """An encrypted data folder: administrator 张书记, a 队员 user, 300 demo households, a team member paired."""
    a = tmp_path / "old"
    opened = AccessManager(a).create_admin("shuji", "张书记", PW)
    db = opened.db
    try:
        generate_demo(db, 300, seed=3)
        svc = Services(db, actor=opened.actor, data_dir=a)
        svc.users.create("duiyuan", "李队员", "member", PW)
        with db.read() as s:
            team_id = s.execute(select(Cadre.id).where(Cadre.in_team.is_(True), Cadre.deleted_at.is_(None))).scalars().first()
            households = s.execute(select(Household.id).where(Household.deleted_at.is_(None))
                                   .order_by(Household.number).limit(2)).scalars().all()
        for hid in households:
            svc.pairings.pair(team_id, hid)
    finally:
        db.dispose()
    return a


def test_handover_on_300_households_checklist_counts_package_opens_only_with_the_code(old_village, tmp_path):
    out = tmp_path / "usb"
    done = _cli(old_village, "handover", "--out", str(out), user="shuji", password=PW)
    assert done.returncode == 0, done.stderr
    code = CODE.search(done.stdout).group(0)
    pdf = next(out.glob("*交接清单*.pdf"))
    package = next(out.glob("*.fupin-handover"))
    assert str(pdf) in done.stdout and str(package) in done.stdout

    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert code in text  # the 交接码 is printed on the 交接清单
    for title in ("移交人", "接收人", "监交人"):
        assert title in text

    # the figures printed equal the database's
    opened = AccessManager(old_village).login("shuji", PW)
    db = opened.db
    try:
        with db.read() as s:
            problems = _count(s, select(func.count()).select_from(Problem).where(
                Problem.deleted_at.is_(None), Problem.status.in_(("pending", "in_progress"))))
            projects = _count(s, select(func.count()).select_from(Project).where(
                Project.deleted_at.is_(None), Project.status.not_in(tuple(FINISHED_PROJECTS))))
            monitored = _count(s, select(func.count()).select_from(Household).where(
                Household.deleted_at.is_(None), Household.risk_eliminated.is_(False),
                (Household.monitoring_stage.is_not(None)) | (Household.monitoring_category.is_not(None))))
            given = dict(s.execute(select(Distribution.item_id, func.sum(Distribution.quantity))
                                   .where(Distribution.deleted_at.is_(None)).group_by(Distribution.item_id)).all())
            stock: dict[str, Decimal] = {}
            for item in s.execute(select(DonationItem).join(Donation, DonationItem.donation_id == Donation.id)
                                  .where(DonationItem.deleted_at.is_(None), Donation.deleted_at.is_(None))
                                  ).scalars():
                title = f"{item.name}（{item.spec}）" if item.spec else item.name
                stock[title] = stock.get(title, Decimal(0)) + item.quantity - Decimal(given.get(item.id) or 0)
            stock = {k: q for k, q in stock.items() if q > 0}
            team_pairings = _count(s, select(func.count()).select_from(Pairing).join(Cadre).where(
                Pairing.deleted_at.is_(None), Pairing.end_date.is_(None), Cadre.in_team.is_(True)))
            households = _count(s, select(func.count()).select_from(Household).where(Household.deleted_at.is_(None)))
        assert _section_count(text, "未办结的问题") == problems > 0
        assert _section_count(text, "在建及未完成的项目") == projects > 0
        assert _section_count(text, "监测对象") == monitored > 0
        assert _section_count(text, "库存物资") == len(stock) > 0
        for title, q in stock.items():
            qty = f"{q:f}".rstrip("0").rstrip(".") if "." in f"{q:f}" else f"{q:f}"
            assert re.search(re.escape(title) + r"\s+" + re.escape(qty) + r"\s", text), title
        assert _section_count(text, "随工作队结束的结对帮扶") == team_pairings >= 2
        # a backup is taken before the handover (the old laptop keeps its last state), and the list names it
        backups = sorted((old_village / "backups").glob("*-handover.sqlite3"))
        assert len(backups) == 1
        assert re.search(r"backups\s+1\s+\d{4}\.\d{2}\.\d{2}", text) and "没有备份" not in text

        # the old folder is handed over: services refuse writes, naming the handover
        svc = Services(db, actor=opened.actor, data_dir=old_village)
        with pytest.raises(PermissionDeniedError, match="已于.*交接"):
            svc.problems.raise_problem(ProblemInput("交接后新登记的问题"))
        with pytest.raises(PermissionDeniedError, match="已于.*交接"):
            svc.demo.generate(3, replace=True)  # not emptied for demo data either
    finally:
        db.dispose()

    # a wrong code is refused and leaves the empty folder empty
    new = tmp_path / "new"
    wrong = _cli(new, "receive", str(package), "--code", "ABCD-EFGH-JKMN-PQRS-TUVW", user="xin", password=NEW_PW)
    assert wrong.returncode == 2
    assert "交接码不对" in wrong.stderr and "Traceback" not in wrong.stderr
    assert not (new / "fupin.sqlite3").exists() and not (new / "keys.json").exists()

    # the printed code (typed in lower case, without dashes) opens it: the new administrator sees everything
    received = _cli(new, "receive", str(package), "--code", code.replace("-", "").lower(), user="xin",
                    password=NEW_PW)
    assert received.returncode == 0, received.stderr
    again = _cli(new, "receive", str(package), "--code", code, user="xin", password=NEW_PW)
    assert again.returncode == 2 and "空的数据文件夹" in again.stderr

    opened = AccessManager(new).login("xin", NEW_PW)
    try:
        assert opened.user.role == "admin"
        svc = Services(opened.db, actor=opened.actor, data_dir=new)
        assert svc.households.count() == households == 300
        with opened.db.read() as s:
            users = {u.username: (u.active, u.password_hash) for u in s.execute(select(User)).scalars()}
            marked = _count(s, select(func.count()).select_from(Pairing).where(Pairing.note.contains(REASSIGN_NOTE)))
        assert {"shuji", "duiyuan", "xin"} <= set(users)
        for old in ("shuji", "duiyuan"):
            assert users[old] == (False, None)
        assert marked == team_pairings
        # the successor's folder is not handed over: it can write
        svc.problems.raise_problem(ProblemInput("新工作队登记的第一个问题"))
    finally:
        opened.db.dispose()
    with pytest.raises(Exception):
        AccessManager(new).login("shuji", PW)  # the old team's passwords do not open the successor's data
