@echo off
rem Build the Windows bundle and installer (run in a "Developer" prompt with Python 3.11+ and Inno Setup 6 on PATH).
cd /d %~dp0\..
python -m pip install -e ".[package]" || exit /b 1
python i18n\build.py || exit /b 1
python -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\fupin_desktop.spec || exit /b 1
dist\fupin-desktop\fupin-desktop.exe --selftest || exit /b 1
iscc packaging\windows\fupin_desktop.iss || exit /b 1
echo Done: dist\
