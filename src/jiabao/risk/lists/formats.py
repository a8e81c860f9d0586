"""List file formats (pure): the OFAC SDN legacy CSV trio and Jiabao's internal-list CSV (``docs/risk.md``).

OFAC legacy CSV: no header; fields quoted; ``-0-`` (with a trailing space) is null; CRLF line ends; the last line
is a single 0x1A byte. ``SDN.csv`` has 12 columns, ``ALT.csv`` 5 (aliases), ``ADD.csv`` 6 (addresses). Birth
dates, nationalities, identity numbers and inline ``a.k.a.`` names are parsed from the free-text Remarks.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

import pycountry

from jiabao.core.errors import FieldProblem, InvalidInput
from jiabao.risk.screening.engine import ListEntry, normalise_id

NULL = "-0-"


def invalid(field: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(en, zh, fields=(FieldProblem(field, "invalid", zh, en),))


OFAC_KINDS = {"individual": "individual", "vessel": "vessel", "aircraft": "aircraft", "": "entity"}


@dataclass(slots=True)
class ParsedEntry:
    """One listed party with everything the files say about it."""

    entry_id: str
    kind: str
    name: str
    aliases: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    id_numbers: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    programs: str = ""
    category: str = ""
    remarks: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def content_hash(self) -> str:
        return hashlib.sha256(json.dumps(self.as_dict(), sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def to_engine(self, list_code: str, version: str | None = None) -> ListEntry:
        return ListEntry(
            list_code=list_code,
            entry_id=self.entry_id,
            kind=self.kind,
            names=(self.name, *self.aliases),
            birth_dates=tuple(self.birth_dates),
            nationalities=tuple(self.nationalities),
            id_numbers=tuple(normalise_id(n) for n in self.id_numbers),
            version=self.content_hash() if version is None else version,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedEntry:
        return cls(**data)


def _clean(value: str) -> str:
    value = value.strip()
    return "" if value in (NULL, "-0-") else value


def _rows(text: str, columns: int) -> Iterator[list[str]]:
    text = text.replace("\x1a", "")
    for row in csv.reader(io.StringIO(text, newline="")):
        if len(row) < columns:
            continue  # the final 0x1A line, blank lines
        yield [_clean(v) for v in row[:columns]]


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# -- Remarks ------------------------------------------------------------------------------------------------------
_MONTHS = {
    m: i
    for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)
}
_DATE_FULL = re.compile(r"^(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})$")
_DATE_MONTH = re.compile(r"^([A-Z][a-z]{2}) (\d{4})$")
_YEAR_RANGE = re.compile(r"^(\d{4}) to (\d{4})$")
_ID_LABELS = re.compile(
    r"^(Passport|National ID No\.|Cedula No\.|Identification Number|Tax ID No\.|NIT #|RFC|C\.U\.R\.P\.|CURP #|"
    r"D\.N\.I\.|SSN|Residency Number|Personal ID Card|Registration ID|Citizen's Card Number|Birth Certificate Number|"
    r"Driver's License No\.|Public Security and Immigration No\.|Kenyan ID No\.|Travel Document Number|"
    r"Numero de Identidad|Registration Number|Stateless Person ID Card|Refugee ID Card|Identity Number)\s+(.+)$"
)
_ID_TOKEN = re.compile(r"^[A-Z0-9][A-Z0-9\-/.]*$")
_AKA = re.compile(r"^[afn]\.k\.a\.\s+'(.*)'\.?$")
_COUNTRY_ALIASES = {
    "russia": "RU", "iran": "IR", "syria": "SY", "korea, north": "KP", "north korea": "KP", "korea, south": "KR",
    "burma": "MM", "venezuela": "VE", "bolivia": "BO", "tanzania": "TZ", "vietnam": "VN", "laos": "LA",
    "moldova": "MD", "kosovo": "XK", "palestinian": "PS", "west bank": "PS", "gaza": "PS", "turkey": "TR",
    "congo, democratic republic of the": "CD", "congo, republic of the": "CG", "cote d ivoire": "CI",
    "taiwan": "TW", "hong kong": "HK", "macau": "MO", "the bahamas": "BS", "bahamas, the": "BS",
    "gambia, the": "GM", "the gambia": "GM", "united kingdom": "GB", "czech republic": "CZ", "brunei": "BN",
    "micronesia, federated states of": "FM", "macedonia": "MK", "north macedonia": "MK", "cape verde": "CV",
    "swaziland": "SZ", "east timor": "TL", "vatican city": "VA", "region: crimea": "UA", "china": "CN",
}  # fmt: skip


@lru_cache(maxsize=2048)
def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 for a country name as OFAC writes it (``None`` when unknown)."""
    key = re.sub(r"[^a-z ,]", " ", name.lower()).strip().strip(".")
    key = re.sub(r"\s+", " ", key)
    if not key:
        return None
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    try:
        return str(pycountry.countries.lookup(key).alpha_2)
    except LookupError:
        pass
    for country in pycountry.countries:
        if getattr(country, "common_name", "").lower() == key or country.name.lower().startswith(key + ","):
            return str(country.alpha_2)
    return None


def parse_date(text: str) -> list[str]:
    """``03 Jan 1976`` → 1976-01-03; ``Jan 1976`` → 1976-01; ``circa 1976`` / ``1976`` → 1976; ranges → years."""
    text = text.strip().rstrip(".")
    if text.startswith("circa "):
        text = text[6:]
    if m := _DATE_FULL.match(text):
        month = _MONTHS.get(m.group(2))
        if month:
            try:
                return [datetime(int(m.group(3)), month, int(m.group(1))).date().isoformat()]  # noqa: DTZ001
            except ValueError:
                return [m.group(3)]
    if (m := _DATE_MONTH.match(text)) and m.group(1) in _MONTHS:
        return [f"{m.group(2)}-{_MONTHS[m.group(1)]:02d}"]
    if m := _YEAR_RANGE.match(text):
        low, high = int(m.group(1)), int(m.group(2))
        return [str(y) for y in range(low, min(high, low + 10) + 1)]
    if re.fullmatch(r"\d{4}", text):
        return [text]
    return []


def parse_remarks(remarks: str, entry: ParsedEntry) -> None:
    """Fill birth dates, nationalities, identity numbers and inline aliases from OFAC's Remarks."""
    for raw in remarks.split(";"):
        part = raw.strip().rstrip(".") if not raw.strip().endswith("'.") else raw.strip()
        if part.startswith("alt. "):
            part = part[5:]
        if part.startswith("DOB "):
            for value in parse_date(part[4:]):
                if value not in entry.birth_dates:
                    entry.birth_dates.append(value)
        elif part.startswith(("nationality ", "citizen ")):
            code = country_code(part.split(" ", 1)[1])
            if code and code not in entry.nationalities:
                entry.nationalities.append(code)
        elif m := _AKA.match(part):
            alias = m.group(1).strip()
            if alias and alias not in entry.aliases and alias != entry.name:
                entry.aliases.append(alias)
        elif m := _ID_LABELS.match(part):
            number = m.group(2).split("(")[0].strip().split(" ")[0]
            usable = _ID_TOKEN.match(number) and any(ch.isdigit() for ch in number)
            if usable and number not in entry.id_numbers:
                entry.id_numbers.append(number)


def parse_ofac(sdn: bytes, alt: bytes | None = None, add: bytes | None = None) -> list[ParsedEntry]:
    """Parse the OFAC SDN legacy CSV files into entries (aliases and addresses joined on ``ent_num``)."""
    entries: dict[str, ParsedEntry] = {}
    for row in _rows(decode(sdn), 12):
        ent_num, name, sdn_type, program, title = row[0], row[1], row[2], row[3], row[4]
        if not ent_num.isdigit() or not name:
            raise invalid("sdn", f"OFAC SDN 文件格式不符：{ent_num[:20]!r}", f"Not an OFAC SDN row: {ent_num[:20]!r}")
        entry = ParsedEntry(
            entry_id=ent_num,
            kind=OFAC_KINDS.get(sdn_type.lower(), "entity"),
            name=name,
            programs=program,
            remarks=row[11],
            category=title,
        )
        parse_remarks(row[11], entry)
        entries[ent_num] = entry
    if not entries:
        raise invalid("sdn", "OFAC SDN 文件为空", "The OFAC SDN file has no records")
    if alt is not None:
        for row in _rows(decode(alt), 5):
            parent = entries.get(row[0])
            if parent is not None and row[3] and row[3] not in parent.aliases:
                parent.aliases.append(row[3])
    if add is not None:
        for row in _rows(decode(add), 6):
            parent = entries.get(row[0])
            if parent is not None:
                address = ", ".join(v for v in (row[2], row[3], row[4]) if v)
                if address:
                    parent.addresses.append(address)
    return list(entries.values())


INTERNAL_COLUMNS = (
    "entry_id", "kind", "name", "aliases", "birth_dates", "nationalities", "id_numbers", "category", "remarks",
)  # fmt: skip
INTERNAL_KINDS = frozenset({"individual", "entity"})
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def parse_internal(data: bytes) -> list[ParsedEntry]:
    """Parse an internal / industry-shared list CSV (UTF-8, header row, ``|`` between several values)."""
    reader = csv.DictReader(io.StringIO(decode(data), newline=""))
    missing = [c for c in ("entry_id", "kind", "name") if c not in (reader.fieldnames or [])]
    if missing:
        raise invalid(
            "file", f"内部名单缺少列：{', '.join(missing)}", f"Internal list lacks columns: {', '.join(missing)}"
        )
    entries: dict[str, ParsedEntry] = {}
    for line, row in enumerate(reader, start=2):
        entry_id = (row.get("entry_id") or "").strip()
        kind = (row.get("kind") or "").strip().lower()
        name = (row.get("name") or "").strip()
        if not entry_id or len(entry_id) > 40 or not name or kind not in INTERNAL_KINDS:
            raise invalid("file", f"第 {line} 行无效", f"Line {line} is not valid")
        dates = _split(row.get("birth_dates") or "")
        if any(not _ISO_DATE.match(d) for d in dates):
            raise invalid("file", f"第 {line} 行出生日期无效", f"Line {line}: birth date not YYYY[-MM[-DD]]")
        nationalities = [n.upper() for n in _split(row.get("nationalities") or "")]
        if any(len(n) != 2 or not n.isalpha() for n in nationalities):
            raise invalid("file", f"第 {line} 行国籍无效", f"Line {line}: nationality not ISO alpha-2")
        entries[entry_id] = ParsedEntry(
            entry_id=entry_id,
            kind=kind,
            name=name,
            aliases=_split(row.get("aliases") or ""),
            birth_dates=dates,
            nationalities=nationalities,
            id_numbers=_split(row.get("id_numbers") or ""),
            category=(row.get("category") or "").strip(),
            remarks=(row.get("remarks") or "").strip(),
        )
    return list(entries.values())


def to_engine_entries(list_code: str, entries: Iterable[ParsedEntry]) -> list[ListEntry]:
    return [e.to_engine(list_code) for e in entries]
