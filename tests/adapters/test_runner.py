"""What the process prints and logs never shows a token or a database password."""

from __future__ import annotations

from adapters.runner import _redacted
from bot.cli import _shown


def test_a_rejected_token_is_not_logged() -> None:
    error = RuntimeError("The token `123456:SECRET` was rejected by the server.")
    assert "SECRET" not in _redacted(error, ["123456:SECRET"])
    assert _redacted(error, ["123456:SECRET"]).startswith("RuntimeError: The token `***`")


def test_database_passwords_are_hidden() -> None:
    shown = _shown("postgresql+asyncpg://bot:hunter2@db.example:5432/champions")
    assert "hunter2" not in shown and "db.example:5432/champions" in shown
    assert _shown("sqlite+aiosqlite:///var/champions.db") == "sqlite+aiosqlite:///var/champions.db"
