"""The work team's own registers (domain.md §7.2): 工作队花名册, 考勤签到表 (a month grid per page) and 会议记录
(one meeting per page, with a 签到 table to sign on paper). Data from ``services.registers``; the common page of
``reports.common`` (装订线, 第X页 共Y页, signature line)."""
from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from fupin_desktop.domain.dates import format_cn_date
from fupin_desktop.domain.privacy import mask_phone
from fupin_desktop.reports import common
from fupin_desktop.reports.common import (FONT, Column, PageInfo, Progress, build, document_title,
                                          frame_width, register_font, style, write_ledger)
from fupin_desktop.reports.fit import PAD
from fupin_desktop.reports.cells import table_date as d
from fupin_desktop.reports.ledgers import lab

__all__ = ["write_team_roster", "write_sign_in_sheets", "write_meetings", "STATUS_MARKS", "SIGN_IN_ROWS"]


def _info(title: str, head, *, landscape: bool = True, signatures: bool = True) -> PageInfo:
    return PageInfo(title, unit=head.unit, period=head.period, landscape=landscape, print_date=head.printed_on,
                    signatures=signatures)


# --- 工作队花名册 --------------------------------------------------------------------------------------------------------

TEAM_COLUMNS = (Column("姓名", 0.8), Column("性别", 0.45, "CENTER"), Column("派出单位", 2.0), Column("单位职务", 1.2),
                Column("队内职务", 0.9, "CENTER"), Column("联系电话", 1.1, "CENTER"),
                Column("驻村开始日期", 1.0, "CENTER"), Column("驻村结束日期", 1.0, "CENTER"),
                Column("本期驻村天数", 0.8, "CENTER"), Column("备注", 1.0))


def write_team_roster(path: str | Path, register, *, progress: Progress | None = None, cancel: Any = None) -> Path:
    rows = register.rows
    body = [(r.name, lab("sex", r.sex), r.unit, r.position, lab("cadre_role", r.role), mask_phone(r.phone),
             d(r.start_date), d(r.end_date) if r.end_date else "在岗", r.village_days, "") for r in rows]
    total = (f"{len(rows)}人", "", "", "", "", "", "", "", sum(r.village_days for r in rows), "")
    return write_ledger(path, _info("驻村工作队花名册", register.head), TEAM_COLUMNS, body,
                        total=total if rows else None, row_count=len(rows), progress=progress, cancel=cancel,
                        note="本期驻村天数 = 所属期间内在村天数 + 因公外出天数（据考勤记录）。")


# --- 考勤签到表: a month per page ----------------------------------------------------------------------------------------

# One character per day, so 31 days fit across A4 landscape (explained under every grid).
STATUS_MARKS = {"in_village": "√", "official_trip": "公", "leave": "假", "other": "○"}
LEGEND = "图例：√ 在村，公 因公外出，假 请假，○ 其他，空白 未登记，— 不在队期间"


def _grid(month, available: float) -> Table:
    days = list(range(1, month.length + 1))
    first = month_first_weekday(month)
    counts = ("在村", "公出", "请假", "驻村天数")
    columns = [Column("姓名", 1.0, "CENTER", wrap=False), Column("队内职务", 1.0, "CENTER", wrap=False),
               *[Column(str(n), 0.5, "CENTER", wrap=False) for n in days],
               *[Column(c, 0.5, "CENTER", wrap=False) for c in counts],
               Column("本人签字", 4.0, "CENTER", min_width=22 * mm)]
    body: list[list[str]] = []
    for r in month.rows:
        marks = []
        for n in days:
            outside = r.serving is not None and not r.serving[0] <= n <= r.serving[1]
            marks.append("—" if outside else STATUS_MARKS.get(r.days.get(n, ""), ""))
        in_v, trip = r.count("in_village"), r.count("official_trip")
        body.append([r.name, lab("cadre_role", r.role), *marks, str(in_v), str(trip), str(r.count("leave")),
                     str(in_v + trip), ""])
    for _ in range(2):  # room for a member who joined after printing, written in by hand
        body.append([""] * len(columns))
    weekday = ["", "", *["一二三四五六日"[(first + n - 1) % 7] for n in days], "", "", "", "", ""]
    # the header measured as a row: fit_table keeps 2 CJK characters for any title, too wide for 31 day numbers
    titles = [c.title if c.title != "驻村天数" else "驻村\n天数" for c in columns]
    fit = common.fit_table(columns, [titles, weekday, *body], available, header=False)
    size = fit.size
    small = style("grid", size - 1, size, "CENTER")
    head = [c.title if c.title not in counts else Paragraph(c.title if c.title != "驻村天数" else "驻村<br/>天数",
                                                            small) for c in columns]
    data: list[list[Any]] = [head, weekday, *body]
    t = Table(data, colWidths=list(fit.widths), rowHeights=[7 * mm, 5 * mm] + [11 * mm] * len(body), repeatRows=2)
    cmds: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), FONT, size),
        ("FONT", (0, 1), (-1, 1), FONT, size - 1.5),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("BACKGROUND", (0, 0), (-1, 1), colors.Color(0.9, 0.9, 0.9)),
        ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)),
        *[("SPAN", (c, 0), (c, 1)) for c in range(2 + len(days), len(columns))],
    ]
    for i, n in enumerate(days):  # weekends shaded: a mark there is worth a second look
        if (first + n - 1) % 7 >= 5:
            cmds.append(("BACKGROUND", (2 + i, 2), (2 + i, -1), colors.Color(0.94, 0.94, 0.94)))
    t.setStyle(TableStyle(cmds))
    return t


def meta_row(texts, available: float, st) -> Table:
    """Texts side by side across the frame (left, centre, right; no border): spaces between them would collapse."""
    align = ("LEFT", "CENTER", "RIGHT") if len(texts) == 3 else ("LEFT", "RIGHT")
    cells = [Paragraph(escape(x), style(f"meta{i}", st.fontSize, st.leading, a)) for i, (x, a) in
             enumerate(zip(texts, align))]
    t = Table([cells], colWidths=[available / len(texts)] * len(texts))
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, st.fontSize),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                           ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return t


def month_first_weekday(month) -> int:
    from datetime import date

    return date(month.year, month.month, 1).weekday()


def write_sign_in_sheets(path: str | Path, register, months, *, progress: Progress | None = None,
                         cancel: Any = None) -> Path:
    """One page per month of the period (A4 landscape): days 1–31 across, each team member a row with the marks
    recorded, the month's counts and a signature cell; below, what the marks mean and the monthly rule."""
    register_font()
    info = _info("驻村工作队考勤签到表", register.head)
    available = frame_width(info)
    story: list = []
    title_st = style("stitle", 16, 22, "CENTER", space_after=2)
    meta_st = style("smeta", 9.5, 13)
    note_st = style("snote", 8.5, 12, space_before=3)
    for i, m in enumerate(months):
        if i:
            story.append(PageBreak())
        story.append(Paragraph(escape(f"驻村工作队考勤签到表（{m.year}年{m.month}月）"), title_st))
        story.append(meta_row((f"填报单位（盖章）：{register.head.unit}", f"考勤月份：{m.year}年{m.month}月",
                               f"每月驻村要求：{m.required}天"), available, meta_st))
        story.append(Spacer(1, 2 * mm))
        story.append(_grid(m, available))
        story.append(Paragraph(escape(LEGEND), note_st))
        story.append(Paragraph(escape("驻村天数 = 在村 + 因公外出；月中进队或离队的，每月要求按在队天数折算。"
                                      "本人每月核对后在“本人签字”栏签名。"), note_st))
    if not months:
        story.append(Paragraph("（本期无考勤月份）", meta_st))
    return build(path, info, story, progress=progress, cancel=cancel)


# --- 会议记录: one meeting per page with a 签到 table ------------------------------------------------------------------

SIGN_IN_ROWS = 10  # blank rows to sign: 2 names per row (20 signatures; more rows when more attended)


def _sign_table(available: float, count: int | None) -> Table:
    per = 2 if (count or 0) <= 2 * SIGN_IN_ROWS else 3  # a 村民代表大会 of 35 still signs on the meeting's page
    rows = max(SIGN_IN_ROWS, -(-(count or 0) // per))
    columns = [Column("序号", 0.3, "CENTER", wrap=False), Column("姓名（签字）", 1.0, "CENTER", min_width=22 * mm),
               Column("单位/职务", 1.0, "CENTER", min_width=18 * mm)] * per
    body = [[x for k in range(per) for x in (str(n + k * rows), "", "")] for n in range(1, rows + 1)]
    fit = common.fit_table(columns, body, available)
    t = Table([[c.title for c in columns], *body], colWidths=list(fit.widths),
              rowHeights=[7 * mm] + [8.5 * mm] * rows, repeatRows=1)
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, fit.size),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
    ]))
    return t


def _meeting_table(m, available: float) -> Table:
    label = style("mlabel", 10, 14, "CENTER")
    value = style("mvalue", 10, 15)
    attendees = m.attendees or ""
    if m.attendees_count:
        attendees = f"{attendees}（共{m.attendees_count}人）" if attendees else f"共{m.attendees_count}人"
    def p(text, st=value):
        return Paragraph(escape(text or "").replace("\n", "<br/>"), st)
    data = [
        [p("会议名称", label), p(m.topic), "", ""],
        [p("会议类型", label), p(lab("worklog_kind", m.kind)), p("时间", label), p(format_cn_date(m.log_date))],
        [p("地点", label), p(m.place), p("主持人", label), p(m.host)],
        [p("记录人", label), "", p("参加人数", label), p(str(m.attendees_count or ""))],
        [p("参加人员", label), p(attendees), "", ""],
        [p("会议内容", label), p(m.content or "（会议内容）"), "", ""],
    ]
    w1 = 24 * mm
    widths = [w1, (available - 2 * w1) / 2, w1, (available - 2 * w1) / 2]
    # room to complete the minutes by hand when the record is short (≈ 38 characters a line at 10 pt)
    lines = sum(1 + len(part) // 38 for part in (m.content or "").split("\n"))
    content_h = 50 * mm if lines * 15 < 50 * mm else None
    t = Table(data, colWidths=widths, rowHeights=[None, None, None, None, None, content_h])
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 10),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("VALIGN", (1, 5), (-1, 5), "TOP"),
        ("SPAN", (1, 0), (-1, 0)), ("SPAN", (1, 4), (-1, 4)), ("SPAN", (1, 5), (-1, 5)),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.93, 0.93, 0.93)),
        ("BACKGROUND", (2, 1), (2, 3), colors.Color(0.93, 0.93, 0.93)),
    ]))
    return t


def write_meetings(path: str | Path, register, *, progress: Progress | None = None, cancel: Any = None) -> Path:
    """Each meeting of the period on its own page (A4 portrait): the record, then 签到 rows to sign by hand."""
    register_font()
    info = _info("会议记录", register.head, landscape=False, signatures=False)
    available = frame_width(info)
    story: list = []
    sub = style("msub", 9.5, 14, "CENTER", space_after=6)
    for i, m in enumerate(register.rows):
        if i:
            story.append(PageBreak())
        story.append(Paragraph("会议记录", style("mtitle", 18, 26, "CENTER", space_after=2)))
        story.append(Paragraph(escape(f"{register.head.unit}　　{format_cn_date(m.log_date)}"), sub))
        story.append(_meeting_table(m, available))
        story.append(CondPageBreak(60 * mm))
        story.append(KeepTogether([
            Paragraph("会议签到", style("msign", 12, 18, "CENTER", space_before=8, space_after=4)),
            _sign_table(available, m.attendees_count),
            Spacer(1, 5 * mm),
            meta_row(("主持人（签字）：__________", "记录人（签字）：__________"), available,
                     style("mfoot", 10, 16)),
        ]))
    if not register.rows:
        story += document_title(info)
        story.append(Paragraph("（本期无会议记录）", style("mnone", 10.5, 16, "CENTER")))
    return build(path, info, story, progress=progress, cancel=cancel)
