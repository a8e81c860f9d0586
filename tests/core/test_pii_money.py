from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from jiabao.core.clock import FixedClock
from jiabao.core.money import from_fen, to_decimal, to_fen
from jiabao.core.pii import PiiCipher, PiiKeyError, generate_key, mask_bank_card, mask_id_number, mask_name, mask_phone


def cipher(keys: str | None = None, index: str | None = None) -> PiiCipher:
    return PiiCipher.from_config(keys or f"1:{generate_key()}", index or generate_key())


def test_encryption_round_trips_and_is_randomised() -> None:
    c = cipher()
    a, b = c.encrypt("persons.id_number", "11010519491231002X"), c.encrypt("persons.id_number", "11010519491231002X")
    assert a != b and b"1101051949" not in a
    assert c.decrypt("persons.id_number", a) == "11010519491231002X"


def test_ciphertext_is_bound_to_its_column_and_key() -> None:
    c = cipher()
    blob = c.encrypt("persons.id_number", "13812345678")
    with pytest.raises(PiiKeyError):
        c.decrypt("persons.phone", blob)
    with pytest.raises(PiiKeyError):
        cipher().decrypt("persons.id_number", blob)
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(PiiKeyError):
        c.decrypt("persons.id_number", tampered)


def test_key_rotation_keeps_old_values_readable() -> None:
    old_key, new_key, index = generate_key(), generate_key(), generate_key()
    old = PiiCipher.from_config(f"1:{old_key}", index)
    blob = old.encrypt("persons.phone", "13812345678")
    rotated = PiiCipher.from_config(f"2:{new_key},1:{old_key}", index)
    assert rotated.decrypt("persons.phone", blob) == "13812345678"
    assert rotated.encrypt("persons.phone", "x")[0] == 2


def test_blind_index_is_keyed_and_normalised() -> None:
    index = generate_key()
    c = cipher(index=index)
    assert c.blind_index("persons.id_number", "11010519491231002x") == c.blind_index(
        "persons.id_number", "110105 19491231 002X"
    )
    assert c.blind_index("persons.id_number", "1") != cipher().blind_index("persons.id_number", "1")
    assert c.blind_index("persons.id_number", "1") != c.blind_index("persons.phone", "1")


def test_bad_keys_are_refused() -> None:
    with pytest.raises(PiiKeyError):
        PiiCipher.from_config("", generate_key())
    with pytest.raises(PiiKeyError):
        PiiCipher.from_config("1:c2hvcnQ=", generate_key())


def test_masks() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_bank_card("6222021234567890123") == "6222 **** **** 0123"
    assert mask_name("张三") == "张*" and mask_name("欧阳娜娜") == "欧**娜"


def test_money_is_exact_and_refuses_floats() -> None:
    assert to_fen("0.1") + to_fen("0.2") == to_fen("0.3") == 30
    assert to_fen(Decimal("1.005")) == 101
    assert from_fen(12345) == Decimal("123.45")
    assert to_decimal(7) == Decimal("7.00")
    with pytest.raises(TypeError):
        to_decimal(0.1)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        to_decimal("abc")


def test_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(datetime(2026, 11, 25, 16, 30, tzinfo=UTC))
    assert clock.today().isoformat() == "2026-11-26"  # already the 26th in Beijing
    clock.advance(timedelta(days=1))
    assert clock.now() == datetime(2026, 11, 26, 16, 30, tzinfo=UTC)
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 1, 1))  # noqa: DTZ001 - the point of the test
