#!/usr/bin/env bash
# Debian packages the tests and tools need: Qt runtime libraries (offscreen), poppler-utils (pdftotext,
# pdffonts, pdftoppm), LibreOffice Calc and Writer (opening exported workbooks; the 工作总结 .docx converted to
# PDF to look at it), PostgreSQL (tests on both backends),
# Xvfb and the xcb libraries Qt needs under it (screenshots), the CJK font package (also bundled in resources/).
set -euo pipefail
PKGS=(
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 libnss3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0
  libxcb-xinerama0 libxcb-randr0 xvfb
  poppler-utils libreoffice-calc libreoffice-writer-nogui postgresql fonts-wqy-microhei
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
