"""交接清单: what the leaving work team hands to the next one (A4 portrait), built from
``services.handover.HandoverList``. Each section states its count in its heading (the figure a township official
checks against the system); names of people in the village are printed, personal numbers masked (phones only
appear for the team, masked). Signature lines for 移交人, 接收人 and 监交人（乡镇）at the end."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

from fupin_desktop.domain.money import format_yuan
from fupin_desktop.reports.cells import qty, table_date
from fupin_desktop.reports.common import (
    Column, PageInfo, Progress, build, document_title, frame_width, para, simple_table, style,
)

SIGNERS = ("移交人（驻村第一书记）", "接收人（新任第一书记）", "监交人（乡镇）")


_d = table_date  # the one table date style (reports.cells)


def write_handover(path: str | Path, hl, code: str, package_name: str = "", *, progress: Progress | None = None,
                   cancel: Any = None) -> Path:
    """Render a ``services.handover.HandoverList``; ``code`` is the 交接码 that opens the package."""
    v = hl.village
    name = v.name if v else ""
    unit = f"{v.dispatch_unit}驻{name}工作队" if v and v.dispatch_unit else name
    info = PageInfo(f"{name}驻村工作交接清单", unit=unit, landscape=False, print_date=hl.prepared_on,
                    signatures=False)
    width = frame_width(info)
    h = style("hh", 12.5, 19, space_before=9, space_after=3)
    body = style("hb", 10.5, 16, space_after=2)
    note = style("hn", 9, 13, space_after=2)
    story: list = document_title(info)
    story.append(para(f"交接日期：{_d(hl.prepared_on)}　　清单编制：{hl.prepared_by}", style("hd", 10, 14, "CENTER",
                                                                                     space_after=6)))

    def section(title: str, count: int | None = None, hint: str = "") -> None:
        story.append(CondPageBreak(40 * mm))
        story.append(para(title + (f"（共 {count} 项）" if count is not None else ""), h))
        if hint:
            story.append(para(hint, note))

    # 交接码 first: the successor needs it to open the data
    code_box = simple_table([["数据交接包", package_name or "（与本清单一同交付）"]],
                            [Column("", 1.2), Column("", 4.8)], width, header=False)
    story += [para("一、数据交接包与交接码", h), code_box, Spacer(1, 3 * mm),
              para(f"交接码：{code}", style("hc", 16, 22, "CENTER", space_after=4)),
              para("新电脑上用“接收交接”（命令行：fupin-desktop receive 交接包文件 --code 交接码）打开；"
                   "交接码只用于这一次交接，请当面交给接收人，不要和交接包一起发送。", note)]

    section("二、村情概况")
    p = hl.profile
    rows = [["村名", name, "行政区划代码", v.division_code if v else ""],
            ["所属乡镇", (v.township or "") if v else "", "县（市、区）", (v.county or "") if v else ""],
            ["派出单位", (v.dispatch_unit or "") if v else "", "村情年度", str(p.year) if p else ""]]
    if p:
        rows += [["户数", str(p.households or ""), "人口", str(p.population or "")],
                 ["村民小组", str(p.groups or ""), "党员", str(p.party_members or "")],
                 ["耕地（亩）", str(p.farmland_mu or ""), "林地（亩）", str(p.forest_mu or "")],
                 ["人均纯收入（元）", format_yuan(p.per_capita_income) if p.per_capita_income is not None else "",
                  "村集体收入（元）", format_yuan(p.collective_income) if p.collective_income is not None else ""]]
    story.append(simple_table(rows, [Column("", 1.3), Column("", 2), Column("", 1.3), Column("", 2)], width,
                              header=False))

    section("三、工作队成员及在岗时间", len(hl.team))
    story.append(simple_table([[t.name, t.role, t.unit, t.position, t.phone, _d(t.start_date),
                                _d(t.end_date) or "至今"] for t in hl.team],
                              [Column("姓名", 1.1), Column("身份", 1.2), Column("派出单位", 2.2), Column("职务", 1.3),
                               Column("电话", 1.4), Column("到村日期", 1.5), Column("离村日期", 1.5)], width))

    section("四、未办结的问题", len(hl.problems))
    story.append(simple_table([[str(i), x.household, x.description, x.status, x.responsible, _d(x.due_date)]
                               for i, x in enumerate(hl.problems, 1)],
                              [Column("序号", 0.6, "CENTER"), Column("户", 1.8), Column("问题", 4),
                               Column("状态", 0.9), Column("责任人", 1.1), Column("限办日期", 1.5)], width))

    section("五、在建及未完成的项目", len(hl.projects), "不含已进入运营管护、已完成绩效评价和已取消的项目。")
    story.append(simple_table([[str(i), x.name, x.stage, f"{x.progress_percent}%", format_yuan(x.planned),
                                format_yuan(x.received), format_yuan(x.outstanding), x.next_step]
                               for i, x in enumerate(hl.projects, 1)]
                              + ([["", "合计", "", "", format_yuan(hl.planned_total), format_yuan(hl.received_total),
                                   format_yuan(hl.outstanding_total), ""]] if hl.projects else []),
                              [Column("序号", 0.6, "CENTER"), Column("项目名称", 3), Column("当前环节", 1.5),
                               Column("进度", 0.7, "RIGHT"), Column("计划资金（元）", 1.5, "RIGHT"),
                               Column("已到位（元）", 1.5, "RIGHT"), Column("未到位（元）", 1.5, "RIGHT"),
                               Column("下一步", 1.5)], width))

    section("六、库存物资", len(hl.stock), "按物资合计：捐赠收到的数量减去已发放的数量。")
    story.append(simple_table([[str(i), x.name, qty(x.on_hand), x.unit] for i, x in enumerate(hl.stock, 1)],
                              [Column("序号", 0.6, "CENTER"), Column("物资", 4), Column("库存数量", 1.5, "RIGHT"),
                               Column("单位", 1)], width))
    story.append(para(f"捐赠资金结余：{format_yuan(hl.cash_balance)} 元", body))

    section("七、监测对象及下一步", len(hl.monitoring), "风险尚未消除的监测户。")
    story.append(simple_table([[str(i), x.number, x.head_name, x.group_name, x.category, x.stage, x.next_step]
                               for i, x in enumerate(hl.monitoring, 1)],
                              [Column("序号", 0.6, "CENTER"), Column("户编号", 1.9), Column("户主", 1),
                               Column("村民小组", 1.1), Column("监测类型", 1.6), Column("当前环节", 1.3),
                               Column("下一步", 1.3)], width))

    section("八、随工作队结束的结对帮扶", len(hl.pairings),
            "下列结对的帮扶责任人是本届工作队成员，随工作队离任结束，请乡镇和新工作队重新安排帮扶责任人。")
    story.append(simple_table([[str(i), x.cadre_name, x.number, x.head_name, _d(x.start_date)]
                               for i, x in enumerate(hl.pairings, 1)],
                              [Column("序号", 0.6, "CENTER"), Column("原帮扶责任人", 1.5), Column("户编号", 2),
                               Column("户主", 1.2), Column("结对日期", 1.5)], width))

    section("九、数据备份")
    story.append(simple_table([[b.folder, str(b.count), table_date(b.newest.date()) if b.newest else "没有备份"]
                               for b in hl.backups],
                              [Column("备份位置", 5), Column("份数", 0.8, "RIGHT"), Column("最近一次", 1.6)], width))

    section("十、密码与恢复安排")
    story += [para(("本机设置时已打印恢复密钥，由第一书记保管；" if hl.recovery_set else "本机没有设置恢复密钥；")
                   + "交接后本机数据只读保存，不再修改。新电脑接收数据时由接收人设置自己的管理员账号和密码，"
                     "并会得到一份新的恢复密钥，请打印后交乡镇或派出单位保管。原工作队的账号随数据带到新电脑，"
                     "均为停用状态（不带密码）。", body)]

    signs = [[f"{s}：", "", "日期："] for s in SIGNERS]
    sig_table = simple_table(signs, [Column("", 2.2), Column("", 2.6), Column("", 1.6)], width, header=False)
    sig_table.setStyle([("GRID", (0, 0), (-1, -1), 0, (1, 1, 1)), ("LINEBELOW", (1, 0), (1, -1), 0.6, (0, 0, 0)),
                        ("TOPPADDING", (0, 0), (-1, -1), 14)])
    story += [Spacer(1, 8 * mm), KeepTogether([para("十一、签字", h), sig_table])]
    return build(path, info, story, progress=progress, cancel=cancel, text="正在排版交接清单…")
