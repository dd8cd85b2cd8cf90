"""Replies in groups (``bot/core/personal.py``): personal answers leave, a pointer stays."""

from __future__ import annotations

from bot.core.i18n import Translator
from bot.core.messages import (
    Actor,
    Destination,
    Place,
    PlaceKind,
    Platform,
    Reply,
    Request,
    RequestKind,
)
from bot.core.personal import POINTER_TEXT, place_replies

AMINA = Actor(Platform.CONSOLE, "amina", "Amina")
GROUP = Place(Platform.CONSOLE, "room", PlaceKind.GROUP)
TOPIC = Place(Platform.CONSOLE, "forum", PlaceKind.FORUM, thread_id="7")
PRIVATE = Place(Platform.CONSOLE, "dm:amina", PlaceKind.PRIVATE)
EN = Translator("en")


def asked(place: Place, kind: RequestKind = RequestKind.COMMAND) -> Request:
    return Request(AMINA, place, kind, command="help")


def to(*destinations: Destination) -> list[Reply]:
    return [Reply.text(f"reply {n}", destination=d) for n, d in enumerate(destinations)]


def where(replies: list[Reply]) -> list[Destination]:
    return [reply.destination for reply in replies]


def test_in_a_private_chat_a_personal_answer_is_simply_answered_there() -> None:
    placed = place_replies(asked(PRIVATE), to(Destination.PERSONAL, Destination.PRIVATE), EN)
    assert where(placed) == [Destination.HERE, Destination.PRIVATE]


def test_in_a_group_a_personal_answer_is_for_the_caller_and_the_group_reads_a_pointer() -> None:
    for place in (GROUP, TOPIC):
        replies = to(Destination.PERSONAL, Destination.PERSONAL)
        placed = place_replies(asked(place), replies, EN)
        assert where(placed) == [Destination.EPHEMERAL] * 2 + [Destination.POINTER]
        assert [r.body for r in placed[:2]] == [r.body for r in replies]  # only the way changed
        assert placed[-1].body.plain() == "Amina, I sent you my answer privately."


def test_a_private_form_or_file_asked_in_a_group_leaves_a_pointer_too() -> None:
    placed = place_replies(asked(GROUP), to(Destination.PRIVATE), EN)
    assert where(placed) == [Destination.PRIVATE, Destination.POINTER]


def test_no_pointer_for_notes_for_answers_the_group_reads_or_for_buttons_and_text() -> None:
    cases = [
        (asked(GROUP), to(Destination.EPHEMERAL)),  # a confirmation or an error
        (asked(GROUP), to(Destination.HERE, Destination.PRIVATE)),  # /start words its own
        (asked(GROUP, RequestKind.BUTTON), to(Destination.PERSONAL)),
        (asked(GROUP, RequestKind.TEXT), to(Destination.PRIVATE)),
    ]
    for request, replies in cases:
        placed = place_replies(request, replies, EN)
        assert Destination.POINTER not in where(placed), (request.kind, where(replies))
        assert Destination.PERSONAL not in where(placed)


def test_the_pointer_speaks_the_callers_language_and_direction() -> None:
    arabic = Translator("ar")
    [_, pointer] = place_replies(asked(GROUP), to(Destination.PERSONAL), arabic)
    assert pointer.rtl and pointer.body.plain() == arabic.gettext(POINTER_TEXT, name="Amina")
    assert pointer.body.plain() != POINTER_TEXT.format(name="Amina")
