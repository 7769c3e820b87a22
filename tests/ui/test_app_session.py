"""The whole start-up: sign-in, integrity check, main window, backup and clean-exit mark at exit; a second start
is refused; a damaged file is never written to and the newest good backup is offered."""
from __future__ import annotations

from fupin_desktop import app as app_module
from fupin_desktop.services import Services
from fupin_desktop.services.auth import AccessManager
from fupin_desktop.services.households import HouseholdInput
from fupin_desktop.services.village import CadreInput, VillageInput
from fupin_desktop.settings import MachineSettings
from fupin_desktop.ui import startup
from fupin_desktop.ui.single_instance import SingleInstance


def prepared(data_dir):
    store = AccessManager(data_dir).create_admin("zhang", "张书记", "secret-123")
    svc = Services(store.db, actor=store.actor, data_dir=data_dir)
    svc.village.set_up(VillageInput(name="东兴村", division_code="130204203213"),
                       [CadreInput(name="张书记", role="secretary")])
    svc.households.create(HouseholdInput(head_name="张三"))
    store.db.dispose()


def test_start_to_main_window_and_clean_exit(qapp, data_dir, monkeypatch):
    from PySide6.QtWidgets import QApplication

    prepared(data_dir)
    monkeypatch.setenv("FUPIN_USER", "zhang")
    monkeypatch.setenv("FUPIN_PASSWORD", "secret-123")
    # A real quit() leaves the shared test QApplication unable to run later background tasks: no event loop here.
    monkeypatch.setattr(QApplication, "exec", staticmethod(lambda: 0))
    assert app_module.main([]) == 0
    mark = MachineSettings(data_dir / "settings.json").get("db.clean_exit")
    assert mark and mark == startup.file_state(data_dir / "fupin.sqlite3")
    # a clean exit lets the next start skip the scan; any change to the file makes it scan again
    store = AccessManager(data_dir).login("zhang", "secret-123")
    assert startup.integrity_findings(store.db, data_dir) == []
    store.db.dispose()


def test_second_start_is_refused(qapp, data_dir, dialogs):
    prepared(data_dir)
    running = SingleInstance(data_dir)
    assert running.acquire()
    assert startup.open_session() is None  # the first one is asked to come to the front instead
    running.release()


def test_network_folder_is_refused(qapp, data_dir, monkeypatch, dialogs):
    monkeypatch.setattr("fupin_desktop.storage.location.is_network_path", lambda p: True)
    assert startup.open_session() is None
    assert dialogs.calls and "网络" in dialogs.calls[-1][1]


def test_damaged_file_offers_the_newest_good_backup(qapp, data_dir, monkeypatch, dialogs):
    prepared(data_dir)
    store = AccessManager(data_dir).login("zhang", "secret-123")
    Services(store.db, actor=store.actor, data_dir=data_dir).backups.backup_now()
    monkeypatch.setattr("fupin_desktop.storage.integrity.quick_check",
                        lambda db: ["*** in database main *** Page 7: btree"])
    findings = startup.integrity_findings(store.db, data_dir)
    assert findings
    dialogs.confirm_answer = True
    assert startup.offer_backup(data_dir, store.db, findings)
    assert (data_dir / "fupin.sqlite3.damaged").exists()
    assert Services(store.db).households.count() == 1  # the restored file opens with the same key
    store.db.dispose()


def test_missing_data_folder_is_explained_not_recreated(qapp, data_dir, monkeypatch, dialogs, tmp_path):
    monkeypatch.setattr(startup, "_known_folders_file", lambda: tmp_path / "known.txt")
    prepared(data_dir)
    monkeypatch.setenv("FUPIN_USER", "zhang")
    monkeypatch.setenv("FUPIN_PASSWORD", "secret-123")
    session = startup.open_session()  # a normal start records the folder
    session.db.dispose()
    session.instance.release()
    moved = data_dir.with_name(data_dir.name + "-renamed")
    data_dir.rename(moved)
    assert startup.open_session() is None
    assert "不见了" in dialogs.calls[-1][1]
    assert not data_dir.exists()  # no empty new database was started in its place
