"""Every message the bot can say exists in French, Spanish and Arabic (English is the source)."""

from __future__ import annotations

import pytest

from bot.core.i18n import SOURCE_LANGUAGE, SUPPORTED_LANGUAGES, Translator, normalize_language
from tests.i18n_tools import code_messages, missing, wrong_placeholders

TRANSLATED = [lang for lang in SUPPORTED_LANGUAGES if lang != SOURCE_LANGUAGE]


def test_the_code_has_messages_to_translate() -> None:
    assert len(code_messages()) > 50


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language: str) -> None:
    gaps = missing(language)
    assert not gaps, f"{len(gaps)} messages lack a {language} translation: " + "; ".join(
        f"{where}: {msgid!r}" for msgid, where in list(gaps.items())[:10]
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_their_placeholders(language: str) -> None:
    assert wrong_placeholders(language) == {}


def test_translator_fills_values_and_falls_back_to_english() -> None:
    french = Translator("fr")
    assert "Amina" in french.gettext("Welcome to Champions Bot, {name}!", name="Amina")
    assert french.gettext("Welcome to Champions Bot, {name}!", name="x") != (
        "Welcome to Champions Bot, x!"
    )
    assert Translator("de").language == "en"
    assert Translator("ar").rtl and not Translator("es").rtl


@pytest.mark.parametrize(
    ("code", "expected"),
    [("fr-FR", "fr"), ("es_419", "es"), ("ar", "ar"), ("pt-BR", None), (None, None)],
)
def test_platform_locales_map_to_supported_languages(
    code: str | None, expected: str | None
) -> None:
    assert normalize_language(code) == expected


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_message_is_translated_two_ways(language: str) -> None:
    """Features keep their own catalogs; one msgid must read the same in all of them."""
    from babel.messages.pofile import read_po

    from bot.core.i18n import catalog_files

    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for path in catalog_files(language):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if not message.id or not message.string:
                    continue
                first = seen.setdefault(str(message.id), (path.name, str(message.string)))
                if first[1] != message.string:
                    clashes.append(f"{message.id!r}: {first} vs {path.name}")
    assert clashes == []
