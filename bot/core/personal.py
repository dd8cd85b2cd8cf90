"""Replies in groups: what is for the caller alone leaves the group, with a pointer there.

A group is read by many people in many time zones and languages, so a reply posted there must
make sense to all of them. The rule (also in ``docs/architecture.md``, "Replies in groups"):

- **Shared** (``HERE``): what the group may want to read too: a question and its answers, a
  search of the hub or of past questions, another member's public profile, a welcome.
- **Personal** (``PERSONAL``): a view about the caller, or shown in their own time zone,
  language or rights: ``/help``, ``/webinars``, one's own profile, ``/threads mine``,
  ``/community``, and every admin view (roster, stats, audit, pending stories...). In a private
  chat it is answered there; in a group only the caller sees it (``EPHEMERAL``: in place on
  Discord, a private message elsewhere) and the group reads one :attr:`~Destination.POINTER`.
- **Private** (``PRIVATE``): forms, files and codes always go to the private chat; asked in a
  group, the group gets the pointer too.
- **Notes** (``EPHEMERAL``): confirmations and errors: only the caller sees them, no pointer.

The pointer is added only for a command whose answer left the group entirely (a handler that
also says something here words its own pointer, like ``/start``). How it is delivered depends on
the platform, and only there: see :attr:`~Destination.POINTER`.
"""

from __future__ import annotations

from dataclasses import replace

from bot.core.i18n import N_, Translator
from bot.core.messages import Destination, PlaceKind, Reply, Request, RequestKind
from bot.core.richtext import doc

POINTER_TEXT = N_("{name}, I sent you my answer privately.")

_POINTED_AT = frozenset({Destination.PERSONAL, Destination.PRIVATE})
_SEEN_HERE = frozenset({Destination.HERE, Destination.POINTER})


def place_replies(request: Request, replies: list[Reply], translator: Translator) -> list[Reply]:
    """The handler's replies with ``PERSONAL`` resolved for where ``request`` was made, and the
    group's pointer added when a command's whole answer went to the caller alone."""
    if request.place.kind is PlaceKind.PRIVATE:
        return [_to(reply, Destination.HERE) for reply in replies]
    placed = [_to(reply, Destination.EPHEMERAL) for reply in replies]
    if request.kind is RequestKind.COMMAND and _left_the_group(replies):
        placed.append(pointer(request, translator))
    return placed


def pointer(request: Request, translator: Translator) -> Reply:
    """The one line the group reads instead of a personal answer."""
    text = translator.gettext(POINTER_TEXT, name=request.actor.display_name)
    return Reply(body=doc(text), destination=Destination.POINTER, rtl=translator.rtl)


def _to(reply: Reply, destination: Destination) -> Reply:
    if reply.destination is not Destination.PERSONAL:
        return reply
    return replace(reply, destination=destination)


def _left_the_group(replies: list[Reply]) -> bool:
    destinations = {reply.destination for reply in replies}
    return bool(destinations & _POINTED_AT) and not destinations & _SEEN_HERE
