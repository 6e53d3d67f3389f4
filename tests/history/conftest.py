"""Fixtures for the history tests: the seed reports, and a database URL per backend.

`db_url` runs each test on a SQLite file and on a throwaway PostgreSQL cluster. The cluster is started
from the server binaries when this machine has them (pg_ctl on PATH or Debian's
/usr/lib/postgresql/*/bin) and psycopg is installed; otherwise the PostgreSQL runs skip, saying why.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from gxbg.report import parse_file

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
PG_PORT = 5432  # names the socket file only: the server listens on a unix socket in its own folder
_databases = itertools.count()


def shared_dir(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (the history tests store the shared seed reports)")
    return path


@pytest.fixture(scope="session")
def seed_reports():
    return [parse_file(path) for path in sorted(shared_dir("seeds").glob("*.txt"))]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A fresh, empty database in the session's cluster."""
    import psycopg
    from psycopg import sql

    name = f"gxbg_test_{os.getpid()}_{next(_databases)}"
    server = {"host": postgres_server, "port": PG_PORT, "user": "postgres", "dbname": "postgres"}
    with psycopg.connect(**server, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"postgresql://postgres@/{name}?host={postgres_server}&port={PG_PORT}"


@pytest.fixture(scope="session")
def postgres_server():
    """Start a PostgreSQL cluster in a temporary folder; yields its socket folder; stops and removes it."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed: pip install -e '.[postgres]'")
    bindir = postgres_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries on this machine: no pg_ctl on PATH nor in /usr/lib/postgresql/*/bin "
                    "(Debian: apt-get install postgresql)")
    user = server_user()
    # Not tmp_path: as root, the server's user cannot enter pytest's 0700 folders, and a unix socket
    # path must stay under 108 bytes.
    base = Path(tempfile.mkdtemp(prefix="gxbg-pg-"))
    try:
        if user is not None:
            shutil.chown(base, user=user)
        start_cluster(bindir, base, user)
        yield str(base)
        _run([str(bindir / "pg_ctl"), "stop", "-D", str(base / "data"), "-m", "fast", "-w"], user)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def postgres_bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    # Debian keeps the server programs off PATH, one folder per major version: take the newest.
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    return Path(versions[-1]).parent if versions else None


def server_user() -> str | None:
    """PostgreSQL refuses to run as root: as root, run it as the `postgres` user."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres").pw_name
    except KeyError:
        pytest.skip("running as root and there is no 'postgres' user to run the PostgreSQL server as")


def start_cluster(bindir: Path, base: Path, user: str | None) -> None:
    data = base / "data"
    _run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"], user)
    settings = {
        "listen_addresses": "''",  # no TCP: only the socket in our own folder
        "unix_socket_directories": f"'{base}'",
        "port": str(PG_PORT),
        "fsync": "off",  # a throwaway cluster: no need to survive a crash
        "synchronous_commit": "off",
        "full_page_writes": "off",
    }
    with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
    log = base / "server.log"
    try:
        _run([str(bindir / "pg_ctl"), "start", "-D", str(data), "-l", str(log), "-w", "-t", "60"], user)
    except RuntimeError as exc:
        text = log.read_text(errors="replace") if log.exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {exc}\n{text}") from exc


def _run(command: list[str], user: str | None) -> None:
    done = subprocess.run(command, capture_output=True, text=True, user=user, cwd="/")
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
