"""Bad input for the PostgreSQL back end: each a one-line message that says what to do and
never shows a password; and the two roles of 'granska db init'."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from conftest import READER_PASSWORD, REPO, WRITER_PASSWORD, FakeEmbedder, PgDatabase, new_database
from pg_server import LocalServer, free_port, local_server

from assistant.errors import GranskaError
from assistant.indexing import build_index
from assistant.search.retriever import Retriever
from assistant.settings import Settings
from assistant.store.postgres import DatabaseError, NoIndexYet, init_database

SECRET = "s3cret-Pässword"


def _open(url: str) -> Retriever:
    return Retriever.open(embedder=FakeEmbedder(), settings=Settings(database_url=url))


def _message(excinfo: pytest.ExceptionInfo[GranskaError]) -> str:
    text = str(excinfo.value)
    assert "\n" not in text and SECRET not in text
    for pw in (WRITER_PASSWORD, READER_PASSWORD):
        assert pw not in text
    return text


def test_unreachable_server() -> None:
    url = f"postgresql://granska_reader:{SECRET}@127.0.0.1:{free_port()}/granska"
    with pytest.raises(DatabaseError) as e:
        _open(url)
    text = _message(e)
    assert "cannot reach the PostgreSQL server" in text and "granska_reader@127.0.0.1" in text


def test_wrong_password(pg_db: PgDatabase) -> None:
    url = pg_db.server.url("granska_reader", SECRET, pg_db.name)
    with pytest.raises(DatabaseError) as e:
        _open(url)
    assert "rejected the password for role 'granska_reader'" in _message(e)


def test_unknown_database(pg: LocalServer) -> None:
    with pytest.raises(DatabaseError) as e:
        _open(pg.url(db="nosuchdb"))
    assert "database 'nosuchdb' does not exist" in _message(e)


def test_not_a_connection_string() -> None:
    with pytest.raises(DatabaseError) as e:
        _open(f"postgresql://u:{SECRET}@host:notaport/db?bogus_option=1")
    assert "not a valid libpq connection string" in _message(e)


def test_database_without_the_schema(pg: LocalServer) -> None:
    db = new_database(pg, init=False)
    with pytest.raises(DatabaseError) as e:
        _open(db.admin)
    assert "granska db init" in _message(e)


def test_schema_from_a_newer_version(pg_db: PgDatabase) -> None:
    with psycopg.connect(pg_db.admin) as c:
        c.execute("UPDATE granska.meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(DatabaseError) as e:
        _open(pg_db.reader)
    assert "version 99" in _message(e) and "upgrade Granska" in str(e.value)
    with pytest.raises(DatabaseError, match="upgrade Granska"):
        init_database(pg_db.admin)


def test_pgvector_dropped_from_the_database(pg_db: PgDatabase) -> None:
    with psycopg.connect(pg_db.admin) as c:
        c.execute("DROP EXTENSION vector CASCADE")
    with pytest.raises(DatabaseError) as e:
        _open(pg_db.reader)
    assert "pgvector extension is missing" in _message(e)


def test_server_without_pgvector() -> None:
    with local_server(without_pgvector=True) as server:
        with pytest.raises(DatabaseError) as e:
            init_database(server.url())
        assert "no pgvector extension" in _message(e) and "granska db init" in str(e.value)


def test_nothing_built_yet(pg_db: PgDatabase) -> None:
    with pytest.raises(NoIndexYet) as e:
        _open(pg_db.reader)
    assert "granska index" in _message(e)


def test_reader_role_cannot_build_or_write(pg_db: PgDatabase, tmp_path: Path) -> None:
    settings = Settings(corpus=REPO / "corpus", index=tmp_path, database_url=pg_db.reader)
    with pytest.raises(DatabaseError) as e:
        build_index(settings, embedder=FakeEmbedder())
    text = _message(e)
    assert "may only read" in text and "granska_writer" in text
    # Not only our check: the server itself refuses the reader any write.
    with psycopg.connect(pg_db.reader) as c, pytest.raises(psycopg.errors.InsufficientPrivilege):
        c.execute("INSERT INTO granska.meta VALUES ('x', 'y')")
    with psycopg.connect(pg_db.reader) as c, pytest.raises(psycopg.errors.InsufficientPrivilege):
        c.execute("CREATE TABLE granska.g99_chunks (x int)")


def test_reader_reads_what_the_writer_built(pg_db: PgDatabase, tmp_path: Path) -> None:
    writer = Settings(corpus=REPO / "corpus", index=tmp_path, database_url=pg_db.writer)
    build_index(writer, embedder=FakeEmbedder())
    hits = _open(pg_db.reader).search("informationssäkerhet", 3)
    assert hits and all(h.chunk.text for h in hits)
    with psycopg.connect(pg_db.reader) as c:
        (user,) = c.execute("SELECT current_user").fetchone()  # type: ignore[misc]
        assert user == "granska_reader"


def test_db_init_is_idempotent_and_needs_an_owner(pg_db: PgDatabase) -> None:
    again = init_database(pg_db.admin)
    assert again.created_roles == [] and not again.created_schema
    assert "already up to date" in again.summary()
    with pytest.raises(DatabaseError) as e:
        init_database(pg_db.reader, writer="other_writer", reader="other_reader")
    assert "database owner" in _message(e)


def test_password_file_and_libpq_variables(
    pg_db: PgDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = Settings(corpus=REPO / "corpus", index=tmp_path, database_url=pg_db.writer)
    build_index(writer, embedder=FakeEmbedder())
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{pg_db.server.port}:*:granska_reader:{READER_PASSWORD}\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    monkeypatch.setenv("PGPORT", str(pg_db.server.port))
    # No password and no port in the URL: libpq takes them from the password file and PGPORT.
    assert _open(f"postgresql://granska_reader@127.0.0.1/{pg_db.name}").search("plan", 1)
    passfile.write_text(f"127.0.0.1:{pg_db.server.port}:*:granska_reader:{SECRET}\n")
    with pytest.raises(DatabaseError) as e:
        _open(f"postgresql://granska_reader@127.0.0.1/{pg_db.name}?sslmode=disable")
    assert "rejected the password" in _message(e)
