"""Keys (issue 10, item 6): canaries refuse a wrong or changed key at start; rotation re-encrypts and re-indexes
in resumable batches; production refuses short secrets."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from jiabao.cli import app as cli
from jiabao.config import Settings
from jiabao.core.pii import generate_key
from jiabao.db.session import unit_of_work
from jiabao.family import queries
from jiabao.family.models import Person
from jiabao.migrations.models import metadata
from jiabao.runtime import Runtime, build_runtime
from jiabao.security import keys
from jiabao.security.models import JobProgress
from tests.factories import ctx_for, make_family, resident_id


def _start(settings: Settings, **changes: str) -> Runtime:
    return build_runtime(settings.model_copy(update=changes))


@pytest.mark.parametrize(
    ("field", "named"),
    [
        ("pii_keys", "JIABAO_PII_KEYS"),
        ("blind_index_key", "JIABAO_BLIND_INDEX_KEY"),
        ("secret_key", "JIABAO_SECRET_KEY"),
    ],
)
def test_a_changed_key_refuses_to_start(runtime: Runtime, settings: Settings, field: str, named: str) -> None:
    new = {"pii_keys": f"1:{generate_key()}", "blind_index_key": generate_key(), "secret_key": "another-" * 5}
    with pytest.raises(keys.KeyMismatch, match=named):
        _start(settings, **{field: new[field]})
    _start(settings).engine.dispose()  # the right keys still start


def test_production_refuses_short_secrets_and_plain_http(settings: Settings) -> None:
    with pytest.raises(RuntimeError, match="too short"):
        _start(settings, environment="production", secret_key="short")
    with pytest.raises(RuntimeError, match="development only"):
        build_runtime(
            settings.model_copy(update={"environment": "production", "secret_key": "x" * 40, "plain_http": True})
        )


def _versions(runtime: Runtime) -> set[int]:
    with runtime.sessions() as session:
        return {blob[0] for blob in session.scalars(select(Person.id_number_enc))}


def test_rotation_reencrypts_and_reindexes_in_resumable_batches(runtime: Runtime, settings: Settings) -> None:
    for n in range(3):
        make_family(runtime, username=f"u{n}", seq=n + 1, phone=f"1381234567{n}")
    number = resident_id(date(1985, 3, 14), "M", 2)
    old_key = settings.pii_keys.split(":", 1)[1]
    new_index = generate_key()
    rotated = _start(settings, pii_keys=f"2:{generate_key()},1:{old_key}")
    assert _versions(rotated) == {1}
    # a first run is killed after two batches of one row: progress is kept …
    partial = keys.rotate(
        rotated.sessions, metadata, rotated.cipher, settings.secret_key, now=rotated.clock.now(),
        new_index_key=keys.decode_key(new_index), batch=1, stop_after_batches=2,
    )  # fmt: skip
    assert partial.rewritten == 2 and _versions(rotated) == {1, 2}
    # … and the command resumes where it stopped, never redoing a row
    result = CliRunner().invoke(
        cli,
        ["keys", "rotate", "--batch", "2", "--new-blind-index-key", new_index],
        env={
            "JIABAO_DATABASE_URL": settings.database_url,
            "JIABAO_DATA_DIR": str(settings.data_dir),
            "JIABAO_SECRET_KEY": settings.secret_key,
            "JIABAO_PII_KEYS": rotated.settings.pii_keys,
            "JIABAO_BLIND_INDEX_KEY": settings.blind_index_key,
            "JIABAO_ENVIRONMENT": "test",
        },
    )
    assert result.exit_code == 0, result.output
    assert "Rotation complete" in result.output and "rows checked" in result.output
    assert _versions(rotated) == {2}
    with rotated.sessions() as session:
        marks = session.scalars(select(JobProgress)).all()
    assert marks and all(m.finished for m in marks)
    person_marks = [m for m in marks if m.part == "persons.id_number_enc"]
    assert person_marks[0].done == 3  # each row once, across both runs
    # the old key can go; the old index key is refused; the new one finds people again
    with pytest.raises(keys.KeyMismatch, match="JIABAO_BLIND_INDEX_KEY"):
        _start(settings, pii_keys=rotated.settings.pii_keys.split(",")[0])
    final = _start(settings, pii_keys=rotated.settings.pii_keys.split(",")[0], blind_index_key=new_index)
    with unit_of_work(final.sessions) as session:
        found = queries.search_households(ctx_for(final, session), number)
    assert len(found) == 1


def test_a_deliberately_changed_secret_is_accepted_by_command(runtime: Runtime, settings: Settings) -> None:
    new_secret = "rotated-secret-" + "x" * 30
    with pytest.raises(keys.KeyMismatch):
        _start(settings, secret_key=new_secret)
    env = {
        "JIABAO_DATABASE_URL": settings.database_url,
        "JIABAO_DATA_DIR": str(settings.data_dir),
        "JIABAO_SECRET_KEY": new_secret,
        "JIABAO_PII_KEYS": settings.pii_keys,
        "JIABAO_BLIND_INDEX_KEY": settings.blind_index_key,
    }
    result = CliRunner().invoke(cli, ["keys", "accept-secret"], env=env)
    assert result.exit_code == 0, result.output
    _start(settings, secret_key=new_secret).engine.dispose()
    with pytest.raises(keys.KeyMismatch, match="JIABAO_SECRET_KEY"):
        _start(settings)  # the old secret is now the wrong one
