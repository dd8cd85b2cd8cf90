"""Texts fitted into platform limits keep whole words, in every language."""

from __future__ import annotations

import pytest

from adapters.shorten import shorten, utf16_units


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Your answer", 45, "Your answer"),
        ("  Your\n answer  ", 45, "Your answer"),
        (
            "Ask the champions for advice (start with “anonymous” to hide your name)",
            45,
            "Ask the champions for advice",
        ),
        (
            "Envoyer une annonce aux discussions de la communauté (et aux champions)",
            45,
            "Envoyer une annonce aux discussions de la…",
        ),
        (
            "Annoncer dans les discussions et notifier le rôle d'annonce sur Discord",
            45,
            "Annoncer dans les discussions et notifier le…",
        ),
        ("Campos como clave:valor, p. ej. title:x url:y", 30, "Campos como clave:valor, p…"),
        (
            "الإعلان في المحادثات وتنبيه دور الإعلانات على Discord",
            30,
            "الإعلان في المحادثات وتنبيه…",
        ),
        ("x" * 60, 45, "x" * 44 + "…"),
        ("anything", 0, ""),
        ("anything", 1, "…"),
    ],
)
def test_whole_words_and_an_ellipsis(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


def test_a_cut_never_separates_a_letter_from_its_accent() -> None:
    decomposed = "e\u0301" * 30  # é as e + combining acute
    cut = shorten(decomposed, 10)
    assert len(cut) <= 10 and not cut.removesuffix("…").endswith("e")


def test_other_measures_like_utf16_for_telegram() -> None:
    text = "🎉 " * 20
    cut = shorten(text, 11, measure=utf16_units)
    assert utf16_units(cut) <= 11 and cut == "🎉 🎉 🎉…"
