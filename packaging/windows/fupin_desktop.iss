; Inno Setup script for the Windows installer (build on Windows after PyInstaller; see packaging/README.md).
;   iscc packaging\windows\fupin_desktop.iss
; Installs the one-folder bundle, creates start-menu and desktop shortcuts; the uninstaller removes the program
; but keeps the data folder (%APPDATA%\fupin\fupin_desktop, or the "data" folder of a portable copy).
#define AppVersion GetEnv("FUPIN_VERSION")
#if AppVersion == ""
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6B1F2A7C-3E55-4C1B-9D3A-7F0E5C2B9A41}
AppName=驻村帮扶工作台
AppVersion={#AppVersion}
AppPublisher=驻村帮扶工作台开发组
DefaultDirName={autopf}\驻村帮扶工作台
DefaultGroupName=驻村帮扶工作台
OutputDir=..\..\dist
OutputBaseFilename=驻村帮扶工作台-{#AppVersion}-安装程序
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
PrivilegesRequiredOverridesAllowed=dialog
DisableProgramGroupPage=yes
UninstallDisplayName=驻村帮扶工作台

[Languages]
Name: "chinesesimplified"; MessagesFile: "ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "附加快捷方式："

[Files]
Source: "..\..\dist\fupin-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\驻村帮扶工作台"; Filename: "{app}\fupin-desktop.exe"
Name: "{group}\程序自检"; Filename: "{app}\fupin-desktop.exe"; Parameters: "--selftest"
Name: "{group}\卸载驻村帮扶工作台"; Filename: "{uninstallexe}"
Name: "{autodesktop}\驻村帮扶工作台"; Filename: "{app}\fupin-desktop.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\fupin-desktop.exe"; Description: "现在启动驻村帮扶工作台"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only program files are removed; the data folder is deliberately left alone.
Type: filesandordirs; Name: "{app}\_internal"

[Messages]
chinesesimplified.FinishedLabel=安装完成。您的数据保存在用户数据文件夹中，卸载程序时不会被删除。
