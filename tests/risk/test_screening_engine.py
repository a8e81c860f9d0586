"""The name-screening engine: Chinese names against romanised lists, foreign names, typos, corroboration and the
decisions (issue 13, item 2)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from jiabao.risk.lists.formats import parse_ofac, to_engine_entries
from jiabao.risk.screening.engine import ListEntry, ScreeningIndex, Subject, screen_shard
from jiabao.risk.screening.names import name_forms, skeleton, to_simplified

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "watchlists"
if not DATA.is_dir():
    DATA = Path("/work/shared/data/watchlists")


def person(entry_id: str, name: str, *aliases: str, dob: str = "", nat: str = "", ids: tuple[str, ...] = ()
           ) -> ListEntry:  # fmt: skip
    return ListEntry(
        "test", entry_id, "individual", (name, *aliases), (dob,) if dob else (), (nat,) if nat else (), ids
    )


LIST = [
    person("1", "ZENG, Siming", dob="1970-05-05"),
    person("2", "SHAN, Tianfang"),
    person("3", "OU, Zhiming"),
    person("4", "QIU, Ying"),
    person("5", "XIE, Fang"),
    person("6", "OUYANG, Xiu"),
    person("7", "CHANG, Kuo-jung"),
    person("8", "CHEUNG, Kwok Wing"),
    person("9", "AL-BAGHDADI, Abu Bakr", dob="1971-07-28", nat="IQ"),
    person("10", "PUTIN, Vladimir Vladimirovich", dob="1952-10-07", nat="RU"),
    person("11", "MORTEZAVI, Hasan", "ALI, Hassan", dob="1964-08-23", nat="IR", ids=("D9019576",)),
    person("12", "ZHANG, Lei", dob="1976-01-03", nat="CN", ids=("320202197601030513",)),
]


@pytest.fixture(scope="module")
def index() -> ScreeningIndex:
    return ScreeningIndex(LIST)


def best(index: ScreeningIndex, name: str, **kw: object) -> tuple[str, str | None, tuple[str, ...]]:
    result = index.screen([Subject("s", name, **kw)])[0]  # type: ignore[arg-type]
    return result.decision, result.best.entry_id if result.best else None, result.best.reasons if result.best else ()


@pytest.mark.parametrize(
    ("han", "entry"),
    [("曾思明", "1"), ("单田芳", "2"), ("区志明", "3"), ("仇英", "4"), ("解放", "5"), ("欧阳修", "6")],
)
def test_surname_readings_that_differ_from_ordinary_pinyin(index: ScreeningIndex, han: str, entry: str) -> None:
    # 曾 is Zeng (not ceng), 单 Shan (not dan), 区 Ou (not qu), 仇 Qiu (not chou), 解 Xie (not jie); 欧阳 is one
    # surname (复姓).
    assert best(index, han)[1] == entry
    assert best(index, han[1:] + " " + han[:1] if len(han) == 2 else han)[1] == entry


def test_traditional_script_and_the_romanisations_of_hong_kong_and_taiwan(index: ScreeningIndex) -> None:
    assert to_simplified("張國榮") == "张国荣"
    assert best(index, "張國榮")[1] in {"7", "8"}  # Wade-Giles CHANG Kuo-jung, Cantonese CHEUNG Kwok Wing
    forms = name_forms("張國榮")
    assert ("chang", "kuojung") in forms and ("cheung", "kwokwing") in forms


def test_token_order_does_not_matter(index: ScreeningIndex) -> None:
    for name in ("Abu Bakr al-Baghdadi", "BAGHDADI Abu Bakr", "abu bakr AL BAGHDADI"):
        assert best(index, name)[1] == "9"


def test_transliteration_variants(index: ScreeningIndex) -> None:
    assert best(index, "Hassan Mortazavi")[1] == "11"  # Persian vowels
    assert best(index, "Владимир Владимирович Путин")[1] == "10"  # Cyrillic
    assert best(index, "Vladimir Vladimirovitch Poutine")[1] == "10"  # French transliteration
    assert skeleton("mohammed") == skeleton("muhammad") == skeleton("mohamad")
    assert skeleton("yusuf") == skeleton("yusof")


def test_typos(index: ScreeningIndex) -> None:
    assert best(index, "Vladimir Vladimriovich Putin")[1] == "10"  # transposition
    assert best(index, "Abu Bakr al-Bagdadi")[1] == "9"  # deletion


def test_corroboration_raises_and_lowers_with_reasons(index: ScreeningIndex) -> None:
    decision, entry, reasons = best(index, "张磊")
    assert (decision, entry) == ("review", "12") and reasons == ("name_exact",)  # a common name alone: a person looks
    decision, entry, reasons = best(index, "张磊", birth_date=date(1976, 1, 3), nationality="CN")
    assert (decision, entry) == ("hit", "12") and "birth_date_match" in reasons and "nationality_match" in reasons
    decision, _, _ = best(index, "张磊", birth_date=date(1991, 9, 9))
    assert decision == "pass"  # same name, another person: the birth date lowers the score below review
    decision, entry, reasons = best(index, "Zhang Lei", id_numbers=("320202197601030513",))
    assert (decision, entry) == ("hit", "12") and "id_number_match" in reasons
    decision, _, reasons = best(index, "张磊", id_numbers=("110105198503140012",))
    assert decision == "pass"  # both PRC resident ID numbers, and they differ


def test_near_miss_passes(index: ScreeningIndex) -> None:
    assert best(index, "张伟", birth_date=date(1990, 2, 2))[0] == "pass"  # listed surname, other given name
    assert best(index, "Vladimir Ivanov", birth_date=date(1980, 1, 1))[0] == "pass"


def test_screen_shard_is_a_pure_function() -> None:
    subjects = [Subject("a", "Hasan Mortezavi", date(1964, 8, 23)), Subject("b", "王芳")]
    first = screen_shard(LIST, subjects)
    assert [r.decision for r in first] == ["hit", "pass"]
    assert first == screen_shard(LIST, subjects)


def test_chinese_commercial_codes_decode_to_the_listed_names() -> None:
    """Real Han ↔ Latin pairs: the 12 Chinese Commercial Codes of the 2024 OFAC file, decoded (zhtelecode), screen
    to their own entries."""
    zhtelecode = pytest.importorskip("zhtelecode")
    entries = parse_ofac((DATA / "ofac_2024-05-03_sdn.csv").read_bytes())
    index = ScreeningIndex(to_engine_entries("ofac", entries))
    pairs = []
    for e in entries:
        m = re.search(r"Chinese Commercial Code ((?:\d{4} ?)+)", e.remarks)
        if m:
            pairs.append((e.entry_id, zhtelecode.to_unicode(m.group(1).split(), encoding="mainland")))
    assert len(pairs) == 12
    for entry_id, han in pairs:
        result = index.screen([Subject(entry_id, han)])[0]
        assert result.decision != "pass" and entry_id in {m.entry_id for m in result.matches}, han
