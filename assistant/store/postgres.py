"""The shared index on PostgreSQL + pgvector: connections, schema, roles, generations.

An organisation that outgrows one machine points every ``granska`` at one database
(``GRANSKA_DATABASE_URL``, a libpq connection string: password files, ``sslmode`` and
the ``PG*`` environment variables work as for ``psql``). Layout, in the schema
``granska``:

    meta               schema version, role names
    generations        one row per build (planning, embedding, writing, live, retired, ...)
    current            the pointer to the live generation (one row)
    embeddings         the embedding cache: (model, text hash) -> vector
    work               a build's queue of documents to read, chunk and embed
    g<N>_documents     the documents of generation N (text, metadata, file stats)
    g<N>_chunks        its chunks: metadata, vector(dim), term frequencies (sparsevec)
    g<N>_terms         document frequencies and idf per term (the BM25 statistics)
    g<N>_words         the surface words of the corpus (compound splitting, ``knows``)
    g<N>_sentences / g<N>_templates   sentences shared by reports of several municipalities

A build writes generation N's tables while readers keep using the live one, then marks N
live and switches ``current`` in one transaction. Generations are never edited after the
switch; the previous one is kept for readers that opened it, older ones are dropped.
Nothing here prints a password: locations are shown as ``user@host:port/db``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from assistant.errors import GranskaError

if TYPE_CHECKING:
    import psycopg

SCHEMA = "granska"
SCHEMA_VERSION = 1
WRITER = "granska_writer"
READER = "granska_reader"
CONNECT_TIMEOUT = 10
# Generations other than the live one that keep their tables (readers that opened them
# before a switch go on answering from them).
KEEP_PREVIOUS = 1
# The key of the build lock (pg_try_advisory_lock): a stable 63-bit number.
BUILD_LOCK_KEY = int.from_bytes(hashlib.sha256(b"granska.build").digest()[:8], "big") >> 1


class DatabaseError(GranskaError):
    """The PostgreSQL back end cannot do what was asked; the message says what to fix."""


class NoIndexYet(DatabaseError):
    """The database is set up but nothing has been built in it yet."""


@dataclass(frozen=True)
class Where:
    """A connection target without its password, for messages."""

    user: str
    host: str
    port: str
    dbname: str

    def __str__(self) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.dbname}"


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as e:
        raise DatabaseError(
            "GRANSKA_DATABASE_URL is set but the PostgreSQL driver is missing; "
            "install it with: pip install 'granska[postgres]'"
        ) from e
    return psycopg


def where(url: str) -> Where:
    """Who and where ``url`` connects to, with libpq's defaults and ``PG*`` variables."""
    psycopg = _psycopg()
    try:
        params = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError as e:
        raise DatabaseError(
            "GRANSKA_DATABASE_URL (or --database-url) is not a valid libpq connection "
            "string; use the form postgresql://user@host:port/database"
        ) from e
    env = os.environ
    user = str(params.get("user") or env.get("PGUSER") or _login_name())
    host = str(params.get("host") or params.get("hostaddr") or env.get("PGHOST") or "localhost")
    port = str(params.get("port") or env.get("PGPORT") or "5432")
    dbname = str(params.get("dbname") or env.get("PGDATABASE") or user)
    return Where(user, host, port, dbname)


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "postgres"


def connect(url: str, autocommit: bool = True, application: str = "granska") -> psycopg.Connection:
    """A connection to ``url`` with pgvector's types registered when the extension exists.

    Raises:
        DatabaseError: The server cannot be reached, rejects the login, or the database
            does not exist; the message names the target (never the password).
    """
    psycopg = _psycopg()
    target = where(url)
    params = psycopg.conninfo.conninfo_to_dict(url)
    extra: dict[str, Any] = {"application_name": params.get("application_name", application)}
    if "connect_timeout" not in params and "PGCONNECT_TIMEOUT" not in os.environ:
        extra["connect_timeout"] = CONNECT_TIMEOUT
    try:
        conn = psycopg.connect(url, autocommit=autocommit, **extra)
    except psycopg.OperationalError as e:
        raise DatabaseError(_connect_message(target, str(e))) from None
    try:
        _register_vector(conn)
    except Exception:
        conn.close()
        raise
    return conn


def _connect_message(target: Where, detail: str) -> str:
    low = detail.lower()
    if "password authentication failed" in low or "no password supplied" in low:
        return (
            f"{target}: the server rejected the password for role '{target.user}'; check "
            "the password in GRANSKA_DATABASE_URL, PGPASSWORD or ~/.pgpass"
        )
    if f'database "{target.dbname.lower()}" does not exist' in low:
        return (
            f"{target}: database '{target.dbname}' does not exist; create it "
            f"(createdb {target.dbname}) or fix GRANSKA_DATABASE_URL"
        )
    if "role" in low and "does not exist" in low:
        return (
            f"{target}: role '{target.user}' does not exist; run 'granska db init' or fix "
            "the user in GRANSKA_DATABASE_URL"
        )
    if "no pg_hba.conf entry" in low:
        return (
            f"{target}: the server does not accept this login (pg_hba.conf); ask the "
            "database administrator to allow it"
        )
    if "ssl" in low:
        return f"{target}: TLS negotiation failed; check sslmode in GRANSKA_DATABASE_URL"
    reason = "connection refused" if "refused" in low else "no answer"
    if "timeout" in low:
        reason = "timed out"
    return (
        f"{target}: cannot reach the PostgreSQL server ({reason}); check the host and port "
        "in GRANSKA_DATABASE_URL and that the server is running"
    )


def _register_vector(conn: psycopg.Connection) -> None:
    row = conn.execute("SELECT 1 FROM pg_type WHERE typname = 'vector'").fetchone()
    if row is None:
        return
    from pgvector.psycopg import register_vector

    register_vector(conn)


def translate(target: Where | str, e: Exception) -> DatabaseError:
    """A one-line ``DatabaseError`` for an error raised by a statement."""
    psycopg = _psycopg()
    errors = psycopg.errors
    if isinstance(e, errors.InsufficientPrivilege):
        return DatabaseError(
            f"{target}: this role may only read the index; build with the writer role "
            f"('{WRITER}' unless 'granska db init' named another)"
        )
    if isinstance(e, errors.ReadOnlySqlTransaction):
        return DatabaseError(
            f"{target}: this server is a read-only replica; build against the primary"
        )
    if isinstance(e, errors.UndefinedTable):
        return DatabaseError(
            f"{target}: part of the index is missing (it was rebuilt twice since this "
            "reader opened it, or the schema was dropped); open it again"
        )
    if isinstance(e, psycopg.OperationalError):
        return DatabaseError(f"{target}: the connection to the server was lost; try again")
    first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return DatabaseError(f"{target}: the database refused the request ({first})")


@contextlib.contextmanager
def guarded(target: Where | str) -> Iterator[None]:
    """Turn driver errors inside the block into ``DatabaseError``."""
    psycopg = _psycopg()
    try:
        yield
    except psycopg.Error as e:
        raise translate(target, e) from e


def ident(name: str) -> Any:
    return _psycopg().sql.Identifier(name)


def table(generation: int, part: str) -> Any:
    """``granska.g<N>_<part>``, quoted."""
    return _psycopg().sql.Identifier(SCHEMA, f"g{int(generation)}_{part}")


# ---------------------------------------------------------------- schema checks


@dataclass(frozen=True)
class SchemaInfo:
    version: int
    writer: str
    reader: str


def check_schema(conn: psycopg.Connection, target: Where) -> SchemaInfo:
    """The schema's version and roles; a clear error when it is missing or too new."""
    with guarded(target):
        has_meta = conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.meta",)).fetchone()
        vector = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone()
        if not has_meta or has_meta[0] is None:
            raise DatabaseError(
                f"{target}: no Granska index in this database (schema '{SCHEMA}' is "
                "missing); run 'granska db init' as the database owner"
            )
        if vector is None:
            raise DatabaseError(
                f"{target}: the pgvector extension is missing from this database; install "
                "pgvector on the server and run 'granska db init' again"
            )
        rows: dict[str, str] = dict(
            conn.execute(f"SELECT key, value FROM {SCHEMA}.meta").fetchall()
        )
    try:
        version = int(rows.get("schema_version", "0"))
    except ValueError:
        version = 0
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"{target}: the index schema is version {version}, newer than this Granska "
            f"reads ({SCHEMA_VERSION}); upgrade Granska"
        )
    if version < 1:
        raise DatabaseError(
            f"{target}: the Granska schema is incomplete; run 'granska db init' again"
        )
    return SchemaInfo(version, rows.get("writer", WRITER), rows.get("reader", READER))


def can_write(conn: psycopg.Connection) -> bool:
    row = conn.execute(
        "SELECT has_table_privilege(%s, 'INSERT')", (f"{SCHEMA}.generations",)
    ).fetchone()
    return bool(row and row[0])


# ---------------------------------------------------------------- db init


@dataclass
class InitReport:
    target: Where
    created_schema: bool
    created_roles: list[str]
    version: int
    writer: str
    reader: str

    def summary(self) -> str:
        made = (
            f"created roles {', '.join(self.created_roles)}"
            if self.created_roles
            else "roles already there"
        )
        state = "created" if self.created_schema else "already up to date"
        return (
            f"Schema '{SCHEMA}' version {self.version} {state} in {self.target}; "
            f"{made}: '{self.writer}' builds, '{self.reader}' only reads"
        )


def init_database(
    url: str,
    writer: str = WRITER,
    reader: str = READER,
    writer_password: str | None = None,
    reader_password: str | None = None,
) -> InitReport:
    """Create pgvector, the schema and the two roles (idempotent).

    Connect as the database owner or a superuser. Passwords, when given, are sent as
    SCRAM verifiers computed here (the server never sees them in clear, and nothing logs
    or prints them); without one a role is created ``NOLOGIN`` unless it exists, and can
    be granted to login roles (``GRANT granska_reader TO alice``).
    """
    psycopg = _psycopg()
    sql = psycopg.sql
    target = where(url)
    conn = connect(url)
    with conn:
        try:
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        except (psycopg.errors.UndefinedFile, psycopg.errors.FeatureNotSupported) as e:
            raise DatabaseError(
                f"{target}: the server has no pgvector extension; install pgvector for "
                "this PostgreSQL (e.g. the postgresql-<version>-pgvector package) and run "
                "'granska db init' again"
            ) from e
        except psycopg.errors.InsufficientPrivilege as e:
            raise DatabaseError(
                f"{target}: role '{target.user}' may not create the pgvector extension; "
                "run 'granska db init' as the database owner or a superuser"
            ) from e
        _register_vector(conn)
        with guarded(target):
            existing = (
                conn.execute(
                    f"SELECT value FROM {SCHEMA}.meta WHERE key = 'schema_version'"
                ).fetchone()
                if _exists(conn, f"{SCHEMA}.meta")
                else None
            )
            if existing and int(existing[0]) > SCHEMA_VERSION:
                raise DatabaseError(
                    f"{target}: the index schema is version {existing[0]}, newer than this "
                    f"Granska ({SCHEMA_VERSION}); upgrade Granska"
                )
        created: list[str] = []
        try:
            with conn.transaction():
                for role, password in ((writer, writer_password), (reader, reader_password)):
                    if _ensure_role(conn, role, password):
                        created.append(role)
                db = conn.execute("SELECT current_database()").fetchone()
                assert db is not None
                for role in (writer, reader):
                    conn.execute(
                        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                            ident(db[0]), ident(role)
                        )
                    )
                conn.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {} AUTHORIZATION {}").format(
                        ident(SCHEMA), ident(writer)
                    )
                )
                ddl = resources.files("assistant.store").joinpath("pg_schema.sql").read_text()
                statements = [s for s in _split_sql(ddl)]
                # Tables belong to the writer, so that its builds may alter and drop them.
                conn.execute(sql.SQL("SET LOCAL ROLE {}").format(ident(writer)))
                for stmt in statements:
                    conn.execute(sql.SQL(stmt).format(schema=ident(SCHEMA)))
                conn.execute("RESET ROLE")
                conn.execute(
                    sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(ident(SCHEMA), ident(reader))
                )
                conn.execute(
                    sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(
                        ident(SCHEMA), ident(reader)
                    )
                )
                conn.execute(
                    sql.SQL(
                        "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} "
                        "GRANT SELECT ON TABLES TO {}"
                    ).format(ident(writer), ident(SCHEMA), ident(reader))
                )
                conn.execute(
                    sql.SQL("REVOKE CREATE ON SCHEMA {} FROM {}").format(
                        ident(SCHEMA), ident(reader)
                    )
                )
                before = existing is not None
                conn.execute(
                    f"INSERT INTO {SCHEMA}.meta (key, value) VALUES "
                    "('schema_version', %s), ('writer', %s), ('reader', %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(SCHEMA_VERSION), writer, reader),
                )
        except psycopg.errors.InsufficientPrivilege as e:
            raise DatabaseError(
                f"{target}: role '{target.user}' may not create roles or schemas; run "
                "'granska db init' as the database owner with CREATEROLE, or a superuser"
            ) from e
        except psycopg.Error as e:
            raise translate(target, e) from e
    return InitReport(target, not before, created, SCHEMA_VERSION, writer, reader)


def _exists(conn: psycopg.Connection, name: str) -> bool:
    row = conn.execute("SELECT to_regclass(%s)", (name,)).fetchone()
    return bool(row and row[0])


def _split_sql(text: str) -> list[str]:
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _ensure_role(conn: psycopg.Connection, role: str, password: str | None) -> bool:
    sql = _psycopg().sql
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    if not exists:
        login = sql.SQL("LOGIN") if password else sql.SQL("NOLOGIN")
        conn.execute(sql.SQL("CREATE ROLE {} {}").format(ident(role), login))
    if password:
        verifier = conn.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256")
        conn.execute(
            sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(
                ident(role), sql.Literal(verifier.decode())
            )
        )
    return not exists


# ---------------------------------------------------------------- generations


@dataclass(frozen=True)
class Generation:
    id: int
    state: str
    manifest: dict[str, Any] | None
    stats: dict[str, Any] | None


def live_generation(conn: psycopg.Connection, target: Where) -> Generation | None:
    """The generation ``current`` points at, or ``None`` before the first build."""
    with guarded(target):
        row = conn.execute(
            f"SELECT g.id, g.state, g.manifest, g.stats FROM {SCHEMA}.current c "
            f"JOIN {SCHEMA}.generations g ON g.id = c.generation"
        ).fetchone()
    return Generation(*row) if row else None


def try_build_lock(conn: psycopg.Connection) -> bool:
    """Take the build lock for this session (released on disconnect, even on kill -9)."""
    row = conn.execute("SELECT pg_try_advisory_lock(%s)", (BUILD_LOCK_KEY,)).fetchone()
    return bool(row and row[0])


def drop_generation_tables(conn: psycopg.Connection, generation: int) -> None:
    sql = _psycopg().sql
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename LIKE %s",
        (SCHEMA, f"g{int(generation)}\\_%"),
    ).fetchall()
    for (name,) in rows:
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(SCHEMA, name)))
