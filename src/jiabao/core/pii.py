"""Personal data protection: authenticated encryption at rest, a keyed blind index, and masking.

- Encryption: AES-256-GCM (``cryptography``), a fresh 96-bit nonce per value, and the column's name as
  associated data so a ciphertext cannot be moved to another column. Stored as ``version || nonce || ct``;
  the key version lets keys rotate (old versions still decrypt, the first key encrypts).
- Blind index: HMAC-SHA256 over the normalised value under a separate key, so staff can find a person by ID
  number or phone without the database holding the clear value.
- Masking: what every page, API response and log shows unless the caller's role needs the clear value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE = 12


class PiiKeyError(RuntimeError):
    """The configured keys are missing or malformed."""


class PiiCipher:
    """Encrypts and decrypts personal data fields; computes blind indexes."""

    def __init__(self, keys: dict[int, bytes], current: int, index_key: bytes) -> None:
        if current not in keys:
            raise PiiKeyError("the current key version has no key")
        for version, key in keys.items():
            if len(key) != 32 or not 0 < version < 256:
                raise PiiKeyError(f"key version {version} must be 1..255 with a 32-byte key")
        if len(index_key) < 32:
            raise PiiKeyError("the blind-index key must be at least 32 bytes")
        self._aead = {version: AESGCM(key) for version, key in keys.items()}
        self._current = current
        self._index_key = index_key

    @classmethod
    def from_config(cls, pii_keys: str, blind_index_key: str) -> PiiCipher:
        """Parse ``"2:base64,1:base64"`` (first = current) and a base64 index key."""
        keys: dict[int, bytes] = {}
        current = 0
        try:
            for i, item in enumerate(part.strip() for part in pii_keys.split(",") if part.strip()):
                version_text, key_text = item.split(":", 1)
                version = int(version_text)
                keys[version] = base64.b64decode(key_text)
                if i == 0:
                    current = version
            index_key = base64.b64decode(blind_index_key)
        except (ValueError, TypeError) as exc:
            raise PiiKeyError("JIABAO_PII_KEYS / JIABAO_BLIND_INDEX_KEY are malformed") from exc
        if not keys:
            raise PiiKeyError("no personal-data key configured (JIABAO_PII_KEYS)")
        return cls(keys, current, index_key)

    def encrypt(self, column: str, value: str) -> bytes:
        nonce = os.urandom(_NONCE)
        sealed = self._aead[self._current].encrypt(nonce, value.encode("utf-8"), column.encode("ascii"))
        return bytes([self._current]) + nonce + sealed

    def decrypt(self, column: str, blob: bytes) -> str:
        version, nonce, sealed = blob[0], blob[1 : 1 + _NONCE], blob[1 + _NONCE :]
        aead = self._aead.get(version)
        if aead is None:
            raise PiiKeyError(f"no key for version {version}")
        try:
            return aead.decrypt(nonce, sealed, column.encode("ascii")).decode("utf-8")
        except InvalidTag as exc:
            raise PiiKeyError(f"ciphertext for {column} failed authentication") from exc

    def blind_index(self, column: str, value: str) -> str:
        """Keyed hash of the normalised value: 32 hex characters (128 bits)."""
        normalised = re.sub(r"[\s-]", "", value).upper()
        digest = hmac.new(self._index_key, f"{column}:{normalised}".encode(), hashlib.sha256)
        return digest.hexdigest()[:32]


def generate_key() -> str:
    """A new random 256-bit key, base64 (for settings files and key rotation)."""
    return base64.b64encode(os.urandom(32)).decode("ascii")


def mask_id_number(value: str) -> str:
    """``110105********002X``: keep the address code and the last four characters (JR/T 0171 style)."""
    if len(value) >= 15:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if len(value) > 4:
        return value[:2] + "*" * (len(value) - 4) + value[-2:]
    return "*" * len(value)


def mask_phone(value: str) -> str:
    """``138****5678`` for an 11-digit mobile; other lengths keep the first 3 and the last 4."""
    digits = value[-11:] if value.startswith("+86") else value
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_bank_card(value: str) -> str:
    """``6222 **** **** 1234``: first four and last four digits."""
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]} **** **** {value[-4:]}"


def mask_name(value: str) -> str:
    """``张*明`` / ``张*``: keep the surname and, for names of 3+ characters, the last character."""
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
