"""Complaint pages without a browser: the customer files a complaint about a claim from the family's page, the
handler decides it, the letter reaches the customer, the family's history shows it, the monthly analysis (page
and PDF) and the dashboard count it, and the ESG report PDF is in Chinese."""

from __future__ import annotations

import io
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader

from jiabao.runtime import Runtime
from tests.voice.flow import family_with_claim, staff
from tests.web.test_pages import csrf, log_in


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_complaint_from_page_to_letter_to_reports(app: FastAPI, client: TestClient, runtime: Runtime) -> None:
    team = staff(runtime)
    covered, claim_id = family_with_claim(client, runtime)
    log_in(client, "zhang")
    page = client.get(f"/households/{covered.household_id}")
    assert f'href="/households/{covered.household_id}/complaints"' in page.text
    listing = client.get(f"/households/{covered.household_id}/complaints")
    assert "我要投诉" in listing.text and "暂无投诉记录" in listing.text
    token = csrf(client, f"/households/{covered.household_id}/complaints")
    empty = client.post(f"/households/{covered.household_id}/complaints", data={"csrf_token": token, "summary": ""})
    assert empty.status_code == 422 and "field-error" in empty.text
    filed = client.post(
        f"/households/{covered.household_id}/complaints",
        data={"csrf_token": token, "claim_id": str(claim_id), "summary": "理赔款迟迟不到账，一直说在审核"},
        follow_redirects=False,
    )
    assert filed.status_code == 303
    complaint_url = filed.headers["location"].split("?")[0]
    detail = client.get(complaint_url)
    ref = re.search(r'data-testid="complaint-ref">([^<]+)<', detail.text).group(1)  # type: ignore[union-attr]
    assert "投诉已受理" in client.get(filed.headers["location"]).text and "理赔纠纷" in detail.text
    with TestClient(app) as staff_client:
        assert 'data-testid="complaint-team"' not in detail.text  # staff details are not shown to the customer
        out = client.get(f"/api{complaint_url.replace('/complaints', '/v1/complaints')}", headers=covered.headers)
        handler = "claims_a" if out.json()["handler_id"] == team.claims_a.user_id else "claims_b"
        log_in(staff_client, handler)
        form = staff_client.get(complaint_url)
        assert 'data-testid="decision-form"' in form.text
        decided = staff_client.post(
            f"{complaint_url}/decision",
            data={
                "csrf_token": csrf(staff_client, complaint_url),
                "outcome": "upheld",
                "facts": "付款延迟",
                "basis": "保险合同第十二条",
                "reasons": "付款时效未达标",
                "remedy": "补付利息",
                "root_cause": "付款批处理故障",
                "action": "增加失败告警",
            },
            follow_redirects=False,
        )
        assert decided.status_code == 303
        log_in(staff_client, "admin1")
        month = f"{runtime.clock.today():%Y-%m}"
        monthly = staff_client.get(f"/reports/complaints-monthly?month={month}")
        assert monthly.status_code == 200
        assert re.search(r'data-testid="monthly-total">1<', monthly.text)
        assert re.search(r'data-category="claims"><td>理赔纠纷</td><td>1</td><td>100.00%', monthly.text)
        assert "<svg" in monthly.text and "付款批处理故障" in monthly.text
        pdf = staff_client.get(f"/reports/complaints-monthly.pdf?month={month}")
        assert pdf.headers["content-type"] == "application/pdf" and "投诉分析报告" in _text(pdf.content)
        year = runtime.clock.today().year
        dash = staff_client.get(f"/dashboard?year={year}")
        assert re.search(r'data-kpi="complaints_total" data-value="1"', dash.text)
        assert re.search(r'data-kpi="claims_online_rate" data-value="100.0"', dash.text)
        esg = _text(staff_client.get(f"/reports/esg.pdf?year={year}").content)
        assert f"{year}年度环境、社会及治理（ESG）报告" in esg and "线上理赔率" in esg and "家庭账户总数" in esg
    letter_page = client.get(complaint_url)
    assert "已作出处理决定" in letter_page.text and 'data-testid="letter-link"' in letter_page.text
    letter = client.get(f"{complaint_url}/letter.pdf")
    assert letter.status_code == 200 and ref in _text(letter.content)
    history = client.get(f"/households/{covered.household_id}/complaints")
    assert ref in history.text and "已作出处理决定" in history.text
