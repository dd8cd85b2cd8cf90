"""Every message the bot can say exists in French, Spanish and Arabic (English is the source)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core import i18n
from bot.core.i18n import SOURCE_LANGUAGE, SUPPORTED_LANGUAGES, Translator, normalize_language
from tests.i18n_tools import ROOT, code_messages, entry_key, misplaced, missing, wrong_placeholders

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

    seen: dict[object, tuple[str, object]] = {}
    clashes = []
    for path in catalog_files(language):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if not message.id or not message.string:
                    continue
                string = message.string
                text = tuple(string) if isinstance(string, (tuple, list)) else str(string)
                first = seen.setdefault(entry_key(message.id), (path.name, text))
                if first[1] != text:
                    clashes.append(f"{message.id!r}: {first} vs {path.name}")
    assert clashes == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_message_is_translated_by_the_package_that_uses_it(language: str) -> None:
    """A feature's messages live in its own folder; shared ones in the core's."""
    wrong = misplaced(language)
    assert wrong == {}, f"{len(wrong)} messages sit in another package's catalog: " + "; ".join(
        f"{msgid!r} is in {path}, belongs in {home}"
        for msgid, (path, home) in list(wrong.items())[:10]
    )


def test_catalogs_are_found_in_the_core_the_features_and_the_adapters() -> None:
    found = {path.relative_to(ROOT).as_posix() for path in i18n.catalog_files("fr")}
    assert {
        "bot/core/locales/fr.po",
        "bot/features/hub/locales/fr.po",
        "bot/features/events/locales/fr.po",
        "adapters/telegram/locales/fr.po",
        "adapters/discord/locales/fr.po",
    } <= found
    assert not (ROOT / "bot" / "locales").exists()


def test_a_registered_folder_joins_every_translator(tmp_path: Path) -> None:
    (tmp_path / "fr.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\nmsgid "Plugged in"\nmsgstr "Branché"\n',
        encoding="utf-8",
    )
    registered = list(i18n._registered)
    i18n.add_catalogs(tmp_path)
    try:
        assert Translator("fr").gettext("Plugged in") == "Branché"
        assert i18n.translations("Plugged in") == {
            "en": "Plugged in", "fr": "Branché", "es": "Plugged in", "ar": "Plugged in"
        }  # fmt: skip
    finally:
        i18n._registered[:] = registered
        i18n.load_catalog.cache_clear()
        i18n.translations.cache_clear()
    assert Translator("fr").gettext("Plugged in") == "Plugged in"


def test_an_adapter_brings_its_own_messages() -> None:
    import adapters.telegram  # noqa: F401  (registers adapters/telegram/locales)

    assert Translator("es").gettext("Open a private chat with me") != "Open a private chat with me"


def test_every_translation_file_ships_in_the_package() -> None:
    """``pip install`` copies only what ``package-data`` names; a missed .po is an English bot."""
    import tomllib

    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["package-data"]
    files = [p for top in ("bot", "adapters") for p in (ROOT / top).rglob("*.po")]
    assert len(files) >= 40
    shipped = {
        path
        for package, patterns in package_data.items()
        for pattern in patterns
        for path in (ROOT / package.replace(".", "/")).glob(pattern)  # setuptools: globs
    }
    assert [path for path in files if path not in shipped] == []


CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")
"""gettext numbers a language's forms in CLDR's category order, skipping those it lacks."""


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_plural_forms_agree_with_cldr(language: str) -> None:
    """The header picks, for every count, the form CLDR names (CLDR's "many" of exact millions
    in French and Spanish reads as their plural)."""
    from babel import Locale

    rule = Locale.parse(language).plural_form
    nplurals, form_of = i18n.plural_rule(i18n.PLURAL_FORMS[language])
    categories = [c for c in CLDR_ORDER if c in rule.tags or c == "other"]
    if nplurals == 2:
        categories = ["one", "other"]
    assert len(categories) == nplurals
    for n in range(0, 2001):
        category = rule(n)
        expected = category if category in categories else "other"
        assert categories[form_of(n)] == expected, (language, n)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_catalog_says_its_plural_forms(language: str) -> None:
    from bot.core.i18n import catalog_files, declared_plural_forms

    headers = {
        path.relative_to(ROOT).as_posix(): declared_plural_forms(path)
        for path in catalog_files(language)
    }
    assert headers == dict.fromkeys(headers, i18n.PLURAL_FORMS[language])


def test_arabic_counts_take_their_six_forms() -> None:
    _, form_of = i18n.plural_rule(i18n.PLURAL_FORMS["ar"])
    assert [form_of(n) for n in (0, 1, 2, 3, 10, 11, 99, 100, 101, 102, 103, 111, 1000)] == [
        0, 1, 2, 3, 3, 4, 4, 5, 5, 5, 3, 4, 5
    ]  # fmt: skip


def test_ngettext_picks_the_form_of_each_language(tmp_path: Path) -> None:
    """A registered catalog's plural entry: English by n == 1, Arabic by its six forms."""
    forms = ["لا أيام", "يوم واحد", "يومان", "{count} أيام", "{count} يومًا", "{count} يوم"]
    entry = "\n".join(f'msgstr[{i}] "{form}"' for i, form in enumerate(forms))
    (tmp_path / "ar.po").write_text(
        f'msgid ""\nmsgstr ""\n"Language: ar\\n"\n"Plural-Forms: {i18n.PLURAL_FORMS["ar"]}\\n"\n\n'
        f'msgid "{{count}} test day"\nmsgid_plural "{{count}} test days"\n{entry}\n',
        encoding="utf-8",
    )
    registered = list(i18n._registered)
    i18n.add_catalogs(tmp_path)
    try:
        arabic = Translator("ar")
        said = [arabic.ngettext("{count} test day", "{count} test days", n) for n in
                (0, 1, 2, 3, 11, 100)]  # fmt: skip
        assert said == ["لا أيام", "يوم واحد", "يومان", "3 أيام", "11 يومًا", "100 يوم"]
        english = Translator("en")
        assert english.ngettext("{count} test day", "{count} test days", 1) == "1 test day"
        assert english.ngettext("{count} test day", "{count} test days", 0) == "0 test days"
        plural = i18n.Plural("{count} test day", "{count} test days", 2)
        assert arabic.translate(plural) == "يومان"
        assert Translator("fr").translate(plural) == "2 test days"  # untranslated: English
    finally:
        i18n._registered[:] = registered
        i18n.load_catalog.cache_clear()
        i18n.translations.cache_clear()


def test_a_half_translated_plural_reads_english(tmp_path: Path) -> None:
    (tmp_path / "fr.po").write_text(
        f'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Plural-Forms: {i18n.PLURAL_FORMS["fr"]}\\n"\n\n'
        'msgid "{count} test cat"\nmsgid_plural "{count} test cats"\n'
        'msgstr[0] "{count} chat"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    registered = list(i18n._registered)
    i18n.add_catalogs(tmp_path)
    try:
        assert Translator("fr").ngettext("{count} test cat", "{count} test cats", 3) == (
            "3 test cats"
        )
    finally:
        i18n._registered[:] = registered
        i18n.load_catalog.cache_clear()
        i18n.translations.cache_clear()
