"""Page texts in Simplified Chinese (first) and English, served from the gettext catalogs.

The texts live in ``web/locale/{zh_CN,en}/LC_MESSAGES/messages.po`` (msgid = the stable key, msgstr = the text);
``make setup`` compiles them to ``messages.mo``, which is what is read here. A ``.mo`` missing or older than its
``.po`` (a translator's edit, a fresh worktree) is compiled in memory from the ``.po`` with a warning, so pages
never break. A key in no catalog shows itself (and is recorded in ``MISSING`` so the page tests fail on it).
How translators work, and how a branch's text module is absorbed: docs/i18n.md.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

log = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
LOCALES = ("zh_CN", "en")  # the first is the source language (Chinese first)

# Registration point for a branch's text module (``web/i18n_<branch>.py``, a dict key -> (zh, en)) that is not
# absorbed into the catalogs yet: ``from jiabao.web.i18n_<branch> import <BRANCH>_TEXTS`` above and
# ``TEXTS.update(<BRANCH>_TEXTS)`` below. Looked up after the catalogs. Empty on main: the integrator runs
# ``python -m jiabao.web.catalog absorb jiabao.web.i18n_<branch>`` and then deletes the module and both lines.
TEXTS: dict[str, tuple[str, str]] = {}

MISSING: set[str] = set()  # keys looked up and found nowhere since start (the page tests assert it stays empty)


def catalog_path(locale: str, suffix: str = ".po") -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@cache
def messages(locale: str) -> dict[str, str]:
    """The locale's translations, key -> text, from the compiled ``.mo`` (compiled in memory when stale)."""
    po, mo = catalog_path(locale), catalog_path(locale, ".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as f:
            compiled = read_mo(f)
    else:
        log.warning(
            "%s is %s: compiling %s in memory (run `make setup`)", mo, "stale" if mo.exists() else "missing", po
        )
        with po.open("rb") as f:
            source = read_po(f, locale=locale, domain=DOMAIN)
        buffer = io.BytesIO()
        write_mo(buffer, source)  # the same compilation as `pybabel compile`: fuzzy and empty entries left out
        buffer.seek(0)
        compiled = read_mo(buffer)
    return {str(m.id): str(m.string) for m in compiled if m.id and m.string}


def translator(language: str) -> Callable[[str], str]:
    """The lookup for a page language ("zh" or "en"): key -> text; a key found nowhere shows itself."""
    index = 1 if language == "en" else 0
    texts = messages(LOCALES[index])

    def t(key: str) -> str:
        text = texts.get(key)
        if text is not None:
            return text
        pair = TEXTS.get(key)
        if pair is not None:
            return pair[index]
        if key not in MISSING:
            MISSING.add(key)
            log.warning("page text %r is in no catalog", key)
        return key

    return t
