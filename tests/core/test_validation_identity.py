"""Identity numbers: GB 11643-1999 resident IDs, residence permits, passports, permanent-residence cards."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiabao.core.validation import (
    PROVINCE_PREFIXES,
    IdentityDocument,
    IdType,
    Sex,
    ValidationFailed,
    check_character,
    check_identity,
    generate_resident_id,
    parse_id_number,
    upgrade_legacy,
)

TODAY = date(2025, 6, 1)
STANDARD_EXAMPLE = "11010519491231002X"  # GB 11643-1999's own example: female, Beijing Chaoyang, 1949-12-31


def codes(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [e.code for e in exc.value.errors]


def with_check(body: str) -> str:
    return body + check_character(body)


# --- GB 11643 arithmetic ---


def test_check_character_of_standard_example() -> None:
    assert check_character(STANDARD_EXAMPLE[:17]) == "X"


@pytest.mark.parametrize("body", ["1101051949123100", "11010519491231002A", "１１０１０５１９４９１２３１００２"])
def test_check_character_rejects_non_17_ascii_digits(body: str) -> None:
    with pytest.raises(ValueError):
        check_character(body)


def test_upgrade_legacy_inserts_19_and_appends_check_character() -> None:
    assert upgrade_legacy("110105491231002") == STANDARD_EXAMPLE


def test_upgrade_legacy_rejects_wrong_length() -> None:
    with pytest.raises(ValueError):
        upgrade_legacy("11010549123100")


# --- resident ID: known good ---


def test_standard_example_is_female_born_1949_12_31() -> None:
    doc = parse_id_number(IdType.RESIDENT_ID, STANDARD_EXAMPLE, today=TODAY)
    assert doc == IdentityDocument(
        IdType.RESIDENT_ID,
        STANDARD_EXAMPLE,
        date(1949, 12, 31),
        Sex.FEMALE,
        "110105",
        converted_from_legacy=False,
    )


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",  # lowercase x
        " 11010519491231002X ",
        "110105 19491231 002X",
        "110105-19491231-002x",
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width, as typed with a Chinese IME
    ],
)
def test_resident_id_is_normalised(raw: str) -> None:
    assert parse_id_number("resident_id", raw, today=TODAY).number == STANDARD_EXAMPLE


def test_male_from_odd_sequence_digit() -> None:
    number = with_check("44030119900307001")
    doc = parse_id_number(IdType.RESIDENT_ID, number, today=TODAY)
    assert (doc.sex, doc.birth_date, doc.region_code) == (Sex.MALE, date(1990, 3, 7), "440301")


def test_sequence_digit_zero_is_female() -> None:
    assert parse_id_number("resident_id", with_check("44030119900307010"), today=TODAY).sex is Sex.FEMALE


def test_legacy_15_digit_number_is_converted() -> None:
    doc = parse_id_number(IdType.RESIDENT_ID, "110105491231002", today=TODAY)
    assert doc.number == STANDARD_EXAMPLE
    assert doc.converted_from_legacy
    assert (doc.birth_date, doc.sex) == (date(1949, 12, 31), Sex.FEMALE)


def test_unknown_county_code_with_valid_province_is_accepted() -> None:
    # 110103 (Chongwen, abolished 2010) and a made-up 119999: numbers are lifelong; only the province counts.
    for body in ("11010319800101001", "11999919800101001"):
        assert parse_id_number("resident_id", with_check(body), today=TODAY).region_code == body[:6]


@pytest.mark.parametrize("prefix", sorted(PROVINCE_PREFIXES))
def test_every_gb_t_2260_province_prefix_is_accepted(prefix: str) -> None:
    parse_id_number("resident_id", with_check(f"{prefix}010219800101001"), today=TODAY)


def test_province_prefix_list_matches_gb_t_2260() -> None:
    expected = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    expected |= {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
    assert {int(p) for p in PROVINCE_PREFIXES} == expected


def test_birth_date_today_and_leap_day_are_accepted() -> None:
    assert parse_id_number("resident_id", with_check("11010520250601001"), today=TODAY).birth_date == TODAY
    assert parse_id_number("resident_id", with_check("11010520000229001"), today=TODAY).birth_date == date(2000, 2, 29)
    parse_id_number("resident_id", with_check("11010519000101001"), today=TODAY)


# --- resident ID: known bad ---


def test_wrong_check_character_names_the_expected_one() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number(IdType.RESIDENT_ID, "110105194912310021", today=TODAY)
    (error,) = exc.value.errors
    assert (error.field, error.code) == ("id_number", "id_checksum")
    assert "应为 X" in error.message_zh
    assert "expected X" in error.message_en


@pytest.mark.parametrize(
    "raw",
    [
        "1101051949123100",  # 16
        "1101051949123100211",  # 19
        "11010519491231002Y",
        "1101051949123X002X",  # X only in the last position
        "11010549123100X",  # legacy numbers have no check character
        "ABCDEFGHIJKLMNOPQR",
    ],
)
def test_bad_format(raw: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number("resident_id", raw, today=TODAY)
    assert codes(exc) == ["id_format"]


@pytest.mark.parametrize("raw", ["", "   ", "\u3000"])
def test_empty_is_required(raw: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number("resident_id", raw, today=TODAY, field="insured_id")
    assert [(e.field, e.code) for e in exc.value.errors] == [("insured_id", "required")]


@pytest.mark.parametrize("prefix", ["00", "10", "16", "20", "24", "30", "38", "40", "47", "55", "60", "66", "70"])
def test_invalid_province_prefix(prefix: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number("resident_id", with_check(f"{prefix}010219800101001"), today=TODAY)
    assert codes(exc) == ["id_region_invalid"]
    assert prefix in exc.value.errors[0].message_zh


@pytest.mark.parametrize("prefix", ["72", "80", "83", "84", "90", "99"])
def test_prefixes_outside_gb_t_2260_rejected(prefix: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number("resident_id", with_check(f"{prefix}010219800101001"), today=TODAY)
    assert codes(exc) == ["id_region_invalid"]


@pytest.mark.parametrize("code", ["810000", "820000", "830000"])
def test_residence_permit_number_entered_as_resident_id(code: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number("resident_id", with_check(f"{code}19800101001"), today=TODAY)
    assert codes(exc) == ["id_type_mismatch"]


@pytest.mark.parametrize(
    ("birth", "why"),
    [
        ("19490230", "不是有效日期"),
        ("19491301", "不是有效日期"),
        ("19000229", "不是有效日期"),
        ("18991231", "早于1900"),
    ],
)
def test_birth_date_not_real_or_before_1900(birth: str, why: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number("resident_id", with_check(f"110105{birth}001"), today=TODAY)
    assert codes(exc) == ["id_birth_date_invalid"]
    assert why in exc.value.errors[0].message_zh


def test_birth_date_in_the_future() -> None:
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number("resident_id", with_check(f"110105{tomorrow:%Y%m%d}001"), today=TODAY)
    assert codes(exc) == ["id_birth_date_future"]


def test_legacy_number_with_bad_date_and_province() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number("resident_id", "990105490231002", today=TODAY)
    assert codes(exc) == ["id_region_invalid", "id_birth_date_invalid"]


def test_all_errors_of_one_number_are_collected() -> None:
    # Bad province, impossible date and a wrong check character: all three reported at once.
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number("resident_id", "990105194902300010", today=TODAY)
    assert sorted(codes(exc)) == ["id_birth_date_invalid", "id_checksum", "id_region_invalid"]


def test_unknown_id_type() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number("driving_licence", STANDARD_EXAMPLE, today=TODAY)
    assert [(e.field, e.code) for e in exc.value.errors] == [("id_type", "id_type_invalid")]


# --- cross-checks ---


def test_check_identity_accepts_matching_birth_date_and_sex() -> None:
    doc = check_identity("resident_id", STANDARD_EXAMPLE, birth_date=date(1949, 12, 31), sex="F", today=TODAY)
    assert doc.sex is Sex.FEMALE
    assert check_identity("resident_id", STANDARD_EXAMPLE, sex=Sex.FEMALE, today=TODAY) == doc
    assert check_identity("resident_id", STANDARD_EXAMPLE, today=TODAY) == doc


def test_check_identity_reports_both_mismatches() -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_identity(
            "resident_id",
            STANDARD_EXAMPLE,
            birth_date=date(1950, 1, 1),
            sex="M",
            today=TODAY,
            field="person_id",
        )
    assert [(e.field, e.code) for e in exc.value.errors] == [
        ("person_id", "id_birth_date_mismatch"),
        ("person_id", "id_sex_mismatch"),
    ]
    birth, sex = exc.value.errors
    assert "1949-12-31" in birth.message_zh and "1950-01-01" in birth.message_en
    assert "号码显示为女，填写的是男" in sex.message_zh
    assert "the number says female, but male was entered" in sex.message_en


def test_check_identity_collects_checksum_and_mismatches_together() -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_identity("resident_id", "110105194912310021", birth_date=date(1950, 1, 1), sex="M", today=TODAY)
    assert codes(exc) == ["id_checksum", "id_birth_date_mismatch", "id_sex_mismatch"]


def test_check_identity_skips_birth_cross_check_when_number_has_no_real_date() -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_identity("resident_id", with_check("11010519490230002"), birth_date=date(1949, 2, 28), today=TODAY)
    assert codes(exc) == ["id_birth_date_invalid"]


def test_check_identity_on_passport_has_nothing_to_cross_check() -> None:
    doc = check_identity("passport", "E12345678", birth_date=date(1980, 1, 1), sex="M", today=TODAY)
    assert (doc.birth_date, doc.sex, doc.region_code) == (None, None, None)


def test_check_identity_format_error_only() -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_identity("resident_id", "12345", birth_date=date(1980, 1, 1), sex="M", today=TODAY)
    assert codes(exc) == ["id_format"]


# --- residence permits ---


@pytest.mark.parametrize("code", ["810000", "820000", "830000"])
def test_residence_permit_codes_accepted(code: str) -> None:
    number = generate_resident_id(region_code=code, birth_date=date(1985, 5, 20), sex="M", sequence=7)
    doc = parse_id_number(IdType.HK_MACAU_TW_RESIDENCE_PERMIT, number.lower(), today=TODAY)
    assert (doc.number, doc.region_code, doc.birth_date, doc.sex) == (
        number,
        code,
        date(1985, 5, 20),
        Sex.MALE,
    )


@pytest.mark.parametrize("code", ["110105", "810100", "820001", "840000", "710000"])
def test_residence_permit_needs_exact_code(code: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number("hk_macau_tw_residence_permit", with_check(f"{code}19850520015"), today=TODAY)
    assert codes(exc) == ["id_region_invalid"]
    assert "810000" in exc.value.errors[0].message_zh


def test_residence_permit_has_no_legacy_form() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number("hk_macau_tw_residence_permit", "810000850520015", today=TODAY)
    assert codes(exc) == ["id_format"]


def test_residence_permit_cross_check() -> None:
    number = generate_resident_id(region_code="830000", birth_date=date(1990, 1, 2), sex="F", sequence=0)
    with pytest.raises(ValidationFailed) as exc:
        check_identity("hk_macau_tw_residence_permit", number, sex="M", today=TODAY)
    assert codes(exc) == ["id_sex_mismatch"]
    assert "港澳台居民居住证号码" in exc.value.errors[0].message_zh


# --- passports ---


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("E12345678", "E12345678"),
        ("ea1234567", "EA1234567"),
        (" g 1234 5678 ", "G12345678"),
        ("12345", "12345"),
    ],
)
def test_passport_normalised(raw: str, number: str) -> None:
    assert parse_id_number(IdType.PASSPORT, raw, today=TODAY) == IdentityDocument(
        IdType.PASSPORT, number, None, None, None
    )


@pytest.mark.parametrize("raw", ["E123", "E12345678901234567", "E1234567!", "Е1234567"])  # last: Cyrillic Е
def test_passport_bad_format(raw: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number("passport", raw, today=TODAY)
    assert codes(exc) == ["id_format"]
    assert "护照号码" in exc.value.errors[0].message_zh


# --- foreigners' permanent residence cards ---

FPR_2023 = with_check("91184019800101003")  # 9 + province 11 + nationality 840 + 1980-01-01 + sequence 003


def test_permanent_residence_2023_format() -> None:
    doc = parse_id_number(IdType.FOREIGN_PERMANENT_RESIDENCE, FPR_2023, today=TODAY)
    assert (doc.number, doc.birth_date, doc.sex, doc.region_code) == (
        FPR_2023,
        date(1980, 1, 1),
        Sex.MALE,
        None,
    )


def test_permanent_residence_2023_checksum_and_cross_check() -> None:
    wrong = FPR_2023[:17] + ("0" if FPR_2023[17] != "0" else "1")
    with pytest.raises(ValidationFailed) as exc:
        check_identity("foreign_permanent_residence", wrong, birth_date=date(1980, 1, 2), today=TODAY)
    assert codes(exc) == ["id_checksum", "id_birth_date_mismatch"]


def test_permanent_residence_2023_bad_birth_date() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number("foreign_permanent_residence", with_check("91184019801301003"), today=TODAY)
    assert codes(exc) == ["id_birth_date_invalid"]


@pytest.mark.parametrize("raw", ["KAZ110090123105", "usa110080010112"])
def test_permanent_residence_older_format(raw: str) -> None:
    doc = parse_id_number("foreign_permanent_residence", raw, today=TODAY)
    assert (doc.number, doc.birth_date, doc.sex) == (raw.upper(), None, None)


@pytest.mark.parametrize("raw", ["KA1110090123105", "KAZ11009012310", STANDARD_EXAMPLE, "8118401980010100"])
def test_permanent_residence_bad_format(raw: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number("foreign_permanent_residence", raw, today=TODAY)
    assert codes(exc) == ["id_format"]


# --- generator ---


def test_generator_reproduces_standard_example() -> None:
    assert (
        generate_resident_id(region_code="110105", birth_date=date(1949, 12, 31), sex="F", sequence=1)
        == STANDARD_EXAMPLE
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"region_code": "11010"},
        {"region_code": "990105"},
        {"region_code": "11010a"},
        {"birth_date": date(1899, 12, 31)},
        {"sex": "X"},
        {"sequence": -1},
        {"sequence": 500},
    ],
)
def test_generator_rejects_bad_arguments(kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {
        "region_code": "110105",
        "birth_date": date(1980, 1, 1),
        "sex": "M",
        "sequence": 0,
    }
    args.update(kwargs)
    with pytest.raises(ValueError):
        generate_resident_id(**args)  # type: ignore[arg-type]


# --- properties ---

# Any county code under a GB/T 2260 province, except the two residence-permit codes (see id_type_mismatch).
regions = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from(sorted(PROVINCE_PREFIXES)),
    st.text(alphabet="0123456789", min_size=4, max_size=4),
).filter(lambda code: code not in ("810000", "820000"))
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
sexes = st.sampled_from(["M", "F"])
sequences = st.integers(min_value=0, max_value=499)


@given(regions, births, sexes, sequences)
def test_every_generated_id_validates_and_round_trips(region: str, birth: date, sex: str, seq: int) -> None:
    number = generate_resident_id(region_code=region, birth_date=birth, sex=sex, sequence=seq)  # type: ignore[arg-type]
    doc = check_identity(IdType.RESIDENT_ID, number.lower(), birth_date=birth, sex=sex, today=TODAY)  # type: ignore[arg-type]
    assert (doc.number, doc.birth_date, doc.sex, doc.region_code) == (number, birth, Sex(sex), region)
    assert int(number[14:17]) == 2 * seq + (sex == "M")


@given(regions, births, sexes, sequences, st.integers(0, 17), st.integers(1, 10))
def test_any_single_character_change_fails_the_checksum(
    region: str, birth: date, sex: str, seq: int, pos: int, shift: int
) -> None:
    number = generate_resident_id(region_code=region, birth_date=birth, sex=sex, sequence=seq)  # type: ignore[arg-type]
    alphabet = "0123456789X" if pos == 17 else "0123456789"
    old = alphabet.index(number[pos])
    new = alphabet[(old + shift) % len(alphabet)]
    if new == number[pos]:
        return  # shift of 10 on a digit position wraps around
    changed = number[:pos] + new + number[pos + 1 :]
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number(IdType.RESIDENT_ID, changed, today=TODAY)
    assert "id_checksum" in codes(exc)


@given(regions, births, sexes, sequences, st.integers(0, 15))
def test_any_adjacent_transposition_fails_the_checksum(region: str, birth: date, sex: str, seq: int, pos: int) -> None:
    number = generate_resident_id(region_code=region, birth_date=birth, sex=sex, sequence=seq)  # type: ignore[arg-type]
    if number[pos] == number[pos + 1]:
        return
    swapped = number[:pos] + number[pos + 1] + number[pos] + number[pos + 2 :]
    with pytest.raises(ValidationFailed) as exc:
        parse_id_number(IdType.RESIDENT_ID, swapped, today=TODAY)
    assert "id_checksum" in codes(exc)


@given(regions, st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), sexes, sequences)
def test_legacy_form_converts_back_to_the_same_number(region: str, birth: date, sex: str, seq: int) -> None:
    number = generate_resident_id(region_code=region, birth_date=birth, sex=sex, sequence=seq)  # type: ignore[arg-type]
    legacy = number[:6] + number[8:17]
    assert upgrade_legacy(legacy) == number
    doc = parse_id_number(IdType.RESIDENT_ID, legacy, today=TODAY)
    assert (doc.number, doc.converted_from_legacy, doc.birth_date) == (number, True, birth)
