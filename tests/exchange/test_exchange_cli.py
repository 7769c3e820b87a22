"""CLI verbs export / import (and merge refusing an Excel package) (the same work as the GUI, for scripts)."""
from __future__ import annotations

from fupin_desktop import cli, paths


def test_export_import_merge_verbs(tmp_path, kit, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    try:
        assert cli.main(["--data-dir", str(a), "demo", "--households", "5"]) == 0
        roster = kit.write_roster(tmp_path / "r.xlsx", kit.roster_rows(3, start=50))
        assert cli.main(["--data-dir", str(a), "import", str(roster), "--check"]) == 0
        assert cli.main(["--data-dir", str(a), "import", str(roster)]) == 0
        out = tmp_path / "p.xlsx"
        assert cli.main(["--data-dir", str(a), "export", "--year", "2024", "--half", "1", "--out", str(out)]) == 0
        assert out.exists()
        text = capsys.readouterr().out
        assert "个人信息已遮盖" in text and "2024年上半年" in text and "走访台账" in text
        # the upward package is a document for people: merging it is refused with the way to do it
        assert cli.main(["--data-dir", str(b), "merge", str(out)]) == 2
        assert "上报表" in capsys.readouterr().err
        bad = kit.roster_rows(2)
        bad[1][4] = "123"
        assert cli.main(["--data-dir", str(a), "import", str(kit.write_roster(tmp_path / "bad.xlsx", bad))]) == 1
        assert "身份证号应为18位" in capsys.readouterr().out
        (tmp_path / "junk.fupin").write_text("x")
        assert cli.main(["--data-dir", str(b), "merge", str(tmp_path / "junk.fupin")]) == 2
        err = capsys.readouterr().err
        assert "junk.fupin" in err and "已损坏" in err  # the bounded reader's message for a file that is no zip
    finally:
        paths.set_data_dir(None)
