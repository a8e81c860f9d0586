"""Tools for the page-text catalogs (docs/i18n.md): extract the keys, check the catalogs, absorb a text module.

    python -m jiabao.web.catalog extract            # write locale/messages.pot (the keys in code + in the catalogs)
    python -m jiabao.web.catalog update             # extract, then merge the template into both .po files
    python -m jiabao.web.catalog check              # untranslated, fuzzy, mismatched or unknown keys: exit 1
    python -m jiabao.web.catalog compile            # .po -> .mo (what `make setup` does with pybabel compile)
    python -m jiabao.web.catalog absorb jiabao.web.i18n_<branch> [...]   # a dict module's texts into the .po

The catalogs are the source of truth: msgid is the stable key, msgstr the text. Keys built at run time
(``t('rel.' ~ m.relationship.value)``) or passed from Python as data cannot be extracted; they are kept in the
template all the same (marked so), so ``pybabel update`` never makes them obsolete.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from jiabao.web.i18n import DOMAIN, LOCALE_DIR, LOCALES, catalog_path

WEB = Path(__file__).parent
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
KEYWORDS = {"t": None}  # t("key"): the lookup in templates (deps.render) and in page code (i18n.translator)
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
RUNTIME_NOTE = "key built at run time or passed from Python: not found by extraction, kept from the catalogs"
PLACEHOLDER = re.compile(r"%(?:\([a-z_0-9]+\))?[sdif%]|\{[a-zA-Z_0-9]*\}")


class CatalogError(Exception):
    """A catalog change refused (nothing written)."""


def read(locale: str) -> Catalog:
    with catalog_path(locale).open("rb") as f:
        return read_po(f, locale=locale, domain=DOMAIN)


def read_template() -> Catalog:
    with TEMPLATE.open("rb") as f:
        return read_po(f, domain=DOMAIN)


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog)  # Babel's defaults, as `pybabel update` writes it, so edits by either do not churn


def new_catalog(locale: str | None) -> Catalog:
    return Catalog(
        locale=locale,
        domain=DOMAIN,
        project="Jiabao",
        copyright_holder="Jiabao",
        header_comment=f"# Jiabao page texts ({locale or 'template'}). Keys are stable; see docs/i18n.md.\n#",
        fuzzy=False,
    )


def texts(locale: str) -> dict[str, str]:
    """key -> text of every message in the .po (including empty and fuzzy ones, for the checks)."""
    return {str(m.id): str(m.string or "") for m in read(locale) if m.id}


def extracted() -> dict[str, list[tuple[str, int]]]:
    """The keys written literally as t("key") in the web layer's code and templates, with where they are."""
    return {key: list(where) for key, where in _extracted().items()}


@cache
def _extracted() -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(WEB, METHODS, keywords=KEYWORDS):
        if isinstance(message, str) and message:
            found.setdefault(message, []).append((f"src/jiabao/web/{filename}", lineno))
    return found


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@dataclass(frozen=True)
class Problem:
    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.key}: {self.reason}"


def problems() -> list[Problem]:
    """Everything that makes the catalogs unfit to ship: untranslated, fuzzy, keys in one catalog only,
    placeholders differing between the languages, keys used in code that no catalog has."""
    found: list[Problem] = []
    by_locale = {locale: read(locale) for locale in LOCALES}
    keys = {locale: {str(m.id) for m in cat if m.id} for locale, cat in by_locale.items()}
    for locale, cat in by_locale.items():
        for m in cat:
            if not m.id:
                continue
            if not str(m.string or "").strip():
                found.append(Problem(str(m.id), f"untranslated in {locale}"))
            if m.fuzzy:
                found.append(Problem(str(m.id), f"fuzzy in {locale}"))
        for other in LOCALES:
            found.extend(Problem(k, f"in {locale} but not in {other}") for k in sorted(keys[locale] - keys[other]))
    zh, en = (texts(locale) for locale in LOCALES)
    for key in sorted(zh.keys() & en.keys()):
        if placeholders(zh[key]) != placeholders(en[key]):
            found.append(Problem(key, f"placeholders differ: {placeholders(zh[key])} vs {placeholders(en[key])}"))
    known = keys[LOCALES[0]] & keys[LOCALES[1]]
    for key, where in sorted(extracted().items()):
        if key not in known:
            found.append(Problem(key, f"used at {where[0][0]}:{where[0][1]} but in no catalog"))
    return found


def extract() -> Path:
    """Write messages.pot: every extracted key and every catalog key, with the Chinese text as the translator's
    context. No source locations, so the template changes only when keys do."""
    template = new_catalog(None)
    zh, en = (texts(locale) for locale in LOCALES)
    code = extracted()
    for key in sorted(code.keys() | zh.keys() | en.keys()):
        comments = [f"zh: {zh[key]}"] if zh.get(key) else []
        if key not in code:
            comments.append(RUNTIME_NOTE)
        template.add(key, auto_comments=comments)
    with TEMPLATE.open("wb") as f:
        write_po(f, template, omit_header=False, no_location=True)
    return TEMPLATE


def update() -> None:
    """Both catalogs merged with the template, exactly as `pybabel update --no-fuzzy-matching` does: ordered as the
    template, its comments, a key new in the code added untranslated (the checks then fail until translated)."""
    template = read_template()
    for locale in LOCALES:
        cat = read(locale)
        cat.update(template, no_fuzzy_matching=True)
        write(cat, catalog_path(locale))


def compile_all() -> list[Path]:
    written = []
    for locale in LOCALES:
        target = catalog_path(locale, ".mo")
        with target.open("wb") as f:
            write_mo(f, read(locale))
        written.append(target)
    return written


def module_texts(module_name: str) -> dict[str, tuple[str, str]]:
    """The texts of a dict module: its ``*_TEXTS`` dicts of key -> (zh, en), merged in definition order."""
    module = importlib.import_module(module_name)
    merged: dict[str, tuple[str, str]] = {}
    names = [n for n in vars(module) if n.endswith("TEXTS") and isinstance(getattr(module, n), dict)]
    if not names:
        raise CatalogError(f"{module_name} has no *_TEXTS dict")
    for name in names:
        for key, pair in getattr(module, name).items():
            if not (isinstance(key, str) and isinstance(pair, tuple) and len(pair) == 2):
                raise CatalogError(f"{module_name}.{name}[{key!r}] is not key -> (zh, en)")
            merged[key] = (str(pair[0]), str(pair[1]))
    return merged


def absorb(entries: Iterable[tuple[str, tuple[str, str]]]) -> tuple[list[str], list[str]]:
    """Append (key, (zh, en)) entries to both catalogs. A key already there with the same texts is skipped;
    with different texts the whole absorb is refused and nothing is written. Returns (added, skipped)."""
    cats = {locale: read(locale) for locale in LOCALES}
    added: list[str] = []
    skipped: list[str] = []
    conflicts: list[str] = []
    pending = dict(entries)
    for key, (zh, en) in pending.items():
        if not zh.strip() or not en.strip():
            conflicts.append(f"{key}: empty text")
            continue
        if placeholders(zh) != placeholders(en):
            conflicts.append(f"{key}: placeholders differ between {zh!r} and {en!r}")
            continue
        have = [cats[locale].get(key) for locale in LOCALES]
        if all(m is None for m in have):
            added.append(key)
        elif [m.string if m else None for m in have] == [zh, en]:
            skipped.append(key)
        else:
            now = tuple(m.string if m else None for m in have)
            conflicts.append(f"{key}: catalogs have {now}, the module has {(zh, en)}")
    if conflicts:
        raise CatalogError("refused, nothing written:\n  " + "\n  ".join(conflicts))
    for key in added:
        zh, en = pending[key]
        for locale, text in zip(LOCALES, (zh, en), strict=True):
            cats[locale].add(key, text, auto_comments=[f"zh: {zh}"])
    for locale in LOCALES:
        write(cats[locale], catalog_path(locale))
    return added, skipped


def main(argv: Sequence[str]) -> int:
    command, *args = argv or ["help"]
    if command == "extract":
        print(f"wrote {extract()}")
    elif command == "update":
        print(f"wrote {extract()}")
        update()
        print("updated " + ", ".join(str(catalog_path(locale)) for locale in LOCALES))
    elif command == "compile":
        for path in compile_all():
            print(f"wrote {path}")
    elif command == "check":
        found = problems()
        for problem in found:
            print(problem)
        print(f"{len(found)} problem(s)")
        return 1 if found else 0
    elif command == "absorb" and args:
        for name in args:
            try:
                added, skipped = absorb(module_texts(name).items())
            except CatalogError as error:
                print(f"{name}: {error}", file=sys.stderr)
                return 1
            print(f"{name}: {len(added)} added, {len(skipped)} already there with the same texts")
        extract()
        update()
        compile_all()
        print("Now delete the module(s) and their import and TEXTS.update lines in jiabao/web/i18n.py.")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
