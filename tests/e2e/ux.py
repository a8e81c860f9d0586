"""Checks every customer page must pass in a real browser (issue 11 acceptance): no sideways scrolling at 390 px,
no raw code or English word in Chinese mode, and no serious or critical axe-core violation (WCAG 2.1 AA rules)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from jiabao.config import PROJECT_ROOT

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Latin tokens that are fine in Chinese text: units, medical and document abbreviations, the account prefix.
ALLOWED_LATIN = {"kg", "cm", "mmHg", "IgA", "PDF", "BMI", "HIV", "HPV", "G6PD", "ICD", "CI", "App", "H5"}
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9_]|[A-Za-z]")
# Visible text of the page, without elements marked as another language (the "English" switch) and without
# form values (a customer may type Latin letters).
VISIBLE_TEXT = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script,style,[lang=en],template')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    parts.push(node.textContent);
  }
  return parts.join(' ');
}"""


def scroll_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def too_wide(page: Page) -> list[str]:
    """The innermost elements reaching past the viewport's right edge (what makes a page scroll sideways)."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
              .slice(-6).map(e => e.tagName.toLowerCase() + '.' + e.className + ' '
                + (e.textContent || '').slice(0, 30))"""
        )
    )


def raw_latin(page: Page) -> list[str]:
    """Latin words shown in Chinese mode, apart from units and abbreviations a Chinese reader expects.
    "95xxx" is the hotline's placeholder until the hotline number is a setting (issue 11 item 6)."""
    text = str(page.evaluate(VISIBLE_TEXT)).replace("95xxx", "")
    # Upper-case tokens are account and policy numbers, abbreviations and an ID number's check character X.
    words = {w for w in LATIN.findall(text) if not re.fullmatch(r"[A-Z0-9\-]+", w)}
    return sorted(w for w in words if w not in ALLOWED_LATIN)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations (the npm package, injected from node_modules)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(Path(AXE)))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return list(result)


def page_problems(page: Page, *, phone: bool, chinese: bool = True) -> list[str]:
    """Everything wrong with the page now shown, as readable lines (empty when it passes)."""
    problems = []
    url = page.url
    if phone and (width := scroll_width(page)) > PHONE["width"]:
        problems.append(f"{url}: scrolls sideways at 390 px (document {width} px), wide: {too_wide(page)}")
    if chinese and (words := raw_latin(page)):
        problems.append(f"{url}: raw code or English in Chinese mode: {words[:12]}")
    for v in axe_violations(page):
        problems.append(f"{url}: axe {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}")
    return problems
