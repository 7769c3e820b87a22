"""A township merges the 同步包 of its villages (SQLite, and PostgreSQL when FUPIN_TEST_POSTGRES_URL is set): every
village's 监测标准 fits (the uniqueness rules include the village), the 农户 count is the sum, merging the same
packages again changes nothing; --check reports the same and writes nothing."""
from __future__ import annotations

import pytest

from fupin_desktop.storage.models import Household, MonitoringLine, Village

from tests.sync_helpers import Laptop

VILLAGES = [("东兴村", "130204203213", 12), ("西山村", "130204203214", 9), ("南河村", "130204203215", 7)]


@pytest.fixture(scope="module")
def village_packages(tmp_path_factory, template_db):
    root = tmp_path_factory.mktemp("villages")
    packs = []
    for i, (name, code, n) in enumerate(VILLAGES):
        laptop = Laptop(root / name, template_db)
        laptop.demo(n, seed=10 + i, village=name, division=code)
        packs.append(laptop.pack())
        laptop.close()
    return packs


def test_villages_merge_into_one_township(services, village_packages, db):
    from fupin_desktop.exchange.sync_package import read_sync_package

    packages = [read_sync_package(p) for p in village_packages]
    checked = services.sync.merge(packages, check=True).value
    assert checked.checked_only and checked.totals()[0] > 0
    with db.read() as s:
        assert s.query(Household).count() == 0  # --check wrote nothing

    report = services.sync.merge(packages).value
    assert report.totals() == checked.totals()  # the check reports what the merge does
    assert report.totals()[1:] == (0, 0, 0)
    with db.read() as s:
        assert s.query(Household).count() == sum(n for _, _, n in VILLAGES)
        assert sorted(v.name for v in s.query(Village)) == sorted(name for name, _, _ in VILLAGES)
        lines = s.query(MonitoringLine).all()
        assert len(lines) == 2 * len(VILLAGES) and len({(m.village_id, m.year, m.area) for m in lines}) == len(lines)
        per_village = {v.id: s.query(Household).filter(Household.village_id == v.id).count() for v in s.query(Village)}
    assert sorted(per_village.values()) == sorted(n for _, _, n in VILLAGES)
    if db.path is not None:
        assert report.backup is not None and report.backup.exists()

    again = services.sync.merge([read_sync_package(p) for p in village_packages]).value
    new, updated, same, conflicts = again.totals()
    assert (new, updated, conflicts) == (0, 0, 0) and same == report.totals()[0]
    with db.read() as s:
        assert s.query(Household).count() == sum(n for _, _, n in VILLAGES)


def test_a_viewer_cannot_merge(services, village_packages):
    from fupin_desktop.domain.errors import PermissionDeniedError
    from fupin_desktop.exchange.sync_package import read_sync_package
    from fupin_desktop.storage.db import Actor

    services.set_actor(Actor(None, "查看员", "viewer"))
    with pytest.raises(PermissionDeniedError):
        services.sync.merge([read_sync_package(village_packages[0])])
