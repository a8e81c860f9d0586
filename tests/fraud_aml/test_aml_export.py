"""The report file format (docs/risk.md): header line, column line, one record a line, round trip."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from jiabao.risk.aml import export


def record(**kw: object) -> export.ReportRecord:
    base: dict[str, object] = {
        "case_no": "LV2026112600000001",
        "rule": "natural_transfer_500k",
        "day": date(2026, 11, 23),
        "amount": Decimal("600000"),
        "customer_name": "张伟",
        "id_type": "resident_id",
        "id_number": "110105198503140011",
        "policy_nos": ("P1", "P2"),
        "due_on": date(2026, 11, 30),
        "direction": "in",
        "txn_count": 2,
    }
    base.update(kw)
    return export.ReportRecord(**base)  # type: ignore[arg-type]


def test_large_value_file_round_trips() -> None:
    text = export.render("LVTR", "LVTR-20261126-0001", date(2026, 11, 26), [record()])
    assert text.splitlines()[0] == "#JBAML,1.0,LVTR,LVTR-20261126-0001,JIABAO-LIFE,2026-11-26,1"
    assert "\r\n" in text
    header, rows = export.parse(text)
    assert header["kind"] == "LVTR" and header["records"] == "1"
    assert list(rows[0]) == list(export.LVTR_COLUMNS)
    assert rows[0]["total_cny"] == "600000.00" and rows[0]["policy_nos"] == "P1;P2"
    assert rows[0]["id_number"] == "110105198503140011" and rows[0]["due_on"] == "2026-11-30"


def test_suspicious_file_keeps_the_analysis_on_one_line() -> None:
    rec = record(
        rule="third_party_payer", analysis="付款人与投保人无关，\n资金来源不明", confirmed_on=date(2026, 11, 24)
    )
    text = export.render("STR", "STR-20261126-0001", date(2026, 11, 26), [rec])
    _, rows = export.parse(text)
    assert list(rows[0]) == list(export.STR_COLUMNS)
    assert rows[0]["analysis"] == "付款人与投保人无关， 资金来源不明"
    assert rows[0]["confirmed_on"] == "2026-11-24"
    assert len(text.splitlines()) == 3
