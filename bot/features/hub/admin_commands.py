"""The admins' catalogue commands: /resource add, edit, remove.

Every way a request adds a resource goes through :func:`add_to_catalogue` (an approved
contribution too), and every curation command finds its resource with
:func:`resource_to_curate`, which checks the admin's community.
"""

from __future__ import annotations

from typing import Any

from bot.core.arguments import INTEGER_MAX, INTEGER_MIN, ArgKind, ArgSpec, split_words
from bot.core.context import CommandContext
from bot.core.errors import NotFoundError, UsageError, UserFacingError
from bot.core.i18n import N_
from bot.core.keywords import WordList, field_named
from bot.core.messages import Reply
from bot.core.registry import Audience
from bot.core.richtext import bold, line
from bot.features.hub import taxonomy
from bot.features.hub.commands import feature
from bot.features.hub.records import RecordError, clean
from bot.features.hub.service import HubService
from storage.models import Resource
from storage.repositories.resources import EDITABLE_FIELDS

FIELDS_HELP = N_('Fields as key:value, e.g. title:"…" url:… type:guide themes:quotas')


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
        field = field_named(name, _FIELD_NAMES)  # titre:, tipo:, السنة:
        if not colon or field is None:
            raise UsageError(
                N_("“{word}” is not a field. Use key:value with one of: {allowed}."),
                word=word[:40],
                allowed=WordList(tuple(EDITABLE_FIELDS)),
            )
        fields[field] = value.strip()
    if not fields:
        raise UsageError(N_('Give at least one field, like title:"…".'))
    for kind, field in (("theme", "themes"), ("region", "regions"), ("lang", "languages")):
        if field in fields:
            fields[field] = _codes(kind, fields[field])
    return fields


def _codes(kind: str, value: str) -> list[str]:
    return taxonomy.codes_listed(kind, value)


def clean_record(values: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    try:
        return clean(values)
    except RecordError as error:
        raise UsageError(N_("That resource is not valid: {reason}."), reason=str(error)) from None


async def refuse_duplicate(ctx: CommandContext, key: str, own_id: int | None) -> None:
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
    key, checked = clean_record(values)
    await refuse_duplicate(ctx, key, None)
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


async def resource_to_curate(ctx: CommandContext, raw: Any) -> Any:
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
    resource = await resource_to_curate(ctx, id)
    changes = parse_fields(str(fields))
    current = {name: getattr(resource, name) for name in EDITABLE_FIELDS}
    key, values = clean_record({**current, **changes})
    await refuse_duplicate(ctx, key, resource.id)
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
    resource = await resource_to_curate(ctx, id)
    title = resource.title
    await ctx.uow.resources.remove(resource.id, ctx.now)
    await ctx.audit(
        "resource.remove", within=resource.community_id, resource_id=resource.id, title=title
    )
    ctx.services[HubService].invalidate()
    return [ctx.reply(line(ctx._("Removed resource #{id}:", id=resource.id), " ", bold(title)))]
