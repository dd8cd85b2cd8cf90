"""``#theme`` in a search, as ``/ask`` taught it (issue 19): a theme filter when it names one."""

from __future__ import annotations

import pytest

from bot.features.hub.service import parse_query


@pytest.mark.parametrize(
    ("typed", "theme", "text"),
    [
        ("#gbv budgets", "gbv", "budgets"),
        ("#quotas", "legal_quotas", ""),
        ("#violencia_de_género mujeres", "gbv", "mujeres"),
        ("#zzz words", None, "zzz words"),  # no theme: searched as a word, not refused
    ],
)
def test_a_hashtag_filters_by_theme(typed: str, theme: str | None, text: str) -> None:
    parsed = parse_query(typed)
    assert parsed.filters.theme == theme
    assert parsed.text == text
