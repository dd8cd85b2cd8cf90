"""/resources (search the Knowledge Hub) and inline lookups (Telegram ``@bot quota``).

The admins' /resource add, edit, remove are in :mod:`bot.features.hub.admin_commands`."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from typing import Any

from bot.config import HubConfig
from bot.core.arguments import ArgKind, ArgSpec
from bot.core.context import CommandContext
from bot.core.errors import NotFoundError
from bot.core.feature import Feature
from bot.core.i18n import N_
from bot.core.messages import INLINE_LIMIT, Button, InlineCard, Reply
from bot.core.ports import Ports
from bot.core.richtext import Block, Link, bold, code, italic, line
from bot.core.suggestions import Suggestion, SuggestionQuery
from bot.core.topics import Topic
from bot.features.hub import taxonomy
from bot.features.hub.docs import Doc, Result
from bot.features.hub.service import MAX_QUERY_LENGTH, HubService, doc_from
from storage.models import ResourceLookup

feature = Feature("hub", topic=Topic.RESOURCES)
feature.service(HubService)

PAGE = 5
MORE = "resources_more"
ACTION_LIMIT = 60
SAVED_QUERIES_LIMIT = 2000
_saved_queries: dict[str, str] = {}
"""Long queries behind a "more" button, by short hash (a restart turns them into a polite
"search again")."""


FEEDS_SYNCED_KEY = "hub.feeds.synced_at"


@feature.periodic
async def sync_feeds_when_due(ports: Ports, now: datetime) -> int:
    """Every ``[hub] feed_sync_hours``, import the configured feeds (the time is kept durably)."""
    from bot.features.hub.feeds import feed_sync_job

    config = ports.services[HubConfig]
    if not config.feeds:
        return 0
    async with ports.unit_of_work() as uow:
        last = await uow.adapter_state.get(FEEDS_SYNCED_KEY)
    every = timedelta(hours=config.feed_sync_hours)
    if last is not None and now - datetime.fromisoformat(last) < every:
        return 0
    results = await feed_sync_job(ports)
    async with ports.unit_of_work() as uow:
        await uow.adapter_state.put(FEEDS_SYNCED_KEY, now.isoformat(), now)
    return len(results)


# search ------------------------------------------------------------------------------


def curation_row(resource_id: int) -> tuple[Button, ...]:
    """The buttons under one result: helpful, not helpful, report the link (handled in
    :mod:`bot.features.hub.curation`). Labels are signs and the number, in every language."""
    return (
        Button(f"👍 #{resource_id}", f"resource vote {resource_id} up"),
        Button(f"👎 #{resource_id}", f"resource vote {resource_id} down"),
        Button(f"⚠ #{resource_id}", f"resource flag {resource_id}"),
    )


def card_facts(ctx: CommandContext, doc: Doc) -> str:
    """``Publication · 2021 · UN Women``, with the type in the reader's language."""
    facts = [ctx._(taxonomy.label_of("type", doc.type))]
    if doc.year:
        facts.append(str(doc.year))
    if doc.publisher:
        facts.append(doc.publisher)
    return " · ".join(facts)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def card(ctx: CommandContext, number: int, doc: Doc, shared_by: str | None = None) -> list[Block]:
    """A resource as a short card: title, type · year · publisher, one line, link; and the
    champion who shared it, when a contribution brought it (bot/features/contributions)."""
    blocks = [
        line(f"{number}. ", bold(doc.title), " ", code(f"#{doc.id}")),
        line(italic(card_facts(ctx, doc))),
    ]
    if shared_by:
        blocks.append(line(italic(ctx._("Shared by {name}", name=shared_by))))
    if doc.summary:
        blocks.append(line(_shorten(doc.summary, 200)))
    if doc.url:
        blocks.append(line(Link(doc.url, doc.url)))
    return blocks


def _more_action(query: str, offset: int) -> str:
    action = f"{MORE} {offset} {query}"
    if len(action.encode()) <= ACTION_LIMIT:
        return action
    token = hashlib.sha1(query.encode()).hexdigest()[:10]
    if len(_saved_queries) >= SAVED_QUERIES_LIMIT:
        _saved_queries.pop(next(iter(_saved_queries)))
    _saved_queries[token] = query
    return f"{MORE} {offset} #{token}"


def results_reply(
    ctx: CommandContext,
    query: str,
    result: Result,
    offset: int,
    credits: dict[int, str] | None = None,
) -> Reply:
    if not result.hits:
        blocks: list[Any] = [ctx._("I found no resource for “{query}”.", query=query)]
        if result.filtered_out:
            blocks.append(line(ctx._("Some resources match the words, but not the filters.")))
        if result.suggestion:
            blocks.append(line(ctx._("Did you mean "), code(result.suggestion), "?"))
        blocks.append(line(ctx._("Try other words, or fewer filters.")))
        return ctx.reply(*blocks)
    blocks = []
    if result.corrections:
        fixed = ", ".join(f"{typed} → {read}" for typed, read in result.corrections.items())
        blocks.append(line(italic(ctx._("Showing results for: {fixed}", fixed=fixed))))
    blocks.append(
        line(
            bold(
                ctx._(
                    "Resources {first}–{last} of {total}",
                    first=offset + 1,
                    last=offset + len(result.hits),
                    total=result.total,
                )
            )
        )
    )
    for number, hit in enumerate(result.hits, start=offset + 1):
        blocks.extend(card(ctx, number, hit.doc, (credits or {}).get(hit.doc.id)))
    # One row per result: helpful, not helpful, report the link (bot/features/hub/curation.py).
    rows: list[tuple[Button, ...]] = [curation_row(hit.doc.id) for hit in result.hits]
    if offset + len(result.hits) < result.total:
        more = Button(ctx._("More results"), _more_action(query, offset + len(result.hits)))
        rows.append((more,))
    return ctx.reply(*blocks, buttons=tuple(rows))


async def _search(ctx: CommandContext, query: str, offset: int) -> list[Reply]:
    query = " ".join(query.split())
    result = await ctx.services[HubService].search(ctx.uow, query, limit=PAGE, offset=offset)
    for hit in result.hits:  # counted for /stats ("looked up most"); the searcher is not kept
        ctx.uow.session.add(ResourceLookup(resource_id=hit.doc.id, at=ctx.now))
    credits = await ctx.uow.contributions.credits([hit.doc.id for hit in result.hits])
    return [results_reply(ctx, query, result, offset, credits)]


@feature.command(
    "resources",
    featured=True,
    description=N_("Find Knowledge Hub resources (filters: theme: type: region: lang:)"),
    args=[
        ArgSpec(
            "query",
            ArgKind.TEXT,
            N_("What to look for, e.g. gender budgeting theme:quotas lang:es"),
            max_length=MAX_QUERY_LENGTH,
            suggest="resource_titles",
        )
    ],
)
async def find_resources(ctx: CommandContext, query: str) -> list[Reply]:
    query = str(query or "").strip()
    if re.fullmatch(r"#\d{1,9}", query):
        return [await _one(ctx, int(query[1:]))]
    return await _search(ctx, query, 0)


async def _one(ctx: CommandContext, resource_id: int) -> Reply:
    """``/resources #12``: the card of one resource (the number every card shows)."""
    resource = await ctx.uow.resources.get(resource_id)
    if resource is None or resource_id in await ctx.uow.curation.retired_ids():
        raise NotFoundError(N_("There is no resource #{id}."), id=resource_id)
    credits = await ctx.uow.contributions.credits([resource.id])
    return ctx.reply(
        *card(ctx, 1, doc_from(resource), credits.get(resource.id)),
        buttons=(curation_row(resource.id),),
    )


@feature.command(
    MORE,
    description=N_("More search results"),
    args=[ArgSpec("page", ArgKind.TEXT, N_("Where to continue, then the search"))],
    hidden=True,
)
async def more_resources(ctx: CommandContext, page: str) -> list[Reply]:
    """A "more" button: ``<offset> <query>`` (taken raw, so quotes in filters survive)."""
    offset_text, _, query = str(page).strip().partition(" ")
    if not offset_text.isdecimal() or len(offset_text) > 6 or not query.strip():
        raise NotFoundError(N_("This list has expired. Please search again with /resources."))
    query = query.strip()
    if query.startswith("#"):
        saved = _saved_queries.get(query[1:])
        if saved is None:
            raise NotFoundError(N_("This list has expired. Please search again with /resources."))
        query = saved
    return await _search(ctx, query, int(offset_text))


# inline lookups ----------------------------------------------------------------------

INLINE_SUMMARY = 400
INLINE_DESCRIPTION_LIMIT = 160


def shared_card(ctx: CommandContext, doc: Doc) -> Reply:
    """One inline result: the card a member shares in any chat, and its title and one-line
    description for the result list (plain text: the platform shows them as typed)."""
    facts = card_facts(ctx, doc)
    blocks: list[Any] = [line(bold(doc.title)), line(italic(facts))]
    if doc.summary:
        blocks.append(line(_shorten(doc.summary, INLINE_SUMMARY)))
    if doc.url:
        blocks.append(line(Link(doc.url, doc.url)))
    description = f"{facts} — {doc.summary}" if doc.summary else facts
    return ctx.reply(
        *blocks,
        inline=InlineCard(
            title=doc.title,
            description=_shorten(" ".join(description.split()), INLINE_DESCRIPTION_LIMIT),
            id=str(doc.id),
        ),
    )


@feature.inline
async def inline_resources(ctx: CommandContext) -> list[Reply]:
    """``@bot quota`` in any chat: the best matches as cards to share, at most ten.

    The query is typed letter by letter, so the last word is completed as a prefix
    (``quot`` finds quotas). An empty query shows the newest resources, so ``@bot`` alone
    already offers something to browse. Nothing is recorded: the router rolls the lookup back,
    and counting every keystroke's results would distort /stats' "looked up most".
    """
    query = " ".join(ctx.request.text.split())
    service = ctx.services[HubService]
    if not query:
        index = await service.index(ctx.uow)
        docs = sorted(index.live_docs(), key=lambda d: (-(d.year or 0), d.id))[:INLINE_LIMIT]
    else:
        result = await service.search(ctx.uow, query, limit=INLINE_LIMIT, prefix=True)
        docs = [hit.doc for hit in result.hits]
    return [shared_card(ctx, doc) for doc in docs]


@feature.suggestion_source("resources")
async def resource_suggestions(query: SuggestionQuery) -> list[Suggestion]:
    from bot.features.hub.service import suggest_resources

    pairs = await suggest_resources(query.ports, query.prefix)
    return [Suggestion(label, value) for label, value in pairs]


@feature.suggestion_source("resource_titles")
async def resource_title_suggestions(query: SuggestionQuery) -> list[Suggestion]:
    from bot.features.hub.service import suggest_resource_titles

    pairs = await suggest_resource_titles(query.ports, query.prefix)
    return [Suggestion(label, value) for label, value in pairs]
