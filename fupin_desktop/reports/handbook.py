"""一户一册 (household handbook): one household per section — head and members, category, risks and causes, income
by year, pairing, measures, every visit and problem, photos as thumbnails — for one household or all, with a table
of contents. A4 portrait; personal numbers masked.

Members show their age on the print date, never the birth date: a birth date beside a masked 身份证号 would undo
the mask (domain/privacy.py).

``public=True`` (公示 mode) leaves out health, disability, income and free text entirely: the members' 健康 column,
the income section, 风险类型 and 致贫原因 (which name 因病/因残), the bank account, the measures, the free text of
visits and problems (what was found, what was done — "患病成员坚持服药") and the photos. No record carries a
"may be made public" mark, so no free text is public."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from fupin_desktop.domain.money import format_yuan
from fupin_desktop.domain.privacy import AGE_TITLE, age_on, mask_bank, mask_id, mask_phone
from fupin_desktop.reports.common import (
    FONT, Column, PageInfo, Progress, SectionMark, build, document_title, frame_width, para, simple_table, style,
)
from fupin_desktop.reports.ledgers import d, household_kind, lab, labs, yuan

THUMB_W = 52 * mm
THUMB_H = 39 * mm
THUMB_PIXELS = 800  # longest side of an embedded thumbnail (≈ 390 dpi at THUMB_W): a phone photo is not embedded whole


def _section(text: str) -> Paragraph:
    return para(text, _SECTION)


_SECTION = style("hs", 12, 18, space_before=8, space_after=4)
_SECTION.keepWithNext = 1  # a section heading never ends a page alone


def _thumbnail_source(path: str):
    """A small JPEG of the photo, turned upright by its EXIF orientation (Pillow comes with reportlab); the file
    itself if Pillow cannot read it."""
    from io import BytesIO

    try:
        from PIL import Image as PILImage, ImageOps

        with PILImage.open(path) as im:
            im = ImageOps.exif_transpose(im)
            im.thumbnail((THUMB_PIXELS, THUMB_PIXELS))
            buf = BytesIO()
            im.convert("RGB").save(buf, "JPEG", quality=82)
        buf.seek(0)
        return buf
    except Exception:  # noqa: BLE001 - let reportlab try the file itself
        return path


def _thumbs(paths: tuple[str, ...], available: float) -> list:
    cells = []
    for p in paths:
        try:
            img = Image(_thumbnail_source(p))
            ratio = min(THUMB_W / img.imageWidth, THUMB_H / img.imageHeight)
            img.drawWidth, img.drawHeight = img.imageWidth * ratio, img.imageHeight * ratio
            cells.append(img)
        except Exception:  # noqa: BLE001 - a broken photo must not stop the book
            cells.append(para(f"（照片无法读取：{Path(p).name}）", style("pe", 8, 10)))
    if not cells:
        return []
    per_row = 3
    rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    rows[-1] += [""] * (per_row - len(rows[-1]))
    return [Table(rows, colWidths=[available / per_row] * per_row,
                  style=[("FONT", (0, 0), (-1, -1), FONT, 8), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])]


def household_story(b, available: float, index: int, public: bool = False, on=None) -> list:
    """One household's pages; ``on`` is the date the ages are counted on (the print date)."""
    h = b.household
    title = f"{index}. {h.head_name}户（{h.number}）"
    heading = Paragraph(title, style("h1", 15, 22, space_after=6))
    heading.toc_entry = (0, f"{h.head_name}户　{h.group_name or ''}　{h.number}", f"hh{index}")
    # the page it lands on starts the household: 本户第X页 共Y页, and its name on the continuation pages
    out: list = [SectionMark(f"{h.head_name}户（{h.number}）"), heading]
    facts = [
        ("户编号", h.number, "村民小组", h.group_name or ""),
        ("户主", h.head_name, "身份证号", mask_id(h.head_id_number)),
        ("户类型", household_kind(h.household_type, h.monitoring_category), "家庭人口", f"{h.member_count}人"),
        ("联系电话", mask_phone(h.phone), "长期不在村", "是" if h.long_absent else "否"),
        ("风险类型", labs("risk_type", h.risk_types), "致贫原因", labs("poverty_cause", b.poverty_causes)),
        ("监测环节", lab("monitoring_stage", b.monitoring_stage), "识别时间", d(b.identified_on)),
        ("风险消除", ("是，" + d(b.eliminated_on)) if b.risk_eliminated else "否", "住房等级",
         lab("housing_grade", b.housing_grade)),
        ("耕地（亩）", str(b.farmland_mu or ""), "银行账号", mask_bank(b.bank_account)),
        ("住址", b.address or "", "帮扶责任人", "、".join(h.helpers)),
    ]
    if public:
        facts[4] = ("监测类别", lab("monitoring_category", h.monitoring_category), "", "")
        facts[7] = ("耕地（亩）", str(b.farmland_mu or ""), "", "")
        facts[8] = ("帮扶责任人", "、".join(h.helpers), "", "")  # the address is typed text: not posted
    if not ever_monitored(b):  # nothing about monitoring for a household never monitored
        facts[6] = ("住房等级", lab("housing_grade", b.housing_grade), "", "")
        del facts[5]
        if public:
            del facts[4]
        elif not h.risk_types:
            facts[4] = ("致贫原因", labs("poverty_cause", b.poverty_causes), "", "")
    out.append(simple_table(facts, (Column("", 0.9), Column("", 1.6), Column("", 0.9), Column("", 1.6)),
                            available, header=False))
    out.append(_section("一、家庭成员"))
    member_cols = (Column("姓名", 0.8), Column("关系", 0.6), Column("性别", 0.4, "CENTER"), Column("身份证号", 1.6),
                   Column(AGE_TITLE, 0.5, "CENTER"), Column("文化程度", 0.7), Column("健康", 0.8),
                   Column("劳动技能", 0.8), Column("务工地点", 0.9), Column("保障", 0.5))
    member_rows = [(m.name, lab("relation", m.relation), lab("sex", m.sex), mask_id(m.id_number),
                    _age(m.birth_date, on),
                    lab("education", m.education), m.health, lab("labour_skill", m.labour_skill), m.work_place,
                    "、".join(t for t, f in (("低保", m.dibao), ("特困", m.tekun)) if f)) for m in b.members]
    if public:  # no health column at all, and no typed-in 务工地点 (as the 公示版 package)
        member_cols = member_cols[:6] + member_cols[7:8] + member_cols[9:]
        member_rows = [r[:6] + r[7:8] + r[9:] for r in member_rows]
    out.append(simple_table(member_rows, member_cols, available))
    n = iter("二三四五六七八")
    if not public:
        out.append(_section(f"{next(n)}、收入情况（元）"))
        out.append(simple_table(
            [(str(i.year), yuan(i.wages), yuan(i.business), yuan(i.property_income), yuan(i.transfer),
              yuan(i.production_cost), yuan(i.net), str(i.size), yuan(i.per_capita)) for i in b.incomes],
            (Column("年度", 0.5, "CENTER"), Column("工资性", 1, "RIGHT"), Column("经营性", 1, "RIGHT"),
             Column("财产性", 1, "RIGHT"), Column("转移性", 1, "RIGHT"), Column("生产经营支出", 1, "RIGHT"),
             Column("纯收入", 1, "RIGHT"), Column("人口", 0.5, "CENTER"), Column("人均纯收入", 1, "RIGHT")),
            available))
    out.append(_section(f"{next(n)}、结对帮扶"))
    out.append(simple_table(
        [(p.cadre_name, p.cadre_unit, mask_phone(p.cadre_phone), d(p.start_date), d(p.end_date)) for p in b.pairings],
        (Column("帮扶责任人", 1), Column("工作单位", 2), Column("联系电话", 1.1), Column("结对日期", 1, "CENTER"),
         Column("解除日期", 1, "CENTER")), available))
    if public:
        out += _public_records(b, available, n)
        return _signed(out)
    out.append(_section(f"{next(n)}、帮扶措施"))
    out.append(simple_table(
        [(d(m.measure_date), lab("measure_category", m.category), m.content,
          format_yuan(m.amount) if m.amount is not None else "", m.responsible, m.result) for m in b.measures],
        (Column("日期", 0.9, "CENTER"), Column("类别", 0.9), Column("内容", 2.4), Column("金额（元）", 0.8, "RIGHT"),
         Column("责任人", 0.7), Column("成效", 1.6)), available))
    out.append(_section(f"{next(n)}、走访记录"))
    out.append(simple_table(
        [(d(v.visit_date), "、".join(v.cadres), labs("visit_purpose", v.purposes), "是" if v.present else "否",
          v.findings, v.actions) for v in b.visits],
        (Column("日期", 0.9, "CENTER"), Column("走访人", 0.9), Column("事由", 1.1), Column("见到户", 0.5, "CENTER"),
         Column("发现", 2.2), Column("措施", 1.8)), available))
    out.append(_section(f"{next(n)}、问题诉求"))
    out.append(simple_table(
        [(d(p.raised_on), p.description, p.responsible, lab("problem_status", p.status), p.resolution,
          d(p.closed_on)) for p in b.problems],
        (Column("提出日期", 0.9, "CENTER"), Column("问题", 2.2), Column("责任人", 0.7),
         Column("状态", 0.7, "CENTER"), Column("办理结果", 2.0), Column("销号日期", 0.9, "CENTER")), available))
    if b.photos:
        out.append(_section(f"{next(n)}、照片"))
        out += _thumbs(b.photos, available)
    return _signed(out)


def ever_monitored(b) -> bool:
    """Whether the household was ever a 监测对象 (a category, a stage, an identification or an elimination)."""
    return bool(b.household.monitoring_category or b.monitoring_stage or b.identified_on or b.risk_eliminated
                or b.eliminated_on)


def _signed(story: list) -> list:
    """户主 and 帮扶责任人 confirm the household's pages, with the date, under its last section — kept on one page
    with that section's heading and table (alone on a page of its own it would sign nothing)."""
    line = "户主签字（手印）：______________　　帮扶责任人签字：______________　　日期：______年____月____日"
    sig = [Spacer(1, 8 * mm), para(line, style("sig", 10.5, 16))]
    return story[:-2] + [KeepTogether(story[-2:] + sig)]


def _age(birth, on) -> str:
    age = age_on(birth, on) if on is not None else None
    return "" if age is None else str(age)


def _public_records(b, available: float, n) -> list:
    """公示: visits and problems by date, who and status only (their free text may name an illness); no measures
    (health measures say who is ill), no photos."""
    return [
        _section(f"{next(n)}、走访记录"),
        simple_table([(d(v.visit_date), "、".join(v.cadres), labs("visit_purpose", v.purposes),
                       "是" if v.present else "否") for v in b.visits],
                     (Column("日期", 0.9, "CENTER"), Column("走访人", 1.4), Column("事由", 2.0),
                      Column("见到户", 0.6, "CENTER")), available),
        _section(f"{next(n)}、问题诉求"),
        simple_table([(d(p.raised_on), p.responsible, lab("problem_status", p.status), d(p.closed_on))
                      for p in b.problems],
                     (Column("提出日期", 0.9, "CENTER"), Column("责任人", 0.9), Column("状态", 0.9, "CENTER"),
                      Column("销号日期", 0.9, "CENTER")), available),
    ]


def write_handbook(path: str | Path, handbook, *, public: bool = False, progress: Progress | None = None,
                   cancel: Any = None) -> Path:
    """Render a ``services.reporting.Handbook`` (table of contents first, one household per section);
    ``public``: the 公示 version without health, disability and income."""
    head = handbook.head
    info = PageInfo(f"{head.village}一户一册" + ("（公示）" if public else ""), unit=head.unit, period=head.period,
                    landscape=False, print_date=head.printed_on, signatures=False, section_label="本户")
    available = frame_width(info)
    story: list = document_title(info)
    toc = TableOfContents()
    toc.levelStyles = [style("toc0", 11, 17)]
    toc.tableStyle = TableStyle([("FONT", (0, 0), (-1, -1), FONT, 10), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                 ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
    toc.dotsMinLevel = 0
    story += [para("目　录", style("toct", 14, 22, "CENTER", space_after=6)), toc]
    for i, b in enumerate(handbook.books, start=1):
        if cancel is not None:
            cancel.raise_if_cancelled()
        story.append(PageBreak())
        story += household_story(b, available, i, public, head.printed_on)
    if not handbook.books:
        story.append(Spacer(1, 12))
        story.append(para("没有符合条件的农户。", style("e", 12, 18)))
    return build(path, info, story, progress=progress, cancel=cancel, multi=True, text="正在排版一户一册…")
