"""Every document the program prints, listed once: the command line's ``report`` verb and the 台账报表 page both
read this list (key, Chinese title, how it is built, whether it has a 公示 form, what it can be narrowed by).

A document is built from the services (data in) to a PDF file (file out): :func:`generate`. To add a document,
add one :class:`Document` to :data:`DOCUMENTS`; the page shows it and the verb accepts it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.reports import register_docs as rd
from fupin_desktop.reports.notices import NoticeTerms
from fupin_desktop.reports.public import has_public_form, require_public_form
from fupin_desktop.services.reporting import KINDS, ReportFilter

__all__ = ["Document", "Request", "DOCUMENTS", "BY_KEY", "keys", "get", "generate", "names"]

# What a document can be narrowed by, besides the period.
GROUP = "group"            # 村民小组
CADRE = "cadre"            # 帮扶干部
HOUSEHOLDS = "households"  # chosen households (一户一册 of some households)
BATCH = "batch"            # one 发放批次 (a donation and what was given out of it): 发放签收表


@dataclass(frozen=True)
class Request:
    document: str  # a key (or an old command-line name) of DOCUMENTS
    filter: ReportFilter
    household_ids: tuple[str, ...] = ()
    public: bool = False  # the 公示 form (only documents with public=True have one)
    # the 工作总结 only: drafted as of a day, by the 工作队 ("team") or the 派出单位 ("bureau"), with the figures table
    as_of: date | None = None
    drafter: str = "team"
    appendix: bool = True
    donation_id: str | None = None  # the 发放批次 of a 发放签收表 (documents with the BATCH option)
    notice: NoticeTerms | None = None  # a 公示 notice's 公示期 and 监督电话 (None: from the print date, minimum days)


Build = Callable[..., Path]  # build(services, request, path, *, progress, cancel) -> path


@dataclass(frozen=True)
class Document:
    key: str
    title: str                 # Chinese, as printed
    build: Build
    public: bool = False       # has a 公示 form (reports.public.has_public_form: the one answer)
    options: frozenset[str] = frozenset({GROUP, CADRE})
    aliases: tuple[str, ...] = ()  # other names the command line accepts (older spellings)


def _ledger(kind: str) -> Build:
    def build(services, request: Request, path, *, progress=None, cancel=None) -> Path:
        from fupin_desktop.reports.ledgers import write_ledger_pdf

        ledger = services.reporting.ledger(kind, request.filter)
        return write_ledger_pdf(path, ledger, public=request.public, progress=progress, cancel=cancel)
    return build


def _handbook(services, request: Request, path, *, progress=None, cancel=None) -> Path:
    from fupin_desktop.reports.handbook import write_handbook

    book = services.reporting.handbook(request.filter, list(request.household_ids) or None)
    return write_handbook(path, book, public=request.public, progress=progress, cancel=cancel)


def _diary_book(services, request: Request, path, *, progress=None, cancel=None) -> Path:
    from fupin_desktop.reports.diary_book import write_diary_book

    return write_diary_book(path, services.reporting.diary_book(request.filter), progress=progress, cancel=cancel)


SUMMARY_FORMATS = (".docx", ".pdf")


def summary_format(path) -> str:
    """".docx" (the editable Word file) or ".pdf", by the file name's suffix; ValidationError (Chinese) otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUMMARY_FORMATS:
        raise ValidationError("out", f"工作总结只能保存为 Word 文档（.docx）或 PDF（.pdf）：{Path(path).name}")
    return suffix


def _summary(services, request: Request, path, *, progress=None, cancel=None) -> Path:
    """The draft with her saved sections, as .docx or .pdf by the suffix of ``path``."""
    from fupin_desktop.reports.summary import draft_text

    suffix = summary_format(path)
    flt = request.filter
    fig = services.reporting.summary_figures(flt, request.as_of)
    sections = services.summary_sections.get(flt.period, request.drafter, flt.village_id)
    return write_summary(path, draft_text(fig, sections, request.drafter), fig, appendix=request.appendix,
                         progress=progress, cancel=cancel, suffix=suffix)


def write_summary(path, text: str, fig, *, appendix: bool = True, progress=None, cancel=None,
                  suffix: str | None = None) -> Path:
    """Summary ``text`` (the draft, possibly rewritten) to ``path``: Word or PDF by its suffix."""
    if (suffix or summary_format(path)) == ".docx":
        from fupin_desktop.reports.summary_docx import write_summary_docx

        return write_summary_docx(path, text, fig, appendix=appendix, progress=progress, cancel=cancel)
    from fupin_desktop.reports.summary_pdf import write_summary_pdf

    return write_summary_pdf(path, text, fig, appendix=appendix, progress=progress, cancel=cancel)


def _village_facts(services, request: Request, path, *, progress=None, cancel=None) -> Path:
    from fupin_desktop.reports.village_facts import write_village_facts_pdf
    from fupin_desktop.services.report_book import ReportBookService

    book = ReportBookService(services.ctx)
    flt = request.filter
    return write_village_facts_pdf(path, services.reporting.head(flt), book.facts(flt), len(book.team(flt)),
                                   progress=progress, cancel=cancel)


def _sign_sheet(services, request: Request, path, *, progress=None, cancel=None) -> Path:
    from fupin_desktop.reports.sign_sheet import write_sign_sheet

    if not request.donation_id:
        raise ValidationError("donation", "请选择发放批次（哪一批捐赠或慰问物资的发放）。")
    sheet = services.reporting.sign_sheet(request.donation_id, request.filter)
    return write_sign_sheet(path, sheet, progress=progress, cancel=cancel)


def _suggestions(services, request: Request, path, *, progress=None, cancel=None) -> Path:
    from fupin_desktop.reports.suggestions import build

    return build(services, request, path, progress=progress, cancel=cancel)


def _ledger_title(kind: str) -> str:
    from fupin_desktop.reports.ledgers import TITLES

    return TITLES[kind]


DOCUMENTS: tuple[Document, ...] = tuple(
    Document(kind, _ledger_title(kind), _ledger(kind), public=has_public_form(kind), aliases=(f"ledger-{kind}",))
    for kind in KINDS
) + (
    Document("handbook", "一户一册", _handbook, public=has_public_form("handbook"),
             options=frozenset({GROUP, CADRE, HOUSEHOLDS})),
    Document("diary_book", "民情日记本", _diary_book, public=has_public_form("diary_book"), aliases=("diary-book",)),
    Document("summary", "工作总结", _summary, public=has_public_form("summary")),
    Document("sign_sheet", "发放签收表（按批次）", _sign_sheet, options=frozenset({GROUP, BATCH})),
    Document("team_roster", "驻村工作队花名册", rd.team_roster, options=frozenset()),
    Document("sign_in", "驻村工作队考勤签到表", rd.sign_in_sheets, options=frozenset()),
    Document("meetings", "会议记录（含签到）", rd.meetings, options=frozenset()),
    Document("fund_book", "资金台账（收入/支出/结余）", rd.fund_book, options=frozenset()),
    Document("goods_stock", "捐赠物资收发存台账", rd.goods_stock, options=frozenset()),
    Document("guarantee_checks", "两不愁三保障及饮水安全核查台账", rd.guarantee_checks),
    Document("assets", "项目资产台账", rd.project_assets, options=frozenset({GROUP})),
    Document("notice_monitored", "防返贫监测对象纳入公示", rd.notice("notice_monitored"), public=True),
    Document("notice_eliminated", "防返贫监测对象风险消除公示", rd.notice("notice_eliminated"), public=True),
    Document("notice_donations", "社会捐赠款物公示", rd.notice("notice_donations"), public=True, options=frozenset()),
    Document("notice_projects", "项目公示", rd.notice("notice_projects"), public=True, options=frozenset({GROUP})),
    Document("village_facts", "村基本情况表", _village_facts, options=frozenset({GROUP})),
    Document("suggestions", "意见建议台账", _suggestions, options=frozenset({CADRE})),
)
BY_KEY: dict[str, Document] = {d.key: d for d in DOCUMENTS}
_BY_NAME: dict[str, Document] = {**{a: d for d in DOCUMENTS for a in d.aliases}, **BY_KEY}


def keys() -> tuple[str, ...]:
    return tuple(d.key for d in DOCUMENTS)


def names() -> tuple[str, ...]:
    """Every name the command line accepts: the keys and the older spellings."""
    return tuple(_BY_NAME)


def get(name: str) -> Document:
    """The document of a key or an older name; ValidationError (Chinese, listing the documents) otherwise."""
    doc = _BY_NAME.get(name)
    if doc is None:
        listed = "、".join(f"{d.key}（{d.title}）" for d in DOCUMENTS)
        raise ValidationError("document", f"没有这种文书：{name}。可以生成：{listed}")
    return doc


def generate(services, request: Request, path: str | Path, *, progress=None, cancel=None) -> Path:
    """Write the document of ``request`` to ``path`` and return the path. A 公示 form asked of a document that has
    none is refused (ValidationError), not silently replaced by the internal one."""
    doc = get(request.document)
    if request.public:
        require_public_form(doc.key)  # NoPublicForm (Chinese) for a document without one
    if request.household_ids and HOUSEHOLDS not in doc.options:
        raise ValidationError("households", f"“{doc.title}”不能按户选择。")
    if doc.key != "summary" and (request.as_of is not None or request.drafter != "team"):
        raise ValidationError("as_of", f"截至日期和起草单位只用于工作总结，“{doc.title}”不能这样生成。")
    if progress is not None:
        progress(0, 0, "正在读取数据…")
    return doc.build(services, request, path, progress=progress, cancel=cancel)
