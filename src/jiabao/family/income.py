"""A person's annual income, encrypted at rest (docs/security.md, "Personal data").

Income is personal financial information (PIPL art. 28 lists financial accounts among sensitive data; the CBIRC
Internet Insurance Measures require the insurer to protect customers' financial information). It is stored in
``persons.annual_income_enc`` as AES-GCM ciphertext of the integer fen (associated data ``persons.annual_income``),
so a copy of the database or a backup does not give it away; every reader goes through ``open_income``. Pure: no
database, only the cipher.
"""

from __future__ import annotations

from decimal import Decimal

from jiabao.core.money import from_fen, to_fen
from jiabao.core.pii import PiiCipher

INCOME_COLUMN = "persons.annual_income"


def seal_income(cipher: PiiCipher, value: Decimal | None) -> bytes | None:
    """The ciphertext of ``value`` (integer fen, as text), or None."""
    return None if value is None else cipher.encrypt(INCOME_COLUMN, str(to_fen(value)))


def open_income(cipher: PiiCipher, sealed: bytes | None) -> Decimal | None:
    """The income in yuan, or None when none was given."""
    return None if sealed is None else from_fen(int(cipher.decrypt(INCOME_COLUMN, sealed)))
