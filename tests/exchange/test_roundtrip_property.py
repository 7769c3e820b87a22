"""Round trip (hypothesis): full export → merge into an empty database → full export gives the same data.

The two exports are compared by their SHA-256 over every data cell (and header), i.e. cell for cell.
"""
from __future__ import annotations

import itertools
import shutil
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fupin_desktop.domain import codes
from fupin_desktop.exchange.ledgers import SHEETS
from fupin_desktop.exchange.merge import apply_merge, plan_merge
from fupin_desktop.exchange.package import export_package, read_package
from fupin_desktop.services import Services
from fupin_desktop.storage.bulk import bulk_insert
from fupin_desktop.storage.db import Actor, Database
from fupin_desktop.storage.models import (
    Cadre, Donation, Donor, FundingLine, Household, HouseholdIncome, Member, Project, Village, Visit, VisitCadre,
)

TABLES = ("village", "cadre", "household", "member", "household_income", "visit", "visit_cadre", "project",
          "funding_line", "donor", "donation")
ROUND_TRIP_SHEETS = tuple(s for s in SHEETS if s.table in TABLES)

# Text people type: Chinese, full-width digits, spaces at the ends, formula-like and masked-looking text, newlines.
ALPHABET = "王李张秀英村组号 　０１２３abcXYZ019=*-，。（）\n\t&<>\"'"
text = st.text(ALPHABET, min_size=1, max_size=12)
opt_text = st.none() | text
money = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2, allow_nan=False)
day = st.dates(date(1950, 1, 1), date(2030, 12, 31))
stamp = st.datetimes(datetime(2020, 1, 1), datetime(2026, 1, 1))
tomb = st.none() | stamp


def code(list_name):
    return st.sampled_from(codes.get(list_name).codes())


@st.composite
def databases(draw):
    village_id = str(uuid.uuid4())
    rows = {t: [] for t in TABLES}

    def base():
        created = draw(stamp)
        return {"id": str(uuid.uuid4()), "created_at": created,
                "updated_at": created + timedelta(microseconds=draw(st.integers(0, 10**9))),
                "deleted_at": draw(tomb)}

    rows["village"].append({**base(), "deleted_at": None, "id": village_id, "name": draw(text),
                            "division_code": "130204203213", "division_year": draw(st.none() | st.integers(2000, 2030)),
                            "note": draw(opt_text)})
    cadres = []
    for _ in range(draw(st.integers(1, 3))):
        c = {**base(), "village_id": village_id, "name": draw(text), "phone": draw(st.none() | st.from_regex(r"1[3-9]\d{9}", fullmatch=True)),
             "role": draw(code("cadre_role")), "in_team": draw(st.booleans()), "start_date": draw(st.none() | day)}
        cadres.append(c["id"])
        rows["cadre"].append(c)
    households = []
    for n in range(draw(st.integers(0, 6))):
        h = {**base(), "village_id": village_id, "number": f"13020420321300{n:04d}{draw(st.integers(0, 99)):02d}",
             "head_name": draw(text), "name_pinyin": draw(st.text("abcxyz", max_size=8)), "name_initials": "",
             "head_id_number": draw(st.none() | st.from_regex(r"\d{17}[\dX]", fullmatch=True)),
             "household_type": draw(code("household_type")),
             "monitoring_category": draw(st.none() | code("monitoring_category")),
             "risk_types": ",".join(draw(st.lists(code("risk_type"), max_size=3, unique=True))),
             "poverty_causes": "", "is_martyr_family": draw(st.booleans()),
             "farmland_mu": draw(st.none() | money.map(lambda d: d % Decimal("10000"))),
             "identified_on": draw(st.none() | day), "member_count": draw(st.integers(0, 9)), "note": draw(opt_text)}
        households.append(h["id"])
        rows["household"].append(h)
        for k in range(draw(st.integers(0, 3))):
            rows["member"].append({
                **base(), "household_id": h["id"], "name": draw(text), "name_pinyin": "", "name_initials": "",
                "relation": draw(code("relation")), "sex": draw(st.none() | code("sex")),
                "birth_date": draw(st.none() | day), "id_number": draw(st.none() | st.from_regex(r"\d{17}[\dX]", fullmatch=True)),
                "health": ",".join(draw(st.lists(code("health"), max_size=2, unique=True))) or None,
                "work_months": draw(st.none() | st.integers(0, 12)), "dibao": draw(st.booleans()),
                "resident_medical": draw(st.none() | st.booleans()), "sort_order": k, "phone": draw(st.none() | st.just("13812345678"))})
        if draw(st.booleans()):
            rows["household_income"].append({**base(), "household_id": h["id"], "year": draw(st.integers(2015, 2030)),
                                             "wages": draw(money), "transfer": draw(money), "size": draw(st.none() | st.integers(1, 9))})
    for _ in range(draw(st.integers(0, 4)) if households else 0):
        v = {**base(), "household_id": draw(st.sampled_from(households)), "visit_date": draw(day),
             "method": draw(code("visit_method")), "present": draw(st.booleans()), "findings": draw(opt_text)}
        rows["visit"].append(v)
        for cid in draw(st.lists(st.sampled_from(cadres), max_size=2, unique=True)):
            rows["visit_cadre"].append({**base(), "visit_id": v["id"], "cadre_id": cid})
    for _ in range(draw(st.integers(0, 2))):
        p = {**base(), "name": draw(text), "year": draw(st.none() | st.integers(2018, 2030)),
             "total_investment": draw(money), "status": draw(code("project_status")), "progress_percent": draw(st.integers(0, 100))}
        rows["project"].append(p)
        for _ in range(draw(st.integers(0, 2))):
            rows["funding_line"].append({**base(), "project_id": p["id"], "source": draw(code("funding_source")),
                                         "planned_amount": draw(money), "received_amount": draw(money)})
    if draw(st.booleans()):
        d = {**base(), "name": draw(text), "kind": draw(code("donor_kind"))}
        rows["donor"].append(d)
        rows["donation"].append({**base(), "donor_id": d["id"], "received_on": draw(day), "kind": draw(code("donation_kind")),
                                 "amount": draw(money), "is_condolence": draw(st.booleans()), "note": draw(opt_text)})
    return rows


MODELS = {"village": Village, "cadre": Cadre, "household": Household, "member": Member,
          "household_income": HouseholdIncome, "visit": Visit, "visit_cadre": VisitCadre, "project": Project,
          "funding_line": FundingLine, "donor": Donor, "donation": Donation}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=databases())
def test_full_export_import_export_is_identical(data, tmp_path_factory, template_db):
    root = tmp_path_factory.mktemp("rt")
    services = []
    for name in ("src", "dst"):
        folder = root / name
        folder.mkdir()
        shutil.copyfile(template_db, folder / "f.sqlite3")
        services.append(Services(Database(f"sqlite:///{folder / 'f.sqlite3'}"), actor=Actor(None, name, "admin"),
                                 data_dir=folder))
    src, dst = services
    try:
        with src.db.engine.begin() as conn:
            for table in TABLES:
                if data[table]:
                    bulk_insert(conn, MODELS[table], data[table])
        first = export_package(src, root / "a.xlsx", full=True, sheets=ROUND_TRIP_SHEETS)
        plan = plan_merge(dst, [read_package(first.path)])
        assert not plan.conflicts and not plan.warnings, plan.warnings
        apply_merge(dst, plan)
        second = export_package(dst, root / "b.xlsx", full=True, sheets=ROUND_TRIP_SHEETS)
        assert second.counts == first.counts
        if second.checksum != first.checksum:  # say which cell differs
            a, b = read_package(first.path, verify=False), read_package(second.path, verify=False)
            for table in TABLES:
                for ra, rb in itertools.zip_longest(a.sheets[table].rows, b.sheets[table].rows):
                    assert ra == rb, table
            raise AssertionError("checksums differ but the rows are equal")
    finally:
        for s in services:
            s.db.dispose()
        shutil.rmtree(root, ignore_errors=True)
