"""Inline mode: ``@bot quota`` typed in any chat offers resource cards to share there.

The core answers an inline request with one :class:`Reply` per result: the card as its body,
the title and one-line description for the result list in ``Reply.inline``. Each becomes an
``InlineQueryResultArticle`` whose message is the card rendered by the same HTML renderer as
every other message, so user and catalogue text is escaped the same way.

Results follow the member's language, so they are cached for that person only
(``is_personal``) and briefly (an admin's catalogue edit shows up within seconds).
Telegram only sends inline queries to a bot whose inline mode is on (BotFather ``/setinline``).
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import (
    InlineQuery,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
)
from telegram.constants import ParseMode

from adapters.telegram.convert import actor_of
from adapters.telegram.render import render_chunks
from bot.core.messages import (
    InlineCard,
    Place,
    PlaceKind,
    Platform,
    Reply,
    Request,
    RequestKind,
)

CACHE_SECONDS = 10
ID_LIMIT_BYTES = 64
TITLE_LIMIT = 256


def request_from_inline(update_id: int, query: InlineQuery) -> Request:
    """The core request for an inline query. It has no chat: answers go to the person, so
    the place is their private chat (the core picks their community from it)."""
    sender = query.from_user
    return Request(
        actor=actor_of(sender),
        place=Place(Platform.TELEGRAM, str(sender.id), PlaceKind.PRIVATE),
        kind=RequestKind.INLINE,
        text=query.query,
        update_id=str(update_id),
    )


def _result_id(reply: Reply, position: int, taken: set[str]) -> str:
    """A short id, unique within the answer: the core's id (the resource number) if any."""
    wanted = (reply.inline.id if reply.inline else None) or str(position)
    candidate = wanted.encode()[: ID_LIMIT_BYTES - 8].decode(errors="ignore") or str(position)
    if candidate in taken:
        candidate = f"{candidate}-{position}"
    taken.add(candidate)
    return candidate


def results_from(replies: Sequence[Reply]) -> list[InlineQueryResultArticle]:
    """One article per reply; a reply with nothing to show is skipped."""
    results: list[InlineQueryResultArticle] = []
    taken: set[str] = set()
    for position, reply in enumerate(replies, start=1):
        chunks = render_chunks(reply.body, rtl=reply.rtl)
        if not chunks:
            continue
        card = reply.inline or InlineCard(title="")
        title = card.title or chunks[0].plain.splitlines()[0]
        results.append(
            InlineQueryResultArticle(
                id=_result_id(reply, position, taken),
                title=" ".join(title.split())[:TITLE_LIMIT],
                description=card.description or None,
                input_message_content=InputTextMessageContent(
                    message_text=chunks[0].html,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                ),
            )
        )
    return results


async def answer(query: InlineQuery, replies: Sequence[Reply]) -> None:
    """Answer with the cards (an empty list too: it stops the client's spinner)."""
    await query.answer(
        results_from(replies), cache_time=CACHE_SECONDS, is_personal=True, next_offset=""
    )
