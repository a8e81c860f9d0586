"""The electronic policy (电子保险单) as an A4 PDF: schedule, members, cover, premiums, cash values.

``render_policy_pdf`` is pure: the same ``PolicyDocument`` gives the same bytes (no clock, no database).
Tables split across pages with their header row repeated; every page is numbered "第 x 页 / 共 y 页".
"""

from __future__ import annotations

from typing import TypeAlias
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from jiabao.core.money import format_yuan
from jiabao.documents.labels import (
    check_language,
    format_date,
    format_frequency,
    format_relationship,
    format_share,
    format_term,
    label,
)
from jiabao.documents.layout import FRAME_WIDTH, PageFurniture, build_pdf
from jiabao.documents.model import CashValueTable, PolicyDocument
from jiabao.documents.privacy import ensure_no_clear_pii
from jiabao.documents.styles import Styles, grid_style, make_styles

Cell: TypeAlias = str | Paragraph


def render_policy_pdf(doc: PolicyDocument, *, language: str = "zh") -> bytes:
    """Render the electronic policy in ``language`` ("zh" or "en") and return the PDF bytes."""
    lang = check_language(language)
    styles = make_styles(lang)
    product = doc.product_name_zh if lang == "zh" else doc.product_name_en
    furniture = PageFurniture(
        running_head=f"{label(lang, 'running_head')}  |  {label(lang, 'policy_number')} {doc.policy_number}",
        page_label=lambda page, total: label(lang, "page", page=page, total=total),
        title=f"{product} {doc.policy_number}",
        subject=label(lang, "title"),
        language=lang,
    )
    return build_pdf(lambda: _story(doc, lang, styles), furniture)


def _story(doc: PolicyDocument, lang: str, st: Styles) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph(_text(f"{label(lang, 'company')} {label(lang, 'title')}"), st.title),
        Paragraph(_text(f"{doc.product_name_zh} · {doc.product_name_en}"), st.subtitle),
    ]
    story += _schedule(doc, lang, st)
    story += _members(doc, lang, st)
    story += _cover(doc, lang, st)
    story += _special_terms(doc, lang, st)
    story += _beneficiaries(doc, lang, st)
    story += _notes(doc, lang, st)
    for table in doc.cash_values:
        story += _cash_values(table, lang, st)
    return story


def _text(value: str) -> str:
    """Escape for reportlab's mini-markup and refuse clear personal data at the last step."""
    return escape(ensure_no_clear_pii(value, where="policy document"))


def _table(rows: list[list[Cell]], widths: list[float], st: Styles, *, header: bool = True) -> Table:
    cells = [[_cell(value, st, header and i == 0) for value in row] for i, row in enumerate(rows)]
    table = Table(cells, colWidths=[w * FRAME_WIDTH for w in widths], repeatRows=1 if header else 0)
    table.setStyle(grid_style(len(rows), header=header))
    return table


def _cell(value: Cell, st: Styles, head: bool) -> Paragraph:
    if isinstance(value, Paragraph):
        return value
    return Paragraph(_text(value), st.head_cell if head else st.cell)


def _money(value: str, st: Styles) -> Paragraph:
    return Paragraph(_text(value), st.cell_right)


def _section(title: str, st: Styles) -> Paragraph:
    return Paragraph(_text(title), st.heading)


def _schedule(doc: PolicyDocument, lang: str, st: Styles) -> list[Flowable]:
    product = doc.product_name_zh if lang == "zh" else doc.product_name_en
    pairs = [
        ("policy_number", doc.policy_number),
        ("product", product),
        ("issue_date", format_date(doc.issue_date, lang)),
        ("cooling_off_end", format_date(doc.cooling_off_end, lang)),
        ("waiting_period", label(lang, "waiting_days", days=doc.waiting_period_days)),
        ("hotline", doc.service_hotline),
    ]
    rows: list[list[Cell]] = [[label(lang, key), value] for key, value in pairs]
    rows.append([label(lang, "policyholder"), f"{doc.policyholder.name}  {doc.policyholder.masked_id}"])
    return [_section(label(lang, "schedule"), st), _table(rows, [0.28, 0.72], st, header=False)]


def _members(doc: PolicyDocument, lang: str, st: Styles) -> list[Flowable]:
    head = [label(lang, k) for k in ("name", "relationship", "id_number", "age")]
    rows: list[list[Cell]] = [head]
    for m in doc.insured:
        rows.append([m.name, format_relationship(m.relationship, lang), m.masked_id, str(m.age)])
    return [_section(label(lang, "insured"), st), _table(rows, [0.2, 0.25, 0.4, 0.15], st)]


def _cover(doc: PolicyDocument, lang: str, st: Styles) -> list[Flowable]:
    keys = ("name", "sum_assured", "premium", "frequency", "payment_term", "cover_term")
    rows: list[list[Cell]] = [[label(lang, k) for k in keys]]
    for m in doc.insured:
        rows.append(
            [
                m.name,
                _money(format_yuan(m.sum_assured), st),
                _money(format_yuan(m.premium), st),
                format_frequency(m.frequency, lang),
                format_term(m.payment_term, lang),
                format_term(m.cover_term, lang),
            ]
        )
    for freq, total in doc.premium_totals().items():
        name = label(lang, "total_for", frequency=format_frequency(freq, lang))
        rows.append([name, "", _money(format_yuan(total), st), format_frequency(freq, lang), "", ""])
    widths = [0.18, 0.18, 0.18, 0.12, 0.16, 0.18]
    return [_section(label(lang, "cover"), st), _table(rows, widths, st)]


def _special_terms(doc: PolicyDocument, lang: str, st: Styles) -> list[Flowable]:
    if not doc.special_terms:
        return []
    return [_section(label(lang, "special_terms"), st), *(Paragraph(_text(t), st.body) for t in doc.special_terms)]


def _beneficiaries(doc: PolicyDocument, lang: str, st: Styles) -> list[Flowable]:
    title = _section(label(lang, "beneficiaries"), st)
    if not doc.beneficiaries:
        return [title, Paragraph(_text(label(lang, "legal_heirs")), st.body)]
    rows: list[list[Cell]] = [[label(lang, "name"), label(lang, "relationship"), label(lang, "share")]]
    for b in doc.beneficiaries:
        relationship = format_relationship(b.relationship, lang) if b.relationship else ""
        rows.append([b.name, relationship, format_share(b.share_percent)])
    return [title, _table(rows, [0.4, 0.35, 0.25], st)]


def _notes(doc: PolicyDocument, lang: str, st: Styles) -> list[Flowable]:
    end = format_date(doc.cooling_off_end, lang)
    paragraphs = [
        doc.cooling_off_disclosure or label(lang, "cooling_off_text", end=end),
        doc.surrender_disclosure or label(lang, "surrender_text"),
        label(lang, "waiting_text", days=doc.waiting_period_days),
        *doc.extra,
    ]
    family = doc.family_account_note or label(lang, "family_note")
    return [
        _section(label(lang, "notes"), st),
        *(Paragraph(_text(p), st.body) for p in paragraphs),
        KeepTogether([_section(label(lang, "family_account"), st), Paragraph(_text(family), st.body)]),
        Spacer(1, 4),
    ]


def _cash_values(table: CashValueTable, lang: str, st: Styles) -> list[Flowable]:
    rows: list[list[Cell]] = [[label(lang, k) for k in ("policy_year", "age_at_year_end", "cash_value")]]
    for row in table.rows:
        rows.append([str(row.policy_year), str(row.age), _money(format_yuan(row.cash_value), st)])
    title = _section(label(lang, "cash_values_for", name=table.insured_name), st)
    return [title, _table(rows, [0.3, 0.3, 0.4], st)]
