"""Key canaries and key rotation (issue 10, item 6; docs/security.md "Keys").

Canaries: at the first start against a database, a value is sealed with each key — the personal-data key
(AES-GCM), the blind-index key and the session/token secret (HMAC) — and stored in ``key_canaries``. Every later
start checks them: a wrong or changed key refuses to start with a message naming the key, instead of writing
values under a second key beside the first (which would make half the data unreadable or unfindable).

Rotation (``jiabao keys rotate``): every ``*_enc`` column, and every ciphertext kept inside a JSON document
(``EMBEDDED``: ``*_enc_b64`` values), is re-encrypted with the current personal-data key (the first of
``JIABAO_PII_KEYS``), and with ``--new-blind-index-key`` every ``*_bidx`` column is recomputed under the
new index key, in batches by primary key. Progress is committed with each batch in ``job_progress``, so a killed
run resumes where it stopped and never does a row twice; the canaries are resealed at the end.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, LargeBinary, MetaData, Table, inspect, select, update
from sqlalchemy.orm import Session, sessionmaker

from jiabao.core.pii import PiiCipher, PiiKeyError
from jiabao.security.models import JobProgress, KeyCanary

CANARY_TEXT = "jiabao key canary"
CANARY_COLUMN = "key_canaries.sealed"


class KeyMismatch(RuntimeError):
    """A configured key does not match the one this database was written with: the platform must not start."""


def _hmac(key: bytes, label: str) -> bytes:
    return hmac.new(key, f"{label}:{CANARY_TEXT}".encode(), hashlib.sha256).digest()


def _index_key_of(cipher: PiiCipher) -> bytes:
    return cipher._index_key


def expected(cipher: PiiCipher, secret_key: str) -> dict[str, Callable[[bytes], bool]]:
    def pii_opens(sealed: bytes) -> bool:
        try:
            return cipher.decrypt(CANARY_COLUMN, sealed) == CANARY_TEXT
        except PiiKeyError:
            return False

    index = _hmac(_index_key_of(cipher), "blind_index")
    secret = _hmac(secret_key.encode(), "secret_key")
    return {
        "pii": pii_opens,
        "blind_index": lambda sealed: hmac.compare_digest(sealed, index),
        "secret_key": lambda sealed: hmac.compare_digest(sealed, secret),
    }


def seal(cipher: PiiCipher, secret_key: str, name: str, *, index_key: bytes | None = None) -> bytes:
    if name == "pii":
        return cipher.encrypt(CANARY_COLUMN, CANARY_TEXT)
    if name == "blind_index":
        return _hmac(index_key or _index_key_of(cipher), "blind_index")
    return _hmac(secret_key.encode(), "secret_key")


MESSAGES = {
    "pii": "JIABAO_PII_KEYS does not include the key this database's personal data was encrypted with",
    "blind_index": "JIABAO_BLIND_INDEX_KEY differs from the key this database's search indexes were built with",
    "secret_key": "JIABAO_SECRET_KEY differs from the secret this database's sessions and tokens were signed with",
}


def check_canaries(
    engine: Engine, cipher: PiiCipher, secret_key: str, *, now: datetime, accept_new_secret: bool = False
) -> None:
    """Verify (or, at the first start, seal) the canaries. Raises KeyMismatch naming every wrong key.

    ``accept_new_secret`` (``jiabao keys accept-secret``): a changed session secret is resealed instead of refused
    (everyone logs in again); the data keys are still checked."""
    if not inspect(engine).has_table(KeyCanary.__tablename__):
        return  # not migrated yet (``jiabao migrate`` builds the runtime before the tables exist)
    checks = expected(cipher, secret_key)
    wrong = []
    with Session(engine) as session, session.begin():
        stored = {row.name: row for row in session.scalars(select(KeyCanary))}
        for name, check in checks.items():
            row = stored.get(name)
            if row is None:
                session.add(KeyCanary(name=name, sealed=seal(cipher, secret_key, name), created_at=now))
            elif not check(row.sealed):
                if name == "secret_key" and accept_new_secret:
                    row.sealed = seal(cipher, secret_key, name)
                else:
                    wrong.append(name)
    if wrong:
        if accept_new_secret:
            raise KeyMismatch("Not resealed: " + "; ".join(MESSAGES[name] for name in wrong))
        raise KeyMismatch(
            "Refusing to start: "
            + "; ".join(MESSAGES[name] for name in wrong)
            + ". Restore the right key, or rotate keys with `jiabao keys rotate` (docs/security.md)."
        )


@dataclass(frozen=True)
class EncryptedColumn:
    table: str
    enc: str
    aad: str
    bidx: str | None


def encrypted_columns(metadata: MetaData) -> list[EncryptedColumn]:
    """Every ``<name>_enc`` binary column (associated data ``<table>.<name>``) and its ``<name>_bidx`` index."""
    found = []
    for table in metadata.sorted_tables:
        if len(table.primary_key.columns) != 1 or table.name == KeyCanary.__tablename__:
            continue
        for column in table.columns:
            if column.name.endswith("_enc") and isinstance(column.type, LargeBinary):
                stem = column.name[: -len("_enc")]
                bidx = f"{stem}_bidx" if f"{stem}_bidx" in table.columns else None
                found.append(EncryptedColumn(table.name, column.name, f"{table.name}.{stem}", bidx))
    return found


EMBEDDED_SUFFIX = "_enc_b64"


@dataclass(frozen=True)
class EmbeddedCiphertexts:
    """A JSON column whose documents carry ciphertexts: every key ending in ``_enc_b64`` holds
    ``base64(version || nonce || ct)`` sealed with associated data ``column`` — or, when the object holding it has
    a ``"column"`` entry, with that (e.g. ``policies.details["payment_account"]``)."""

    table: str
    json: str
    aad: str


EMBEDDED: tuple[EmbeddedCiphertexts, ...] = (
    # servicing: the policyholder's new card for renewal premiums (policies/servicing/changes.py)
    EmbeddedCiphertexts("policies", "details", "payments.account"),
    # a referred reinstatement keeps the card for the back premiums (policies/billing/reinstatement.py)
    EmbeddedCiphertexts("service_requests", "payload", "payments.account"),
)
"""Every JSON column that holds ciphertexts. ``tests/db/test_key_rotation_everywhere.py`` scans every JSON
column of a database filled by the business flows and fails if a ``*_enc_b64`` value sits anywhere else."""


def embedded_values(document: object, default_aad: str) -> list[tuple[dict[str, Any], str, str]]:
    """``(holder, key, aad)`` of every ciphertext inside a JSON document (nested objects and lists)."""
    found: list[tuple[dict[str, Any], str, str]] = []
    if isinstance(document, dict):
        aad = document.get("column") if isinstance(document.get("column"), str) else default_aad
        for key, value in document.items():
            if key.endswith(EMBEDDED_SUFFIX) and isinstance(value, str):
                found.append((document, key, str(aad)))
            else:
                found.extend(embedded_values(value, default_aad))
    elif isinstance(document, list):
        for item in document:
            found.extend(embedded_values(item, default_aad))
    return found


@dataclass
class RotationReport:
    rows: int = 0
    rewritten: int = 0
    unreadable: int = 0
    parts: dict[str, int] = field(default_factory=dict)


def _job_name(cipher: PiiCipher, new_index_key: bytes | None) -> str:
    target = f"v{cipher._current}"
    if new_index_key is not None:
        target += "-idx" + hashlib.sha256(new_index_key).hexdigest()[:8]
    return f"rotate-{target}"


def rotate(
    sessions: sessionmaker[Session],
    metadata: MetaData,
    cipher: PiiCipher,
    secret_key: str,
    *,
    now: datetime,
    new_index_key: bytes | None = None,
    batch: int = 500,
    progress: Callable[[str, int, int], None] | None = None,
    stop_after_batches: int | None = None,
) -> RotationReport:
    """Re-encrypt (and re-index) every encrypted column in batches; resumable (see the module docstring)."""
    job = _job_name(cipher, new_index_key)
    new_index = (
        PiiCipher({1: b"\0" * 32}, 1, new_index_key) if new_index_key is not None else None
    )  # only its blind_index is used
    report = RotationReport()
    batches = 0
    for target in encrypted_columns(metadata):
        table: Table = metadata.tables[target.table]
        pk = next(iter(table.primary_key.columns))
        part = f"{target.table}.{target.enc}"
        while True:
            with sessions.begin() as session:
                mark = session.scalars(
                    select(JobProgress).where(JobProgress.job == job, JobProgress.part == part)
                ).first()
                if mark is None:
                    mark = JobProgress(job=job, part=part, last_id=0, done=0, finished=False, updated_at=now)
                    session.add(mark)
                    session.flush()
                if mark.finished:
                    break
                columns = [pk, table.c[target.enc]] + ([table.c[target.bidx]] if target.bidx else [])
                rows = session.execute(
                    select(*columns).where(pk > mark.last_id).order_by(pk).limit(batch).with_for_update()
                ).all()
                for row in rows:
                    report.rows += 1
                    blob = row[1]
                    if blob is None:
                        continue
                    needs_key = blob[0] != cipher._current
                    if not needs_key and new_index is None:
                        continue
                    try:
                        clear = cipher.decrypt(target.aad, blob)
                    except PiiKeyError:
                        report.unreadable += 1
                        continue
                    values: dict[str, object] = {}
                    if needs_key:
                        values[target.enc] = cipher.encrypt(target.aad, clear)
                    if new_index is not None and target.bidx:
                        values[target.bidx] = new_index.blind_index(target.aad, clear)
                    if values:
                        session.execute(update(table).where(pk == row[0]).values(**values))
                        report.rewritten += 1
                mark.done += len(rows)
                mark.updated_at = now
                if rows:
                    mark.last_id = rows[-1][0]
                else:
                    mark.finished = True
                report.parts[part] = mark.done
            if progress is not None:
                progress(part, report.parts.get(part, 0), len(rows))
            batches += 1
            if stop_after_batches is not None and batches >= stop_after_batches:
                return report
            if not rows:
                break
    for embedded in EMBEDDED:
        if embedded.table not in metadata.tables:
            continue
        budget = None if stop_after_batches is None else stop_after_batches - batches
        done = _rotate_embedded(sessions, metadata, cipher, job, embedded, now=now, batch=batch, report=report,
                                progress=progress, budget=budget)  # fmt: skip
        batches += done
        if stop_after_batches is not None and batches >= stop_after_batches:
            return report
    with sessions.begin() as session:
        for name in ("pii", "blind_index"):
            canary = session.get(KeyCanary, name)
            sealed = seal(cipher, secret_key, name, index_key=new_index_key)
            if canary is None:
                session.add(KeyCanary(name=name, sealed=sealed, created_at=now))
            else:
                canary.sealed = sealed
    return report


def _mark(session: Session, job: str, part: str, now: datetime) -> JobProgress:
    mark = session.scalars(select(JobProgress).where(JobProgress.job == job, JobProgress.part == part)).first()
    if mark is None:
        mark = JobProgress(job=job, part=part, last_id=0, done=0, finished=False, updated_at=now)
        session.add(mark)
        session.flush()
    return mark


def _rotate_embedded(
    sessions: sessionmaker[Session],
    metadata: MetaData,
    cipher: PiiCipher,
    job: str,
    embedded: EmbeddedCiphertexts,
    *,
    now: datetime,
    batch: int,
    report: RotationReport,
    progress: Callable[[str, int, int], None] | None,
    budget: int | None = None,
) -> int:
    """One batch per transaction, like the columns: every ciphertext inside the JSON documents is re-encrypted
    with the current key (the rest of the document is kept as it is). Returns the number of batches run."""
    table: Table = metadata.tables[embedded.table]
    pk = next(iter(table.primary_key.columns))
    column = table.c[embedded.json]
    part = f"{embedded.table}.{embedded.json}[*{EMBEDDED_SUFFIX}]"
    batches = 0
    while True:
        with sessions.begin() as session:
            mark = _mark(session, job, part, now)
            if mark.finished:
                return batches
            rows = session.execute(
                select(pk, column).where(pk > mark.last_id).order_by(pk).limit(batch).with_for_update()
            ).all()
            for row_id, document in rows:
                report.rows += 1
                if not document:
                    continue
                changed = copy.deepcopy(document)
                rewritten = False
                for holder, key, aad in embedded_values(changed, embedded.aad):
                    blob = base64.b64decode(holder[key])
                    if blob[:1] == bytes([cipher._current]):
                        continue
                    try:
                        clear = cipher.decrypt(aad, blob)
                    except PiiKeyError:
                        report.unreadable += 1
                        continue
                    holder[key] = base64.b64encode(cipher.encrypt(aad, clear)).decode("ascii")
                    rewritten = True
                if rewritten:
                    session.execute(update(table).where(pk == row_id).values({embedded.json: changed}))
                    report.rewritten += 1
            mark.done += len(rows)
            mark.updated_at = now
            if rows:
                mark.last_id = rows[-1][0]
            else:
                mark.finished = True
            report.parts[part] = mark.done
        if progress is not None:
            progress(part, report.parts.get(part, 0), len(rows))
        batches += 1
        if not rows or (budget is not None and batches >= budget):
            return batches


def decode_key(text: str) -> bytes:
    key = base64.b64decode(text, validate=True)
    if len(key) < 32:
        raise ValueError("a blind-index key is at least 32 bytes (base64 of 32 random bytes)")
    return key
