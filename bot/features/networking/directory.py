"""/find: champions who opted in to be found, ranked by what they know.

Who is listed: every member who joined the pairing rounds (joining means agreeing to meet
strangers, so also to be found by them) unless they said ``/meet findable no``, and anyone who
said ``/meet findable yes``. The ranking is the Knowledge Hub's: folding, stemming in four
languages, typo correction, and the taxonomy's synonyms in every language, so "budget sensible
au genre" finds an English-speaking expert on gender budgeting.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.arguments import ArgKind, ArgSpec
from bot.core.context import CommandContext
from bot.core.errors import UsageError
from bot.core.followed import FollowedIndexes
from bot.core.i18n import N_
from bot.core.keywords import field_named
from bot.core.messages import Reply
from bot.core.registry import Audience
from bot.core.richtext import bold, bullets, italic, line
from bot.features.hub import taxonomy
from bot.features.hub.docs import Filters
from bot.features.networking import cards
from bot.features.networking.commands import feature
from storage.models import Member
from storage.repositories.directory import DirectoryRepository, DirectoryRow

if TYPE_CHECKING:
    from bot.features.networking.directory_index import DirectoryIndex
    from storage.unit_of_work import UnitOfWork

LIMIT = 8


_QUERY_KEYS = {"region": "region", "lang": "lang", "language": "lang"}


def parse_query(text: str) -> tuple[str, Filters]:
    """Split ``region:<r>`` and ``lang:<l>`` (in any language, as the hub reads them) off."""
    words, region, lang = [], None, None
    for word in text.split():
        name, sep, value = word.partition(":")
        kind = field_named(name, _QUERY_KEYS) if sep and value else None  # région:, idioma:
        if kind is not None:
            codes = taxonomy.resolve(kind, value.replace("_", " "))
            if not codes:
                raise UsageError("I do not know the {kind} “{value}”.", kind=name, value=value)
            if kind == "region":
                region = codes[0]
            else:
                lang = codes[0]
        else:
            words.append(word)
    return " ".join(words), Filters(region=region, lang=lang)


class Found(NamedTuple):
    """The champions found, best first, and whether everyone was searched (False while the
    community's directory index is being built)."""

    members: list[Member]
    complete: bool


class Directory(FollowedIndexes["DirectoryIndex", DirectoryRow]):
    """One directory index per community (``ctx.services[Directory]``), kept in step with
    ``directory_changes``: a profile edit, ``/meet findable`` or ``/forget`` in any process
    reaches the next search, and a search never reads every champion again. Before, each
    ``/find`` read and indexed the whole community: 12.3 s at 30k champions."""

    what = "directory index"

    def log(self, uow: UnitOfWork) -> DirectoryRepository:
        return uow.directory

    @contextlib.asynccontextmanager
    async def reading(self, engine: Any) -> AsyncIterator[DirectoryRepository]:
        async with AsyncSession(engine) as session, session.begin():
            yield DirectoryRepository(session)

    def build(self, rows: Sequence[DirectoryRow], *, whole: bool) -> DirectoryIndex:
        from bot.features.networking.directory_index import DirectoryIndex

        return DirectoryIndex(rows)

    def upsert(self, index: DirectoryIndex, row: DirectoryRow) -> None:
        index.upsert(row)

    def key(self, row: DirectoryRow) -> int:
        return row[0]

    async def find(
        self, uow: UnitOfWork, community_id: int, text: str, asking: int, limit: int = LIMIT
    ) -> Found:
        """The champions of the community who best match ``text`` (words and ``region:`` /
        ``lang:`` filters), never the one ``asking``."""
        query, filters = parse_query(text)
        index, complete = await self.index(uow, community_id)
        ids = index.find(query, filters, limit, excluding=asking)
        by_id = {member.id: member for member in await uow.directory.members(ids)}
        return Found([by_id[i] for i in ids if i in by_id], complete)


feature.service(Directory)

STILL_INDEXING = N_(
    "Some champions are still being indexed, so this list may be incomplete. "
    "Search again in a minute."
)


@feature.command(
    "find",
    featured=True,
    description=N_("Find champions by expertise, region or language"),
    args=[
        ArgSpec(
            "query",
            ArgKind.TEXT,
            N_("Words, optionally region:<region> lang:<language>"),
            max_length=200,
        )
    ],
    audience=Audience.CHAMPION,
)
async def find(ctx: CommandContext, query: str) -> Reply:
    found = await ctx.services[Directory].find(ctx.uow, ctx.community.id, query, ctx.member.id)
    # While a community's index is built, the search answers from the champions it has.
    partial = () if found.complete else (line(italic(ctx._(STILL_INDEXING))),)
    if not found.members:
        return ctx.reply(ctx._("Nobody found. Try other words, or fewer filters."), *partial)
    items = []
    for member in found.members:
        facts = "; ".join(cards.facts(member, ctx.translator))
        items.append(
            line(bold(member.display_name), f" (#{member.id})", f": {facts}" if facts else "")
        )
    return ctx.reply(
        line(bold(ctx._("Champions who can help"))),
        bullets(items),
        ctx._("To talk to one of them, ask an admin for an introduction or meet them in a round."),
        *partial,
    )
