"""First-start wizard (本村信息, 工作队, 演示数据)."""
from fupin_desktop.ui.views.setup.wizard import SetupWizard

__all__ = ["SetupWizard"]
