"""CLI verbs pack / merge (--check) / conflicts, as the people who check the program use them."""
from __future__ import annotations

import re

from fupin_desktop import cli, paths
from fupin_desktop.storage.db import Database
from fupin_desktop.storage.keyring import Keyring
from fupin_desktop.storage.models import Household

from tests.sync_helpers import Laptop


def _laptop(folder, template_db, user):
    """A folder the CLI set up is encrypted (administrator tester / tester-123 from tests/conftest.py)."""
    key = Keyring(folder).open("tester", "tester-123")
    return Laptop(folder, template_db, user, db=Database(f"sqlite:///{folder / 'fupin.sqlite3'}", key=key))


def test_pack_merge_check_and_conflicts(tmp_path, template_db, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    try:
        assert cli.main(["--data-dir", str(a), "demo", "--households", "6", "--village", "西山村",
                         "--division", "130204203214"]) == 0
        pack = tmp_path / "a1.fupin"
        assert cli.main(["--data-dir", str(a), "pack", "--out", str(pack)]) == 0
        out = capsys.readouterr().out
        fingerprint = re.search(r"指纹：([0-9A-F ]{39})", out).group(1)
        assert cli.main(["--data-dir", str(b), "merge", "--check", str(pack)]) == 0
        checked = capsys.readouterr().out.splitlines()
        assert "只检查，没有写入。" in checked and re.fullmatch(r"新增 \d+ 条，更新 0 条，相同 0 条，冲突 0 条", checked[-1])
        assert cli.main(["--data-dir", str(b), "merge", str(pack)]) == 0
        merged = capsys.readouterr().out.splitlines()
        assert merged[-1] == checked[-1] and fingerprint in merged[0] and "首次合并" in merged[0]

        la, lb = _laptop(a, template_db, "张书记"), _laptop(b, template_db, "李队员")
        hid = la.first_id(Household)
        la.edit(Household, hid, phone="13800000001")
        lb.edit(Household, hid, phone="13900000002")
        la.close()
        lb.close()
        assert cli.main(["--data-dir", str(a), "pack", "--out", str(tmp_path / "a2.fupin")]) == 0
        capsys.readouterr()
        assert cli.main(["--data-dir", str(b), "merge", str(tmp_path / "a2.fupin")]) == 1  # open conflicts
        text = capsys.readouterr().out
        assert text.splitlines()[-1].endswith("冲突 1 条") and "首次合并" not in text
        assert cli.main(["--data-dir", str(b), "conflicts"]) == 0
        listed = capsys.readouterr().out
        assert "联系电话" in listed and "13800000001" in listed and "13900000002" in listed
        assert "张书记" in listed and "李队员" in listed and listed.splitlines()[-1] == "共 1 条未处理的冲突"
    finally:
        paths.set_data_dir(None)
