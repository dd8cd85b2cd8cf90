"""Text cleaned at the edge of the core: storable, encodable, and not disguised on screen."""

from __future__ import annotations

from typing import Any, cast

import pytest

from bot.core.i18n import Translator
from bot.core.messages import Actor, Attachment, Place, PlaceKind, Platform, Request
from bot.core.sanitize import clean_name, clean_text, safe_filename, without_lone_surrogates
from bot.core.suggestions import SuggestionQuery


def test_text_loses_what_cannot_be_stored_or_encoded() -> None:
    assert clean_text("a\x00b\x07c\x1b[31m") == "abc[31m"
    assert clean_text("caf\udce9 \ud83d") == "caf\ufffd \ufffd"
    assert clean_text("one\r\ntwo\rthree\u2028four") == "one\ntwo\nthree\nfour"
    assert clean_text("tab\tand\nnewline stay") == "tab\tand\nnewline stay"
    assert clean_text("\x85C1\x9f") == "\nC1"


def test_text_loses_bidi_overrides_embeddings_and_isolates_but_keeps_marks() -> None:
    disguised = "invoice\u202etxt.exe\u202c \u2066x\u2069 \ufeffbom"
    assert clean_text(disguised) == "invoicetxt.exe x bom"
    arabic = "مرحبا \u200fABC\u200f، شكرا \u061c"
    assert clean_text(arabic) == arabic  # marks have no scope: Arabic writers need them


def test_names_lose_every_invisible_and_fit_on_one_line() -> None:
    assert clean_name("  Amina\u202e \u200b\u200fEl\u2060\n\tMrabet\u3164 ") == "Amina El Mrabet"
    assert clean_name("\x00\u202e\u200b") == ""
    assert clean_name("أمينة المرابط") == "أمينة المرابط"
    assert clean_name("می\u200cخواهم") == "می\u200cخواهم"  # Persian needs the non-joiner
    assert clean_name("👩🏽\u200d⚖️") == "👩🏽\u200d⚖️"  # emoji sequences need the joiner


def test_clean_text_is_idempotent_and_cheap_on_plain_ascii() -> None:
    plain = '/webinar add "Gender budgeting" 2026-12-03 10:00'
    assert clean_text(plain) is plain
    messy = "x\u202e\x00\ud800\r\ny"
    assert clean_text(clean_text(messy)) == clean_text(messy)
    assert clean_name(clean_name(messy)) == clean_name(messy)


def test_lone_surrogates_become_replacement_characters() -> None:
    assert without_lone_surrogates("a\ud800b\udfff") == "a\ufffdb\ufffd"
    assert without_lone_surrogates("مرحبا") == "مرحبا"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("my-data-12.json", "my-data-12.json"),
        ("champions-digest-2026-11-20.md", "champions-digest-2026-11-20.md"),
        ('evil"; filename=x.exe', "evil_ filename_x.exe"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\report.csv", "report.csv"),
        ("line\r\nbreak.txt", "line break.txt"),
        (".hidden", "hidden"),
        ("\u202eexe.txt", "exe.txt"),
        ("تقرير.csv", "تقرير.csv"),
        ("", "file"),
        ("/", "file"),
    ],
)
def test_file_names_are_bare_and_inert(given: str, expected: str) -> None:
    assert safe_filename(given) == expected
    assert Attachment(given, b"").filename == expected


def test_long_file_names_keep_their_extension() -> None:
    name = safe_filename("x" * 500 + ".ics")
    assert len(name) == 120 and name.endswith(".ics")


def test_requests_actors_and_places_are_clean_whatever_the_adapter_passes() -> None:
    actor = Actor(Platform.TELEGRAM, "42", "Null\x00Name\u202e")
    place = Place(Platform.TELEGRAM, "-100", PlaceKind.GROUP, title="Room\x00\u202e\n2")
    request = Request(
        actor, place, command="ask\x00", text="a\x00b\ud800", options={"te\x00xt": "v\x00"}
    )
    assert actor.display_name == "NullName"
    assert place.title == "Room 2"
    assert (request.command, request.text) == ("ask", "ab\ufffd")
    assert request.options == {"text": "v"}


def test_what_is_typed_for_autocomplete_is_clean_too() -> None:
    actor = Actor(Platform.DISCORD, "1", "A")
    typed = "Af\x00\u202e"
    nothing = cast(Any, None)  # cleaning the prefix reads no ports
    query = SuggestionQuery(ports=nothing, actor=actor, prefix=typed, translator=Translator("en"))
    assert query.prefix == "Af"
