#!/usr/bin/env bash
# The README's first command, literally, in a fresh virtual environment (no system packages; dependencies come
# from the package index), then what a new user sees:
#   bash packaging/check-install.sh
# 1. `python -m pip install . && fupin-desktop --selftest` passes (database, PDF, xlsx, font, translation);
# 2. `fupin-desktop` on an empty machine shows the sign-in window in Chinese, in the bundled font
#    (FUPIN_EXIT_AFTER_SHOW=signin quits once it is shown; FUPIN_SHOWN_REPORT describes and grabs it).
# The source tree is copied first so the build leaves no build/ folder in the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d "${TMPDIR:-/tmp}/fupin-install-XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir "$work/src" "$work/home"
cp -r pyproject.toml setup.py README.md fupin_desktop resources i18n "$work/src/"
find "$work/src" -name __pycache__ -prune -exec rm -rf {} +
python -m venv "$work/venv"
# a new user's machine: only the venv on PATH, nothing from this checkout or its settings
run() {
  env -u PYTHONPATH -u VIRTUAL_ENV -u FUPIN_DATA_DIR -u FUPIN_DATABASE_URL -u FUPIN_USER -u FUPIN_PASSWORD \
    PATH="$work/venv/bin:$PATH" HOME="$work/home" XDG_DATA_HOME="$work/home/.local/share" \
    XDG_CONFIG_HOME="$work/home/.config" QT_QPA_PLATFORM=offscreen "$@"
}
(cd "$work/src" && run python -m pip install -q . && run fupin-desktop --selftest)
(cd "$work" && run env FUPIN_EXIT_AFTER_SHOW=signin FUPIN_SHOWN_REPORT="$work/shown.json" fupin-desktop)
run python - "$work/shown.json" <<'PY'
import json, sys
shown = json.load(open(sys.argv[1], encoding="utf-8"))
print("sign-in window:", shown["title"], "|", " / ".join(shown["texts"]), "|", shown["font"])
assert shown["stage"] == "signin" and shown["title"] == "设置管理员", shown
assert "驻村帮扶工作台" in shown["texts"] and shown["font"] == "WenQuanYi Micro Hei", shown
PY
echo "install check passed: the README's first command gives the Chinese sign-in window"
