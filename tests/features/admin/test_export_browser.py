"""The HTML export renders in a real headless Chromium, with hostile text shown as text.

Skipped when no Chromium is installed (``apt-get install chromium``); CI's machine has one.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from bot.app import BotApp
from tests.helpers import say

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True, text=True, timeout=90, check=False,
    )  # fmt: skip


async def test_export_page_renders_with_hostile_text_escaped(app: BotApp, tmp_path: Path) -> None:
    hostile = '<img src=x onerror="document.title=1"><script>document.title="pwned"</script>'
    await say(app, "amina", "/profile set country Tunisia")
    await say(app, "amina", f"/profile set bio {hostile}")
    await say(app, "amina", "/profile set publish yes")
    await say(app, "rania", "/profile set bio أعمل على مشاركة المرأة في البلديات")
    await say(app, "rania", "/profile set publish yes")
    for name in ("amina", "rania"):
        await say(app, "sofia", f"/champion approve {name}")
    page = tmp_path / "profiles.html"
    page.write_bytes((await say(app, "sofia", "/export profiles html"))[0].attachments[0].data)

    dom = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-500:]
    assert "<title>Champions of Gender Hub Champions</title>" in dom.stdout
    assert "&lt;script&gt;" in dom.stdout and "<script>" not in dom.stdout
    assert "<img" not in dom.stdout
    assert 'dir="rtl" lang="ar"' in dom.stdout
    assert "أعمل على مشاركة المرأة في البلديات" in dom.stdout

    shot = tmp_path / "profiles.png"
    result = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1000,700", page.as_uri())
    assert result.returncode == 0 and shot.exists(), result.stderr[-500:]
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1000, 700)
    assert shot.stat().st_size > 10_000  # a rendered page, not a blank image
