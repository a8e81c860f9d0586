"""The electronic policy PDF: Chinese text extracted back with pypdf, tables across pages, page numbers."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from pypdf import PdfReader

from jiabao.documents import PolicyDocument, render_policy_pdf
from jiabao.documents.privacy import CLEAR_ID_RE, CLEAR_MOBILE_RE


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_chinese_text_comes_back_out(policy_document: PolicyDocument) -> None:
    pdf = render_policy_pdf(policy_document)
    assert pdf.startswith(b"%PDF-")
    text = "\n".join(pages_text(pdf))
    assert "JB2026000123" in text
    assert "家保家庭重大疾病保险" in text
    for name in ("张伟", "李娜", "张小明"):
        assert name in text
    assert "¥8,632.40" in text
    assert "¥14,752.40" in text  # the annual total of the two annual members
    assert "犹豫期" in text and "不超过 10 元的工本费" in text
    assert "退保损失" in text
    assert re.search(r"(?m)^1\n47\n\s*¥1,234\.56$", text), "cash-value row year 1, age 47 missing"


def test_schedule_members_and_beneficiaries(policy_document: PolicyDocument) -> None:
    text = "\n".join(pages_text(render_policy_pdf(policy_document)))
    for label in ("保单信息", "投保人", "被保险人", "保障与保费", "身故保险金受益人", "家庭账户", "现金价值表"):
        assert label in text
    assert "2026年11月26日" in text and "2026年12月11日" in text
    assert "90 天" in text and "400-800-9595" in text
    assert "配偶" in text and "子女" in text and "60%" in text and "40%" in text
    assert "终身" in text and "20年" in text and "至70周岁" in text and "月交" in text
    assert "¥500,000.00" in text


def test_only_masked_ids_in_the_document(policy_document: PolicyDocument) -> None:
    text = "\n".join(pages_text(render_policy_pdf(policy_document)))
    assert "110105********123X" in text
    assert not CLEAR_ID_RE.search(text)
    assert not CLEAR_MOBILE_RE.search(text)


def test_legal_heirs_when_no_beneficiary_is_named(make_policy: Callable[..., PolicyDocument]) -> None:
    text = "\n".join(pages_text(render_policy_pdf(make_policy(beneficiaries=()))))
    assert "法定继承人" in text


def test_every_page_is_numbered(make_policy: Callable[..., PolicyDocument]) -> None:
    texts = pages_text(render_policy_pdf(make_policy(years=100)))
    total = len(texts)
    assert total >= 3
    for number, text in enumerate(texts, start=1):
        assert f"第 {number} 页 / 共 {total} 页" in text
        assert "JB2026000123" in text  # running head


def test_cash_value_table_breaks_across_pages_with_repeated_header(
    make_policy: Callable[..., PolicyDocument],
) -> None:
    texts = pages_text(render_policy_pdf(make_policy(years=100)))
    pages_with_rows = [t for t in texts if "¥1,234.56" in t or re.search(r"¥\d{2,3},\d{3}\.56", t)]
    assert len(pages_with_rows) >= 2
    for text in pages_with_rows:
        assert "保单年度末" in text and "现金价值（元）" in text
    joined = "\n".join(texts)
    for year in (1, 50, 100):  # every row printed exactly once, the last one included
        value = f"¥{year * 1234:,}.56"
        assert len(re.findall(rf"(?m)^{year}\n{year + 46}\n\s*{re.escape(value)}$", joined)) == 1


def test_english_edition(policy_document: PolicyDocument) -> None:
    texts = pages_text(render_policy_pdf(policy_document, language="en"))
    text = "\n".join(texts)
    assert "Jiabao Family Critical Illness Insurance" in text
    assert "Cooling-off period" in text and "Surrender loss" in text
    assert "26 Nov 2026" in text and "whole of life" in text
    assert f"Page 1 of {len(texts)}" in texts[0]
    assert "张伟" in text  # Chinese names still render in the English edition


def test_long_chinese_text_wraps_and_survives(make_policy: Callable[..., PolicyDocument]) -> None:
    note = "家庭成员经授权可以代为办理保全与理赔业务，长者客户可申请免费纸质保单邮寄服务。" * 6
    doc = make_policy()
    doc = PolicyDocument(**{**doc.__dict__, "extra": (note,)})
    text = "\n".join(pages_text(render_policy_pdf(doc)))
    assert note not in text  # broken over several lines …
    assert note in text.replace("\n", "")  # … with no character lost


def test_rendering_is_deterministic(policy_document: PolicyDocument) -> None:
    assert render_policy_pdf(policy_document) == render_policy_pdf(policy_document)


def test_uses_the_builtin_cid_font(policy_document: PolicyDocument) -> None:
    reader = PdfReader(io.BytesIO(render_policy_pdf(policy_document)))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    base_fonts = {str(fonts[key].get_object()["/BaseFont"]) for key in fonts}
    assert any("STSong-Light" in name for name in base_fonts)


def test_premium_totals_by_frequency(policy_document: PolicyDocument) -> None:
    totals = policy_document.premium_totals()
    assert {str(k): v for k, v in totals.items()} == {"annual": Decimal("14752.40"), "monthly": Decimal("180.25")}


def test_unknown_language_is_refused(policy_document: PolicyDocument) -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        render_policy_pdf(policy_document, language="fr")
