"""A township database for tests: two demo villages, each made on its own laptop, merged from their 同步包.

The laptops stay open beside the township, so a test can compare what the township shows for one village with what
that village's own database shows. Every database answers with the same fixed 'today'.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from fupin_desktop.services import Services
from fupin_desktop.storage.db import Actor
from fupin_desktop.storage.models import Village

from tests.sync_helpers import Laptop

TODAY = date(2024, 11, 28)  # late in the demo year: this month's attendance and the year's figures are there
VILLAGES = (("东兴村", "130204203213", 6), ("西山村", "130204203214", 4))


@dataclass
class Township:
    town: Laptop
    laptops: dict[str, Laptop]  # village name → its own laptop
    ids: dict[str, str]  # village name → village id

    @property
    def services(self) -> Services:
        return self.town.services

    def close(self) -> None:
        for laptop in (self.town, *self.laptops.values()):
            laptop.close()


def _dated(laptop: Laptop, user: str) -> Laptop:
    laptop.services = Services(laptop.db, actor=Actor(None, user, "admin"), data_dir=laptop.folder,
                               today=lambda: TODAY)
    return laptop


def make_township(tmp_path: Path, template_db: Path) -> Township:
    laptops, packs = {}, []
    for i, (name, code, n) in enumerate(VILLAGES):
        laptop = _dated(Laptop(tmp_path / name, template_db), "张书记")
        laptop.demo(n, seed=40 + i, village=name, division=code)
        packs.append(laptop.pack())
        laptops[name] = laptop
    town = _dated(Laptop(tmp_path / "乡镇", template_db, "乡镇干部"), "乡镇干部")
    town.merge(*packs)
    with town.db.read() as s:
        ids = {name: vid for vid, name in s.execute(select(Village.id, Village.name))}
    return Township(town, laptops, ids)
