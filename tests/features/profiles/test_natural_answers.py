"""Onboarding takes natural answers: the label or a synonym of a role, theme or region, in any
of the four languages, accents and case aside; an answer it cannot match gets the choices."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.errors import UsageError
from bot.core.i18n import Translator
from bot.features.profiles.service import set_field
from storage.models import Member

NOW = datetime(2026, 11, 27, tzinfo=UTC)


def _member() -> Member:
    return Member(display_name="Aya", language="fr", languages=[], expertise=[])


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        ("role", "Élue", "elected"),
        ("role", "elected representative", "elected"),
        ("role", "ELECTA", "elected"),
        ("role", "منتخبة", "elected"),
        ("role", "1", "elected"),
        ("expertise", "violence basée sur le genre", ["gbv"]),
        ("expertise", "vbg", ["gbv"]),
        ("expertise", "Violencia de genero", ["gbv"]),
        ("region", "caraibes", "latin_america"),
    ],
)
def test_natural_answers_are_matched(field: str, typed: str, stored: object) -> None:
    member = _member()
    set_field(member, field, typed, Translator("fr"), NOW)
    assert getattr(member, field) == stored


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_an_unmatched_answer_gets_the_choices(language: str) -> None:
    member = _member()
    with pytest.raises(UsageError) as raised:
        set_field(member, "role", "astronaut", Translator(language), NOW)
    allowed = raised.value.values["allowed"]
    assert Translator(language).gettext("Elected representative") in allowed
    assert member.role is None
