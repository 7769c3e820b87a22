"""A hypothesis state machine (add, edit, delete, backup, restore) keeps the database equal to a model."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import settings, strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule

from fupin_desktop.services import Services
from fupin_desktop.services.households import HouseholdInput, HouseholdQuery
from fupin_desktop.services.village import CadreInput, VillageInput
from fupin_desktop.storage.db import Actor
from fupin_desktop.storage.migrate import open_database

names = st.sampled_from(["张三", "李四", "王秀英", "赵六", "孙七", "周八"])
groups = st.sampled_from(["第1组", "第2组", "第3组"])


class BackupMachine(RuleBasedStateMachine):
    households = Bundle("households")
    backups = Bundle("backups")

    @initialize()
    def start(self):
        self.tmp = tempfile.TemporaryDirectory()
        folder = Path(self.tmp.name)
        self.db = open_database(f"sqlite:///{folder / 'fupin.sqlite3'}")
        self.svc = Services(self.db, actor=Actor(name="管理员", role="admin"), data_dir=folder)
        self.svc.village.set_up(VillageInput(name="东兴村", division_code="130204203213"),
                                [CadreInput(name="张书记", role="secretary")])
        self.model: dict[str, tuple[str, str]] = {}
        self.snapshots: dict[str, dict] = {}

    def teardown(self):
        self.db.dispose()
        self.tmp.cleanup()

    @rule(target=households, name=names, group=groups)
    def add(self, name, group):
        h = self.svc.households.create(HouseholdInput(head_name=name, group_name=group)).value
        self.model[h.id] = (name, group)
        return h.id

    @rule(hid=households, group=groups)
    def edit(self, hid, group):
        if hid in self.model:
            name = self.model[hid][0]
            self.svc.households.update(hid, HouseholdInput(head_name=name, group_name=group))
            self.model[hid] = (name, group)

    @rule(hid=households)
    def delete(self, hid):
        if hid in self.model:
            self.svc.households.delete(hid)
            del self.model[hid]

    @rule(target=backups)
    def backup(self):
        info = self.svc.backups.backup_now("manual")
        self.snapshots[str(info.path)] = dict(self.model)
        return str(info.path)

    @rule(path=backups)
    def restore(self, path):
        if not Path(path).exists():  # thinned away (only when many are taken)
            return
        before = self.svc.backups.restore(Path(path))
        self.snapshots[str(before.path)] = dict(self.model)
        self.model = dict(self.snapshots[path])

    @invariant()
    def database_equals_model(self):
        if not hasattr(self, "svc"):
            return
        rows = self.svc.households.page(HouseholdQuery(), 0, 1000)
        assert {r.id: (r.head_name, r.group_name) for r in rows} == self.model


BackupMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=12, deadline=None)
TestBackupMachine = BackupMachine.TestCase
