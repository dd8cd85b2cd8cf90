"""The console adapter and the command line, as a person runs them."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.console import ConsoleAdapter
from bot import __version__
from bot.app import BotApp

ROOT = Path(__file__).resolve().parents[3]


def run_cli(*args: str, stdin: str = "", tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CHAMPIONS_BOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'cli.db'}",
    }
    env.pop("TELEGRAM_BOT_TOKEN", None)
    env.pop("DISCORD_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp,
        timeout=120,
        check=False,
    )


def test_piped_session_greets_and_lists_help(tmp_path: Path) -> None:
    result = run_cli("console", stdin="amina> /start\namina> /help\n", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[room] Welcome to Champions Bot, Amina!" in out
    assert "[to amina] What name should the network see?" in out
    assert "[to amina]   • Profile and networking — /profile" in out
    assert "[room] Amina, I sent you my answer privately." in out
    assert "Traceback" not in result.stderr


def test_run_without_tokens_starts_the_console(tmp_path: Path) -> None:
    result = run_cli("run", "--as", "lucia", stdin="/start\n/bogus\n", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "starting the console adapter" in result.stderr
    assert "Welcome to Champions Bot, Lucia!" in result.stdout
    assert "I don't know the command /bogus." in result.stdout


def test_version_help_and_db_upgrade(tmp_path: Path) -> None:
    assert run_cli("--version", tmp=tmp_path).stdout.strip() == f"champions-bot {__version__}"
    for command in (("run",), ("console",), ("db", "upgrade")):
        result = run_cli(*command, "--help", tmp=tmp_path)
        assert result.returncode == 0 and "usage:" in result.stdout
    upgraded = run_cli("db", "upgrade", tmp=tmp_path)
    assert upgraded.returncode == 0 and "up to date" in upgraded.stdout
    assert (tmp_path / "cli.db").exists()


async def test_console_admin_flag_and_private_lines(app: BotApp, tmp_path: Path) -> None:
    output = io.StringIO()
    console = ConsoleAdapter(app, default_name="sofia", admins=("rania",), output=output,
                             files_dir=tmp_path)  # fmt: skip
    request = console.request_for("rania>> /help")
    assert request is not None and request.actor.is_platform_admin
    assert request.place.kind.value == "private"
    assert console.request_for("   ") is None
    plain = console.request_for("hello there")
    assert plain is not None and plain.actor.user_id == "sofia"
    await console.handle_line("amina>> /profile")
    assert output.getvalue().startswith("[to amina] Amina")


def test_export_threads_from_the_command_line_hides_the_asker(tmp_path: Path) -> None:
    script = (
        "amina>> /ask anonymous How do councils stop online abuse of candidates? #gbv\n"
        "grace> /answer Q1 A <b>hotline</b> with the electoral body.\n"
        "amina>> /solved Q1 1\n"
    )
    assert run_cli("console", stdin=script, tmp=tmp_path).returncode == 0
    out = tmp_path / "threads.html"
    result = run_cli("export", "threads", "--format", "html", "--output", str(out), tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    page = out.read_text()
    assert "Q1 · How do councils stop online abuse of candidates?" in page
    assert "&lt;b&gt;hotline&lt;/b&gt;" in page and "Amina" not in page
    digest = run_cli("export", "digest", "--format", "json", tmp=tmp_path)
    assert '"solved": [' in digest.stdout and "Q1 · How do councils" in digest.stdout
    missing = run_cli("export", "profiles", "--community", "nope", tmp=tmp_path)
    assert missing.returncode == 2 and "No community 'nope'" in missing.stderr


def test_console_session_shows_the_whole_life_of_a_question(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[admins]\nconsole = ["sofia"]\n\n[[community.chats]]\nplatform = "console"\n'
        'chat_id = "advice-room"\npurpose = "advice"\n'
    )
    script = "\n".join(
        [
            "grace> /profile set country Zambia",
            "grace> /profile set expertise gbv",
            "sofia> /champion approve grace",
            "amina>> /ask anonymous How do other councils protect women candidates "
            "from online harassment? #gbv",
            "grace> /answer Q1 We ran a reporting hotline with the electoral body.",
            "amina>> /solved Q1 1",
            "lucia> /search_advice harassment",
            "lucia> /thread Q1",
        ]
    )
    result = run_cli("console", "--config", str(config), stdin=script + "\n", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[advice-room] Q1 · How do other councils protect women candidates" in out
    assert "[to grace] A new question matches your expertise." in out
    assert "[advice-room] Grace (East and Southern Africa, via console): We ran a reporting" in out
    assert "[to amina] Your question Q1 has its first answer." in out
    assert "[advice-room] ✅ Q1 is solved." in out
    assert "[room] Q1 · How do other councils" in out or "Q1 How do other councils" in out
    assert "Amina" not in out.replace("[to amina]", "")


async def test_console_says_where_a_file_was_written(
    app: BotApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    output = io.StringIO()
    console = ConsoleAdapter(app, output=output, files_dir=Path("var/console-files"))
    await console.handle_line("amina>> /mydata")
    written = _file_shown(output.getvalue())
    assert written.parent == (tmp_path / "var" / "console-files").resolve()


def _file_shown(output: str) -> Path:
    """The one file the console said it wrote; it must be a full path to a real file."""
    (shown,) = [line for line in output.splitlines() if "(file: " in line]
    written = Path(shown.split("(file: ", 1)[1].split(", ")[0])
    assert written.is_absolute() and written.is_file()
    return written


def test_export_says_where_it_wrote_the_file(tmp_path: Path) -> None:
    result = run_cli("export", "profiles", "--format", "json", "--output", "out.json", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"to {(tmp_path / 'out.json').resolve()}" in result.stderr


async def test_invalid_utf8_typed_in_is_shown_as_replacement_and_the_session_goes_on(
    app: BotApp, tmp_path: Path
) -> None:
    """A stray byte (a Latin-1 é) used to stop the reader thread on strict decoding and leave
    the console waiting for ever; it now reads as U+FFFD and the next line is answered."""
    typed = b"amina>> /profile set bio caf\xe9 au lait\namina>> /profile\n"
    source = io.TextIOWrapper(io.BytesIO(typed), encoding="utf-8", errors="strict")
    output = io.StringIO()
    console = ConsoleAdapter(app, output=output, files_dir=tmp_path)
    await asyncio.wait_for(console.run(source), timeout=30)
    assert "About: caf\ufffd au lait" in output.getvalue()
