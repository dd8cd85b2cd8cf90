"""/resources (search the Knowledge Hub), inline lookups (Telegram ``@bot quota``) and the
admins' /resource add, edit, remove."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from typing import Any

from bot.config import HubConfig
from bot.core.arguments import INTEGER_MAX, INTEGER_MIN, ArgKind, ArgSpec, split_words
from bot.core.context import CommandContext
from bot.core.errors import NotFoundError, UsageError, UserFacingError
from bot.core.feature import Feature
from bot.core.i18n import N_
from bot.core.messages import INLINE_LIMIT, Button, InlineCard, Reply
from bot.core.ports import Ports
from bot.core.registry import Audience
from bot.core.richtext import Block, Link, bold, code, italic, line
from bot.core.suggestions import Suggestion, SuggestionQuery
from bot.core.topics import Topic
from bot.features.hub import taxonomy
from bot.features.hub.docs import Doc, Result
from bot.features.hub.records import RecordError, clean
from bot.features.hub.service import MAX_QUERY_LENGTH, HubService, doc_from
from storage.models import Resource, ResourceLookup
from storage.repositories.resources import EDITABLE_FIELDS

feature = Feature("hub", topic=Topic.RESOURCES)
feature.service(HubService)

PAGE = 5
MORE = "resources_more"
ACTION_LIMIT = 60
SAVED_QUERIES_LIMIT = 2000
_saved_queries: dict[str, str] = {}
"""Long queries behind a "more" button, by short hash (a restart turns them into a polite
"search again")."""


FIELDS_HELP = N_('Fields as key:value, e.g. title:"…" url:… type:guide themes:quotas')


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


# admin -------------------------------------------------------------------------------

_FIELD_NAMES = {
    "title": "title", "summary": "summary", "url": "url", "link": "url", "type": "type",
    "theme": "themes", "themes": "themes", "region": "regions", "regions": "regions",
    "lang": "languages", "language": "languages", "languages": "languages",
    "publisher": "publisher", "year": "year", "source": "source",
}  # fmt: skip


def parse_fields(text: str) -> dict[str, Any]:
    """``title:"A guide" themes:quotas,gbv year:2024`` → field values; unknown names refused."""
    fields: dict[str, Any] = {}
    for word in split_words(text):
        name, colon, value = word.partition(":")
        field = _FIELD_NAMES.get(name.strip().casefold())
        if not colon or field is None:
            raise UsageError(
                N_("“{word}” is not a field. Use key:value with one of: {allowed}."),
                word=word[:40],
                allowed=", ".join(EDITABLE_FIELDS),
            )
        fields[field] = value.strip()
    if not fields:
        raise UsageError(N_('Give at least one field, like title:"…".'))
    for kind, field in (("theme", "themes"), ("region", "regions"), ("lang", "languages")):
        if field in fields:
            fields[field] = _codes(kind, fields[field])
    return fields


def _codes(kind: str, value: str) -> list[str]:
    codes: list[str] = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        found = taxonomy.resolve(kind, item.replace("_", " ")) or taxonomy.resolve(kind, item)
        if not found:
            raise UsageError(
                N_("I don't know the {kind} “{value}”. Try one of: {allowed}."),
                kind=kind,
                value=item[:60],
                allowed=", ".join(t.code for t in taxonomy.terms(kind)),
            )
        codes.extend(code for code in found if code not in codes)
    return codes


def _clean(values: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    try:
        return clean(values)
    except RecordError as error:
        raise UsageError(N_("That resource is not valid: {reason}."), reason=str(error)) from None


async def _refuse_duplicate(ctx: CommandContext, key: str, own_id: int | None) -> None:
    other = await ctx.uow.resources.by_key(key)
    if other is not None and other.id != own_id:
        raise UserFacingError(
            N_("The catalogue already has this resource: #{id} {title}."),
            id=other.id,
            title=other.title,
        )


async def add_to_catalogue(
    ctx: CommandContext, values: dict[str, Any], community_id: int | None
) -> Resource:
    """The one way a request adds a resource: checked by the import rules, refused when the
    catalogue has it, searchable at once (the index is dropped). ``/resource add`` and an
    approved contribution (bot/features/contributions) both come through here."""
    key, checked = _clean(values)
    await _refuse_duplicate(ctx, key, None)
    resource = await ctx.uow.resources.add(
        dedup_key=key, values=checked, now=ctx.now, community_id=community_id
    )
    ctx.services[HubService].invalidate()
    return resource


@feature.command(
    "resource",
    "add",
    description=N_("Add a resource to the catalogue"),
    args=[ArgSpec("fields", ArgKind.TEXT, FIELDS_HELP, long=True)],
    audience=Audience.ADMIN,
)
async def add_resource(ctx: CommandContext, fields: str) -> list[Reply]:
    changes = parse_fields(str(fields))
    resource = await add_to_catalogue(
        ctx, {**changes, "source": changes.get("source") or "admin"}, ctx.community.id
    )
    await ctx.audit("resource.add", resource_id=resource.id, title=resource.title)
    return [
        ctx.reply(line(ctx._("Added resource #{id}:", id=resource.id), " ", bold(resource.title)))
    ]


async def _resource(ctx: CommandContext, raw: Any) -> Any:
    """The resource an admin curates: one their community added (the secretariat: any,
    the imported catalogue included)."""
    try:
        resource_id = int(str(raw).lstrip("#"))
    except ValueError:
        raise UsageError(N_("“{value}” is not a resource number."), value=str(raw)[:40]) from None
    missing = NotFoundError(N_("There is no resource #{id}."), id=resource_id)
    in_range = INTEGER_MIN <= resource_id <= INTEGER_MAX  # beyond any id: no such resource
    found = await ctx.uow.resources.get(resource_id) if in_range else None
    return ctx.administered(found, missing)


@feature.command(
    "resource",
    "edit",
    description=N_("Change fields of a resource"),
    args=[
        ArgSpec("id", ArgKind.RESOURCE, N_("Resource number"), suggest="resources"),
        ArgSpec("fields", ArgKind.TEXT, FIELDS_HELP, long=True),
    ],
    audience=Audience.ADMIN,
)
async def edit_resource(ctx: CommandContext, id: str, fields: str) -> list[Reply]:
    resource = await _resource(ctx, id)
    changes = parse_fields(str(fields))
    current = {name: getattr(resource, name) for name in EDITABLE_FIELDS}
    key, values = _clean({**current, **changes})
    await _refuse_duplicate(ctx, key, resource.id)
    changed = await ctx.uow.resources.update(resource, values, now=ctx.now, dedup_key=key)
    if not changed:
        return [ctx.reply(ctx._("Nothing changed in resource #{id}.", id=resource.id))]
    await ctx.audit(
        "resource.edit",
        within=resource.community_id,
        resource_id=resource.id,
        fields=sorted(changes),
    )
    ctx.services[HubService].invalidate()
    return [
        ctx.reply(line(ctx._("Updated resource #{id}:", id=resource.id), " ", bold(resource.title)))
    ]


@feature.command(
    "resource",
    "remove",
    description=N_("Remove a resource from the catalogue"),
    args=[ArgSpec("id", ArgKind.RESOURCE, N_("Resource number"), suggest="resources")],
    audience=Audience.ADMIN,
)
async def remove_resource(ctx: CommandContext, id: str) -> list[Reply]:
    resource = await _resource(ctx, id)
    title = resource.title
    await ctx.uow.resources.remove(resource.id, ctx.now)
    await ctx.audit(
        "resource.remove", within=resource.community_id, resource_id=resource.id, title=title
    )
    ctx.services[HubService].invalidate()
    return [ctx.reply(line(ctx._("Removed resource #{id}:", id=resource.id), " ", bold(title)))]


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
