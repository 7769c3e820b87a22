"""How each of the team's registers and 公示 notices is built (services in, PDF out), for reports.registry: one
function per document with the registry's ``build(services, request, path, *, progress, cancel)`` signature. The
writers are imported when a document is built (reportlab stays out of the CLI's start-up)."""
from __future__ import annotations

from pathlib import Path

__all__ = ["team_roster", "sign_in_sheets", "meetings", "fund_book", "goods_stock", "guarantee_checks",
           "project_assets", "notice"]


def team_roster(services, request, path, *, progress=None, cancel=None) -> Path:
    from fupin_desktop.reports.team_registers import write_team_roster

    return write_team_roster(path, services.registers.team_roster(request.filter), progress=progress, cancel=cancel)


def sign_in_sheets(services, request, path, *, progress=None, cancel=None) -> Path:
    from fupin_desktop.reports.team_registers import write_sign_in_sheets

    register, months = services.registers.sign_in_sheets(request.filter)
    return write_sign_in_sheets(path, register, months, progress=progress, cancel=cancel)


def meetings(services, request, path, *, progress=None, cancel=None) -> Path:
    from fupin_desktop.reports.team_registers import write_meetings

    return write_meetings(path, services.registers.meetings(request.filter), progress=progress, cancel=cancel)


def fund_book(services, request, path, *, progress=None, cancel=None) -> Path:
    from fupin_desktop.reports.money_registers import write_fund_book

    register, book = services.registers.fund_book(request.filter)
    return write_fund_book(path, register, book, progress=progress, cancel=cancel)


def goods_stock(services, request, path, *, progress=None, cancel=None) -> Path:
    from fupin_desktop.reports.money_registers import write_goods_stock

    return write_goods_stock(path, services.registers.goods_stock(request.filter), progress=progress, cancel=cancel)


def guarantee_checks(services, request, path, *, progress=None, cancel=None) -> Path:
    from fupin_desktop.reports.money_registers import write_guarantee_checks

    return write_guarantee_checks(path, services.registers.guarantee_checks(request.filter), progress=progress,
                                  cancel=cancel)


def project_assets(services, request, path, *, progress=None, cancel=None) -> Path:
    from fupin_desktop.reports.money_registers import write_project_assets

    return write_project_assets(path, services.registers.project_assets(request.filter), progress=progress,
                                cancel=cancel)


def notice(key: str):
    """The build of the 公示 notice ``key`` (reports.notices.NOTICE_KEYS); every form of it is the public one."""
    def build(services, request, path, *, progress=None, cancel=None) -> Path:
        from fupin_desktop.reports.notices import write_notice

        reg = services.registers
        register = {"notice_monitored": lambda f: reg.notice_monitoring(f, eliminated=False),
                    "notice_eliminated": lambda f: reg.notice_monitoring(f, eliminated=True),
                    "notice_donations": reg.notice_donations,
                    "notice_projects": reg.notice_projects}[key](request.filter)
        return write_notice(path, key, register, request.notice, progress=progress, cancel=cancel)
    return build
