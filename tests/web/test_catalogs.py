"""The page-text catalogs (issue 11 item 3): every message translated in both languages, no fuzzy entry, the same
keys and placeholders in zh_CN and en, every key the code and templates use present, the stale-.mo fallback, the
"missing key shows itself" behaviour, and the absorb tool that converts a branch's text module."""

from __future__ import annotations

import logging
import re
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient

from jiabao.core.auth import Role
from jiabao.family.enums import LifeEventKind, LifeStage, Region, Relationship, Sex
from jiabao.family.schemas import ID_TYPES
from jiabao.products.schema import Frequency
from jiabao.voice.routing import TEAM_ZH
from jiabao.voice.taxonomy import CHANNEL_ZH, LABELS_ZH, PRODUCT_LINE_ZH, REGION_ZH, STATUS_ZH
from jiabao.web import catalog, i18n

TEMPLATES = Path(i18n.__file__).parent / "templates"
ZH, EN = i18n.LOCALES


@pytest.fixture(scope="module")
def po() -> dict[str, dict[str, str]]:
    return {locale: catalog.texts(locale) for locale in i18n.LOCALES}


def test_every_message_has_a_translation_in_both_languages(po: dict[str, dict[str, str]]) -> None:
    untranslated = {locale: sorted(k for k, text in texts.items() if not text.strip()) for locale, texts in po.items()}
    assert untranslated == {ZH: [], EN: []}
    assert len(po[ZH]) > 1500  # the catalogs hold every page text (1,561 at the conversion)


def test_both_catalogs_have_the_same_keys(po: dict[str, dict[str, str]]) -> None:
    assert sorted(po[ZH].keys() - po[EN].keys()) == []
    assert sorted(po[EN].keys() - po[ZH].keys()) == []


def test_no_fuzzy_entry() -> None:
    # `pybabel compile` leaves fuzzy entries out, so a fuzzy message would show its raw key on a page.
    fuzzy = {locale: [str(m.id) for m in catalog.read(locale) if m.id and m.fuzzy] for locale in i18n.LOCALES}
    assert fuzzy == {ZH: [], EN: []}


def test_chinese_catalog_is_chinese(po: dict[str, dict[str, str]]) -> None:
    # A zh_CN text that is only Latin letters is an English text pasted in the wrong catalog.
    latin_only = [k for k, text in po[ZH].items() if re.fullmatch(r"[\sA-Za-z.,'()/-]{4,}", text)]
    assert latin_only == ["nav.language"]  # the switch to English is written in English (marked lang="en")


def test_placeholders_match_between_languages(po: dict[str, dict[str, str]]) -> None:
    # The templates fill %s with |format(...): a placeholder missing in one language drops or breaks a value.
    assert catalog.placeholders("第%s步，共%s步") == ["%s", "%s"]
    assert catalog.placeholders("{name}的保额") == ["{name}"]
    differ = {
        k: (po[ZH][k], po[EN][k])
        for k in po[ZH].keys() & po[EN].keys()
        if catalog.placeholders(po[ZH][k]) != catalog.placeholders(po[EN][k])
    }
    assert differ == {}
    assert any(catalog.placeholders(text) for text in po[ZH].values())  # the check has something to compare


def test_every_key_in_code_and_templates_is_in_the_catalogs(po: dict[str, dict[str, str]]) -> None:
    used = catalog.extracted()
    assert "app.name" in used and "visit.title" in used  # extraction reads the templates (Jinja)
    missing = {k: where[0] for k, where in used.items() if k not in po[ZH]}
    assert missing == {}


def test_runtime_key_families_are_covered(po: dict[str, dict[str, str]]) -> None:
    """Keys built at run time (t('rel.' ~ m.relationship.value)) cannot be extracted: every value of the codes
    they are built from has its text, and every prefix a template builds a key from exists."""
    families = {
        "rel.": [r.value for r in Relationship],
        "sex.": [s.value for s in Sex],
        "stage.": [s.value for s in LifeStage] + [f"{s.value}.advice" for s in LifeStage],
        "region.": [r.value for r in Region],
        "event.": [e.value for e in LifeEventKind],
        "idtype.": list(ID_TYPES),
        "freq.": [f.value for f in Frequency],
        "role.": [r.value for r in Role],
        "vcat.": list(LABELS_ZH),
        "vregion.": list(REGION_ZH),
        "vchannel.": list(CHANNEL_ZH),
        "vstatus.": list(STATUS_ZH),
        "vline.": list(PRODUCT_LINE_ZH),
        "vteam.": list(TEAM_ZH),
    }
    missing = [prefix + code for prefix, codes in families.items() for code in codes if prefix + code not in po[ZH]]
    assert missing == []
    built = re.compile(r"""\bt\(\s*'([a-z_.\-]+)'\s*~""")
    prefixes = {m for path in TEMPLATES.rglob("*.html") for m in built.findall(path.read_text(encoding="utf-8"))}
    assert "rel." in prefixes and len(prefixes) > 50
    unknown = sorted(p for p in prefixes if not any(k.startswith(p) for k in po[ZH]))
    assert unknown == []


def test_template_lists_every_catalog_and_extracted_key(po: dict[str, dict[str, str]]) -> None:
    # messages.pot is what `python -m jiabao.web.catalog extract` writes: `pybabel update` from it keeps every key.
    template = {str(m.id) for m in catalog.read_template() if m.id}
    assert template == set(po[ZH]) | set(catalog.extracted())


# ---- the loader ------------------------------------------------------------------------------------------------


@pytest.fixture
def locale_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The catalogs copied to a temporary directory the loader and the tools read instead."""
    target = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, target, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "LOCALE_DIR", target)
    monkeypatch.setattr(catalog, "TEMPLATE", target / "messages.pot")
    i18n.messages.cache_clear()
    yield target
    i18n.messages.cache_clear()


def test_loader_reads_the_compiled_mo(locale_copy: Path) -> None:
    catalog.compile_all()
    mo = i18n.catalog_path(EN, ".mo")
    assert mo.exists() and mo.stat().st_mtime >= i18n.catalog_path(EN).stat().st_mtime
    assert i18n.translator("en")("app.tagline") == "Insurance for the whole family"
    assert i18n.translator("zh")("app.tagline") == "以家庭为单位的保障平台"


def test_missing_or_stale_mo_is_compiled_in_memory_with_a_warning(
    locale_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="jiabao.web.i18n"):
        assert i18n.translator("zh")("nav.home") == "首页"  # no .mo at all
    assert "missing" in caplog.text
    catalog.compile_all()
    po_path = i18n.catalog_path(ZH)
    edited = po_path.read_text(encoding="utf-8").replace('msgstr "首页"', 'msgstr "主页"', 1)
    time.sleep(0.01)
    po_path.write_text(edited, encoding="utf-8")  # a translator's edit, not compiled yet
    i18n.messages.cache_clear()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="jiabao.web.i18n"):
        assert i18n.translator("zh")("nav.home") == "主页"
    assert "stale" in caplog.text


def test_fuzzy_or_empty_entries_are_not_served(locale_copy: Path) -> None:
    po_path = i18n.catalog_path(EN)
    text = po_path.read_text(encoding="utf-8")
    text = text.replace('msgid "nav.home"\nmsgstr "Home"', '#, fuzzy\nmsgid "nav.home"\nmsgstr "Home"', 1)
    text = text.replace('msgid "nav.logout"\nmsgstr "Log out"', 'msgid "nav.logout"\nmsgstr ""', 1)
    po_path.write_text(text, encoding="utf-8")
    t = i18n.translator("en")
    assert (t("nav.home"), t("nav.logout")) == ("nav.home", "nav.logout")  # shown raw: the page checks see it
    assert {str(p) for p in catalog.problems()} >= {"nav.home: fuzzy in en", "nav.logout: untranslated in en"}
    i18n.MISSING.clear()  # the two lookups above were on purpose


def test_missing_key_shows_itself_and_is_recorded() -> None:
    i18n.MISSING.discard("no.such.key")
    assert i18n.translator("zh")("no.such.key") == "no.such.key"
    assert i18n.translator("en")("no.such.key") == "no.such.key"
    assert "no.such.key" in i18n.MISSING  # what tests/conftest.py fails a rendering test on
    i18n.MISSING.clear()


def test_a_key_missing_from_the_catalogs_is_caught_on_a_rendered_page(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard behind every page test (tests/conftest.py): a text dropped from the catalogs shows its key on the
    page, in Chinese and in English, and is recorded, so the test that rendered the page fails."""
    served = i18n.messages

    def without_help(locale: str) -> dict[str, str]:
        return {k: v for k, v in served(locale).items() if k != "login.help"}

    monkeypatch.setattr(i18n, "messages", without_help)
    for lang in ("zh", "en"):
        i18n.MISSING.clear()
        page = client.get(f"/login?lang={lang}").text
        assert "login.help" in page and sorted(i18n.MISSING) == ["login.help"]
    monkeypatch.undo()
    i18n.MISSING.clear()
    page = client.get("/login?lang=zh").text
    assert "login.help" not in page and "忘记密码" in page and not i18n.MISSING


def test_the_catalogs_check_passes() -> None:
    assert [str(p) for p in catalog.problems()] == []


# ---- a branch's text module: registration until absorbed, then absorb --------------------------------------


@pytest.fixture
def branch_module(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    module = ModuleType("jiabao.web.i18n_testbranch")
    module.TESTBRANCH_TEXTS = {  # type: ignore[attr-defined]
        "tb.title": ("测试分支", "Test branch"),
        "tb.count": ("共%s项", "%s items"),
        "nav.home": ("首页", "Home"),  # already in the catalogs with the same texts: skipped
    }
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module


def test_registered_module_is_served_until_absorbed(branch_module: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "TEXTS", dict(branch_module.TESTBRANCH_TEXTS))
    assert i18n.translator("zh")("tb.title") == "测试分支"
    assert i18n.translator("en")("tb.count") == "%s items"
    assert i18n.translator("en")("nav.home") == "Home"  # the catalogs come first


def test_pending_registered_texts_are_well_formed(po: dict[str, dict[str, str]]) -> None:
    # On a branch that registered its module in i18n.TEXTS: texts present, placeholders matching, and no key that
    # the catalogs have with other texts (absorb would refuse it at merge time).
    bad = [
        key
        for key, (zh, en) in i18n.TEXTS.items()
        if not zh.strip()
        or not en.strip()
        or catalog.placeholders(zh) != catalog.placeholders(en)
        or (key in po[ZH] and (po[ZH][key], po[EN][key]) != (zh, en))
    ]
    assert bad == []


def test_absorb_appends_to_both_catalogs(branch_module: ModuleType, locale_copy: Path) -> None:
    assert catalog.main(["absorb", branch_module.__name__]) == 0
    zh, en = catalog.texts(ZH), catalog.texts(EN)
    assert (zh["tb.title"], en["tb.title"]) == ("测试分支", "Test branch")
    assert (zh["tb.count"], en["tb.count"]) == ("共%s项", "%s items")
    assert "tb.title" in {str(m.id) for m in catalog.read_template()}
    i18n.messages.cache_clear()
    assert i18n.translator("en")("tb.title") == "Test branch"  # compiled by absorb
    assert catalog.problems() == []


def test_absorb_refuses_a_key_with_other_texts_and_writes_nothing(
    branch_module: ModuleType, locale_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    branch_module.TESTBRANCH_TEXTS["nav.logout"] = ("登出", "Sign out")  # type: ignore[attr-defined]
    before = {locale: i18n.catalog_path(locale).read_bytes() for locale in i18n.LOCALES}
    assert catalog.main(["absorb", branch_module.__name__]) == 1
    assert "nav.logout" in capsys.readouterr().err
    assert {locale: i18n.catalog_path(locale).read_bytes() for locale in i18n.LOCALES} == before


def test_absorb_refuses_untranslated_or_mismatched_placeholders(locale_copy: Path) -> None:
    with pytest.raises(catalog.CatalogError, match="empty text"):
        catalog.absorb([("tb.empty", ("空", ""))])
    with pytest.raises(catalog.CatalogError, match="placeholders differ"):
        catalog.absorb([("tb.count", ("共%s项", "items"))])
    assert "tb.empty" not in catalog.texts(ZH)
