#!/usr/bin/env bash
# Build the one-folder bundle on this machine (Linux or, under Git Bash, Windows):
#   bash packaging/build.sh            → dist/fupin-desktop/
# Then on Windows: iscc packaging\windows\fupin_desktop.iss → dist\驻村帮扶工作台-<version>-安装程序.exe
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -e ".[package]"
python i18n/build.py
python -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/fupin_desktop.spec
echo "bundle: dist/fupin-desktop ($(du -sh dist/fupin-desktop | cut -f1))"
