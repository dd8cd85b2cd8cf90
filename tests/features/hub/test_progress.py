"""The import progress bar: drawn on a terminal only, never in logs or pipes."""

from __future__ import annotations

import io

from bot.features.hub.cli import ProgressBar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_only() -> None:
    terminal = Terminal()
    bar = ProgressBar(5000, terminal)
    bar(2500)
    bar.close()
    assert "50%" in terminal.getvalue() and "2500/5000" in terminal.getvalue()
    pipe = io.StringIO()
    quiet = ProgressBar(5000, pipe)
    quiet(2500)
    quiet.close()
    assert pipe.getvalue() == ""
