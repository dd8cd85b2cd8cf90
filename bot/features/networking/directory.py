"""/find: champions who opted in to be found, ranked by what they know.

Who is listed: every member who joined the pairing rounds (joining means agreeing to meet
strangers, so also to be found by them) unless they said ``/meet findable no``, and anyone who
said ``/meet findable yes``. The ranking is the Knowledge Hub's: folding, stemming in four
languages, typo correction, and the taxonomy's synonyms in every language, so "budget sensible
au genre" finds an English-speaking expert on gender budgeting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.arguments import ArgKind, ArgSpec
from bot.core.context import CommandContext
from bot.core.errors import UsageError
from bot.core.i18n import N_
from bot.core.keywords import field_named
from bot.core.messages import Reply
from bot.core.registry import Audience
from bot.core.richtext import bold, bullets, line
from bot.features.hub import taxonomy
from bot.features.hub.docs import Doc, Filters
from bot.features.networking import cards
from bot.features.networking.commands import feature
from storage.models import Member

if TYPE_CHECKING:
    pass


LIMIT = 8


def member_doc(member: Member) -> Doc:
    """A member as the hub index sees a resource: expertise as themes, bio as summary."""
    return Doc(
        id=member.id,
        title=" ".join(x for x in (member.display_name, member.organisation or "") if x),
        summary=member.bio or "",
        url=None,
        type="member",
        themes=tuple(member.expertise or ()),
        regions=(member.region,) if member.region else (),
        languages=tuple(member.languages or ()),
        publisher=member.role or "",
        year=None,
    )


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


def search(members: list[Member], text: str, limit: int = LIMIT) -> list[Member]:
    from bot.features.hub.index import SearchIndex

    query, filters = parse_query(text)
    by_id = {member.id: member for member in members}
    index = SearchIndex([member_doc(member) for member in members])
    if not query.strip():
        allowed = [m for m in members if _passes(m, filters)]
        return sorted(allowed, key=lambda m: m.display_name.casefold())[:limit]
    result = index.search(query, filters, limit=limit)
    return [by_id[hit.doc.id] for hit in result.hits]


def _passes(member: Member, filters: Filters) -> bool:
    if filters.region and member.region != filters.region:
        return False
    return not (filters.lang and filters.lang not in (member.languages or ()))


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
    members = [m for m in await ctx.uow.meet.findable(ctx.community.id) if m.id != ctx.member.id]
    found = search(members, query)
    if not found:
        return ctx.reply(ctx._("Nobody found. Try other words, or fewer filters."))
    items = []
    for member in found:
        facts = "; ".join(cards.facts(member, ctx.translator))
        items.append(
            line(bold(member.display_name), f" (#{member.id})", f": {facts}" if facts else "")
        )
    return ctx.reply(
        line(bold(ctx._("Champions who can help"))),
        bullets(items),
        ctx._("To talk to one of them, ask an admin for an introduction or meet them in a round."),
    )
