"""Member profiles: validating and saving each field, and the profile card.

Both the onboarding conversation and ``/profile set`` go through :func:`set_field`, so a value
is checked the same way wherever it comes from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from bot.core.arguments import ArgKind, ArgSpec, Choice
from bot.core.errors import UsageError
from bot.core.i18n import N_, Plural, Translator
from bot.core.language_names import language_code
from bot.core.reading import fold, split_list, typed_number
from bot.core.richtext import Document, bold, doc, line
from bot.core.sanitize import clean_name
from bot.core.timezones import describe_zone
from bot.core.vocab import (
    REGIONS,
    ROLES,
    TAXONOMY,
    THEMES,
    country_code,
    country_name,
    label,
    region_for_country,
)
from storage.models import Member

YES_WORDS = frozenset({"yes", "y", "oui", "si", "نعم", "true", "1"})
NO_WORDS = frozenset({"no", "n", "non", "لا", "false", "0"})
SKIP_WORDS = frozenset({"skip", "-", "passer", "omitir", "saltar", "تخطي"})
"""Compared folded (:func:`bot.core.reading.fold`): ``Sí``, ``OUI`` and ``١`` are found."""


def is_skip(raw: str) -> bool:
    return raw.strip() == "-" or fold(raw) in SKIP_WORDS


@dataclass(frozen=True)
class ProfileField:
    """One editable profile field: its name, how to ask for it, and how to check it."""

    name: str
    question: str
    choices: tuple[Choice, ...] = ()
    multiple: bool = False


FIELDS: tuple[ProfileField, ...] = (
    ProfileField("name", N_("What name should the network see?")),
    ProfileField("role", N_("What is your role?"), ROLES),
    ProfileField("organisation", N_("Which organisation do you work for?")),
    ProfileField("country", N_("Which country are you in? (a name or a code like TN)")),
    ProfileField("region", N_("Which world region do you represent?"), REGIONS),
    ProfileField(
        "languages", N_("Which languages do you speak? (for example: en, fr, ar)"), multiple=True
    ),
    ProfileField(
        "expertise",
        N_("Which themes do you know well? Tap them or type their numbers, separated by commas."),
        THEMES,
        multiple=True,
    ),
    ProfileField("timezone", N_("Which time zone are you in? (for example Africa/Tunis)")),
    ProfileField("bio", N_("In one or two sentences, what do you work on?")),
    ProfileField(
        "publish",
        N_("May the secretariat publish your profile on the hub website and in newsletters?"),
        (Choice("yes", N_("Yes")), Choice("no", N_("No"))),
    ),
)
FIELD_NAMES: tuple[str, ...] = tuple(field.name for field in FIELDS)
FIELD_CHOICES: tuple[Choice, ...] = (
    *(Choice(f.name, f.name) for f in FIELDS),
    Choice("language", "language"),
)


def field_named(name: str) -> ProfileField:
    for field in FIELDS:
        if field.name == name:
            return field
    raise UsageError("There is no profile field “{name}”.", name=name)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(value: str, *, limit: int, what: str) -> str:
    """Strip control characters and surrounding space; refuse empty or over-long text."""
    text = unicodedata.normalize("NFC", _CONTROL.sub("", value)).strip()
    if not text:
        raise UsageError("“{field}” cannot be empty.", field=what)
    if len(text) > limit:
        raise UsageError(
            Plural(
                "“{field}” is too long: {count} character, at most {limit}.",
                "“{field}” is too long: {count} characters, at most {limit}.",
                len(text),
            ),
            field=what,
            limit=limit,
        )
    return text


def _pick(choices: tuple[Choice, ...], raw: str, translator: Translator) -> str:
    """The choice a natural answer names: its number, code, label or a synonym in any of the
    four languages, accents and case aside ("Élue", "violence basée sur le genre", "VBG")."""
    wanted = fold(raw.strip().lstrip("#"))  # "#gbv", as /ask taught for themes
    number = typed_number(raw)
    if number is not None and 1 <= number <= len(choices):  # "3", "٣"
        return choices[number - 1].value
    named = [choice.value for choice in choices if wanted in _phrases(choice)]
    if len(named) == 1:
        return named[0]
    raise UsageError(
        "“{value}” is not one of the choices. Choose one of: {allowed}.",
        value=raw.strip()[:60],
        allowed=translator.format_list([translator.gettext(c.label) for c in choices], style="or"),
    )


@cache
def _phrases(choice: Choice) -> frozenset[str]:
    """Everything that names ``choice``, folded: code, label and synonyms in every language."""
    terms = (*TAXONOMY.roles, *TAXONOMY.regions, *TAXONOMY.themes)
    found = {choice.value, choice.value.replace("_", " "), choice.label}
    for term in terms:
        if term.code == choice.value and term.label == choice.label:
            found.update(term.phrases())
    return frozenset(fold(phrase) for phrase in found)


def _names_one(choices: tuple[Choice, ...]) -> Callable[[str], bool]:
    """Whether a typed item names one of ``choices`` whole (a label with "and" in it)."""

    def accepts(item: str) -> bool:
        wanted = fold(item.lstrip("#"))
        return typed_number(item) is not None or any(wanted in _phrases(c) for c in choices)

    return accepts


def _language_code(raw: str) -> str:
    code = language_code(raw)
    if code is None:
        raise UsageError("“{value}” is not a language I recognise.", value=raw.strip()[:60])
    return code


def parse_yes_no(raw: str) -> bool:
    word = fold(raw)
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise UsageError("Please answer yes or no.")


def set_field(
    member: Member, name: str, raw: str, translator: Translator, now: datetime
) -> str | None:
    """Check ``raw`` and store it in ``member``'s field ``name``.

    Returns a note to show (for example the region derived from the country), or ``None``.
    Raises :class:`UsageError` with a clear message and leaves the member unchanged when the
    value is not acceptable.
    """
    note: str | None = None
    setters: dict[str, Callable[[], None]] = {}

    def name_() -> None:
        member.display_name = clean_text(clean_name(raw), limit=100, what="name")

    def role() -> None:
        member.role = _pick(ROLES, raw, translator)

    def organisation() -> None:
        member.organisation = clean_text(raw, limit=200, what="organisation")

    def country() -> None:
        nonlocal note
        code = country_code(raw)
        if code is None:
            raise UsageError("“{value}” is not a country I recognise.", value=raw.strip()[:60])
        member.country = code
        region = region_for_country(code)
        if region:
            member.region = region
            region_name = translator.gettext(label(REGIONS, region) or region)
            note = translator.gettext("Your region is {region}.", region=region_name)

    def region() -> None:
        member.region = _pick(REGIONS, raw, translator)

    def languages() -> None:
        items = split_list(raw, accepts=lambda item: language_code(item) is not None)
        codes = [_language_code(item) for item in items]
        if not codes:
            raise UsageError("Give at least one language.")
        member.languages = list(dict.fromkeys(codes))

    def expertise() -> None:
        items = split_list(raw, accepts=_names_one(THEMES))
        picked = [_pick(THEMES, item, translator) for item in items]
        if not picked:
            raise UsageError("Give at least one theme.")
        member.expertise = list(dict.fromkeys(picked))

    def timezone() -> None:
        member.timezone = ArgSpec("timezone", ArgKind.TIMEZONE, "").convert(raw)

    def bio() -> None:
        member.bio = clean_text(raw, limit=1000, what="bio")

    def publish() -> None:
        member.consent_publish = parse_yes_no(raw)

    def language() -> None:
        member.language = ArgSpec("language", ArgKind.LANGUAGE, "").convert(raw)
        member.language_chosen = True

    setters.update(
        name=name_,
        role=role,
        organisation=organisation,
        country=country,
        region=region,
        languages=languages,
        expertise=expertise,
        timezone=timezone,
        bio=bio,
        publish=publish,
        language=language,
    )
    setter = setters.get(name)
    if setter is None:
        raise UsageError("There is no profile field “{name}”.", name=name)
    setter()
    member.updated_at = now
    return note


def needs_region_question(member: Member) -> bool:
    """The region is asked only when the country did not tell it."""
    return member.region is None


def profile_card(member: Member, translator: Translator, *, private: bool) -> Document:
    """The profile as others see it; ``private`` adds what only the member sees (read by
    the member, so ``translator`` speaks the language the bot uses with them)."""
    _ = translator.gettext
    dash = "—"
    themes = [_(label(THEMES, code) or code) for code in member.expertise]
    rows = [
        (N_("Role"), _(label(ROLES, member.role) or dash)),
        (N_("Organisation"), member.organisation or dash),
        (
            N_("Country"),
            country_name(member.country, translator.language) if member.country else dash,
        ),
        (N_("Region"), _(label(REGIONS, member.region) or dash)),
        (
            N_("Languages"),
            translator.format_list([translator.language_name(c) for c in member.languages]) or dash,
        ),
        (N_("Expertise"), translator.format_list(themes) or dash),
        (
            N_("Time zone"),
            describe_zone(member.timezone, translator) if member.timezone else dash,
        ),
        (N_("About"), member.bio or dash),
    ]
    if private:
        rows.append((N_("Published on the hub"), _("Yes") if member.consent_publish else _("No")))
        in_use = member.language or translator.language
        rows.append((N_("Bot language"), translator.language_name(in_use)))
    return doc(
        line(bold(member.display_name)),
        *(line(bold(_(title)), translator.colon, value) for title, value in rows),
    )
