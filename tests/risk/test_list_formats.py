"""The OFAC SDN legacy CSV importer and the internal-list format, on the real OFAC files (issue 13, item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jiabao.core.errors import InvalidInput
from jiabao.risk.lists.formats import country_code, parse_date, parse_internal, parse_ofac

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "watchlists"
if not DATA.is_dir():
    DATA = Path("/work/shared/data/watchlists")


@pytest.fixture(scope="module")
def ofac_2021() -> dict[str, object]:
    entries = parse_ofac(*(DATA.joinpath(f"ofac_2021-04_{k}.csv").read_bytes() for k in ("sdn", "alt", "add")))
    return {e.entry_id: e for e in entries}


def test_the_2021_trio_parses_completely(ofac_2021: dict[str, object]) -> None:
    entries = list(ofac_2021.values())
    assert len(entries) == 8890  # primary records; the final 0x1A line is skipped
    kinds = {k: sum(1 for e in entries if e.kind == k) for k in ("individual", "entity", "vessel", "aircraft")}  # type: ignore[attr-defined]
    assert kinds == {"individual": 4566, "entity": 3644, "vessel": 403, "aircraft": 277}
    # every alias row of ALT.csv is joined on ent_num (plus the inline a.k.a. names of the Remarks)
    assert sum(len(e.aliases) for e in entries) >= 11742  # type: ignore[attr-defined]
    # ADD.csv rows are joined too (rows whose every field is -0- carry no address)
    assert ofac_2021["173"].addresses == ["Ibex House, The Minories, London EC3N 1DY, United Kingdom"]  # type: ignore[attr-defined]
    assert ofac_2021["36"].addresses == ["Havana, Cuba"]  # type: ignore[attr-defined]
    assert "AERO-CARIBBEAN" in ofac_2021["36"].aliases  # type: ignore[attr-defined]


def test_null_marker_and_remarks_are_parsed() -> None:
    sdn = (
        b'12113,"MORTEZAVI, Hasan","individual","SDGT] [IRGC",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        b'"DOB 23 Aug 1964; alt. DOB 1965; POB Ghazvin, Iran; citizen Iran; Passport D9019576 (Iran); '
        b"National ID No. 320202197601030513 (China); a.k.a. 'ALI, Hassan'.\"\r\n"
        b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'
    )
    person, airline = parse_ofac(sdn)
    assert person.kind == "individual" and airline.kind == "entity"  # -0- type: an organisation
    assert airline.remarks == "" and airline.category == ""
    assert person.birth_dates == ["1964-08-23", "1965"]
    assert person.nationalities == ["IR"]
    assert person.id_numbers == ["D9019576", "320202197601030513"]
    assert person.aliases == ["ALI, Hassan"]


def test_dates_and_countries() -> None:
    assert parse_date("03 Jan 1976") == ["1976-01-03"]
    assert parse_date("Jan 1976") == ["1976-01"]
    assert parse_date("circa 1976") == ["1976"]
    assert parse_date("1960 to 1962") == ["1960", "1961", "1962"]
    assert country_code("Korea, North") == "KP"
    assert country_code("Russia") == "RU"
    assert country_code("China") == "CN"


def test_not_an_ofac_file_is_refused() -> None:
    with pytest.raises(InvalidInput):
        parse_ofac(b"ref,name,birth_date,nationality\r\n1,x,,\r\n")


def test_internal_list_format() -> None:
    data = (
        "entry_id,kind,name,aliases,birth_dates,nationalities,id_numbers,category,remarks\n"
        "F-1,individual,王小明,王晓明|Wang Xiaoming,1980-02-03,CN,110105198002030012,fraud,骗保\n"
    ).encode()
    (entry,) = parse_internal(data)
    assert entry.aliases == ["王晓明", "Wang Xiaoming"] and entry.birth_dates == ["1980-02-03"]
    with pytest.raises(InvalidInput):
        parse_internal(b"entry_id,kind,name,birth_dates\nF-2,individual,x,03/02/1980\n")
    with pytest.raises(InvalidInput):
        parse_internal(b"entry_id,name\nF-2,x\n")
