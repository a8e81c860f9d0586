"""Answering the step-by-step health questionnaire in the browser (issue 11 item 2)."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def open_documents(page: Page, live_url: str, household_id: int, code: str) -> None:
    """Open the product's terms and 投保须知 (the application needs both), from the product page."""
    page.goto(f"{live_url}/products/{code}?household={household_id}")
    for document in ("terms", "notice"):
        page.get_by_test_id(f"open-{document}").click()
        expect(page.get_by_test_id(f"document-{document}")).to_be_visible()
        page.get_by_test_id("document-done").click()
        expect(page.get_by_test_id(f"seen-{document}")).to_be_visible()


def answer_steps(
    page: Page, values: dict[str, str], disclose: dict[str, tuple[str, dict[str, str]]] | None = None
) -> None:
    """Go through every step: fill the fields present (``values`` by question id: text or the radio's value), tick
    the disclosed conditions and answer their follow-ups (question id → (condition, {follow-up: value})), 否 for
    every other list, then submit from the summary."""
    disclose = disclose or {}
    for _ in range(40):
        if page.get_by_test_id("uw-summary").count():
            break
        form = page.locator("#questionnaire")
        for qid, value in values.items():
            text = form.locator(f"input[type=text][name=q-{qid}]")
            if text.count():
                text.fill(value)
            radio = form.locator(f"input[type=radio][name=q-{qid}][value='{value}']")
            if radio.count():
                radio.check()
        for none in form.locator("[data-testid^=none-]").all():
            qid = (none.get_attribute("data-testid") or "").removeprefix("none-")
            if qid in disclose:
                code, follow = disclose[qid]
                form.locator(f"input[name=q-{qid}-{code}]").check()
                block = page.get_by_test_id(f"reflexive-{code}")
                expect(block).to_be_visible()  # the follow-up appears right under the condition
                for rq, value in follow.items():
                    block.locator(f"input[name=r-{code}-{rq}][value={value}]").check()
            else:
                none.check()
        page.get_by_test_id("uw-next").click()
        expect(page.get_by_test_id("uw-problems")).to_have_count(0)
    page.get_by_test_id("submit-questionnaire").click()
