"""Laptops for 同步包 tests: a data folder with its own database (copied from the session's template schema)."""
from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select

from fupin_desktop.exchange.sync_package import read_sync_package, write_sync_package
from fupin_desktop.services import Services
from fupin_desktop.services.demo import generate_demo
from fupin_desktop.storage.db import Actor, Database


class Laptop:
    def __init__(self, folder: Path, template_db: Path, user: str = "张书记", db: Database | None = None):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        if db is None:
            path = folder / "fupin.sqlite3"
            shutil.copyfile(template_db, path)
            db = Database(f"sqlite:///{path}")
        self.db = db
        self.services = Services(db, actor=Actor(None, user, "admin"), data_dir=folder)
        self.packs = 0

    def demo(self, households: int, seed: int = 1, village: str | None = None, division: str | None = None):
        return generate_demo(self.db, households, seed=seed, year=2024, village=village, division=division)

    def pack(self, out: Path | None = None) -> Path:
        self.packs += 1
        out = out or self.folder / f"pack{self.packs}.fupin"
        return write_sync_package(self.services.sync.pack_state(), out).path

    def merge(self, *files: Path, check: bool = False):
        return self.services.sync.merge([read_sync_package(f) for f in files], check=check).value

    def edit(self, model, row_id: str, **values) -> None:
        """An edit through the one write path (the unit of work and its hook), as every service makes it."""
        with self.db.unit_of_work(self.services.ctx.actor) as s:
            row = s.get(model, row_id)
            for k, v in values.items():
                setattr(row, k, v)

    def get(self, model, row_id: str):
        """The record's column values (a plain namespace, usable after the session closed)."""
        from types import SimpleNamespace

        with self.db.read() as s:
            row = s.get(model, row_id)
            return SimpleNamespace(**{c.key: getattr(row, c.key) for c in model.__mapper__.column_attrs})

    def first_id(self, model) -> str:
        with self.db.read() as s:
            return s.execute(select(model.id).order_by(model.id).limit(1)).scalar()

    def count(self, model, live: bool = True) -> int:
        from sqlalchemy import func

        with self.db.read() as s:
            stmt = select(func.count()).select_from(model)
            if live:
                stmt = stmt.where(model.deleted_at.is_(None))
            return s.execute(stmt).scalar()

    def close(self) -> None:
        self.db.dispose()
