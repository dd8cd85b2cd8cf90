"""A bot that cannot start says why in one line and exits with status 2, through the real
command line (a subprocess with no tokens, so ``run`` would start the console).

Each case names what to fix: the database server, the database, the user, the SQLite place,
the config file. No traceback: before, these were 17 to 195 lines of one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import PG_ENV

ROOT = Path(__file__).resolve().parent.parent


def champions_bot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_BOT_TOKEN")}
    env.pop("CHAMPIONS_BOT_CONFIG", None)
    env.pop("CHAMPIONS_BOT_DATABASE_URL", None)
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_line(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for words in expected:
        assert words in lines[0], lines[0]


def test_an_unreachable_postgresql(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://bot:s3cret@127.0.0.1:1/champions"
    result = champions_bot("run", "--db", url, cwd=tmp_path)
    assert_one_line(result, "127.0.0.1:1/champions", "cannot connect", "host and port")
    assert "s3cret" not in result.stderr


def test_db_upgrade_says_the_same(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://bot@127.0.0.1:1/champions"
    assert_one_line(champions_bot("db", "upgrade", "--db", url, cwd=tmp_path), "cannot connect")


def test_an_sqlite_file_where_a_folder_cannot_be_made(tmp_path: Path) -> None:
    (tmp_path / "var").write_text("a file, not a folder")
    url = f"sqlite+aiosqlite:///{tmp_path / 'var' / 'bot.db'}"
    result = champions_bot("run", "--db", url, cwd=tmp_path)
    assert_one_line(result, "cannot create the folder", "a file is in the way", "[storage] url")


def test_an_sqlite_path_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "bot.db").mkdir()
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    result = champions_bot("db", "upgrade", "--db", url, cwd=tmp_path)
    assert_one_line(result, "unable to open database file", "names a file")


def test_a_config_file_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "config.toml").mkdir()
    result = champions_bot("run", "--config", "config.toml", cwd=tmp_path)
    assert_one_line(result, "config.toml is a folder")


def test_a_config_file_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_bytes('[community]\nname = "Caf\xe9"\n'.encode("latin-1"))
    result = champions_bot("run", "--config", "config.toml", cwd=tmp_path)
    assert_one_line(result, "config.toml is not UTF-8", "save it as UTF-8")


@pytest.fixture
def postgres_server() -> str:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} not set")
    return base


def test_a_missing_postgresql_database(tmp_path: Path, postgres_server: str) -> None:
    url = make_url(postgres_server).set(database="champions_never_created")
    shown = url.render_as_string(hide_password=False)
    result = champions_bot("run", "--db", shown, cwd=tmp_path)
    assert_one_line(result, '"champions_never_created" does not exist', "createdb")


def test_a_wrong_postgresql_user(tmp_path: Path, postgres_server: str) -> None:
    url = make_url(postgres_server).set(username="nobody_we_know", password="x")
    shown = url.render_as_string(hide_password=False)
    result = champions_bot("db", "upgrade", "--db", shown, cwd=tmp_path)
    assert_one_line(result, "nobody_we_know", "[storage] url")
