"""The admin walk through the real discord.py and the fake Discord.

Every admin slash command the adapter declares (its own plan of the registry), used with
plausible options by a member and by a champion, in a guild channel and in a DM: each gets
one answer, the refusal in their Discord language, ephemeral in the channel (nobody else sees
it); a command with long arguments is refused before its form opens, and a form opened by an
admin whose role is taken away meanwhile is refused on submit. No row of the database changes.
Members never even see these commands by default: each admin-only root is declared with the
Manage Server permission.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from adapters.discord.command_plan import SlashCommand, plan
from bot.core.arguments import ArgKind
from bot.core.registry import Audience
from storage.models import Community, Member, Membership
from tests.adapters.discord.conftest import Starter, answers, ephemeral
from tests.adapters.discord.hostile import as_read
from tests.admin_walk import admin_commands, command_line, refusal, sample, seed, snapshot
from tests.fakes.discord import FakeDiscord, Interaction

MANAGE_GUILD = 1 << 5


def _filled(modal: dict[str, Any], slash: SlashCommand) -> dict[str, Any]:
    rows = [
        {"type": 1, "components": [{"type": 4, "custom_id": arg.name, "value": sample(arg)}]}
        for arg in slash.long_args
    ]
    return {"custom_id": modal["custom_id"], "components": rows}


async def _use(
    fake: FakeDiscord, user_id: str, slash: SlashCommand, *, dm: bool, locale: str
) -> Interaction:
    """Run the slash command as a person would; a modal that opens is filled in and sent."""
    options: dict[str, Any] = {
        arg.name: int(sample(arg)) if arg.kind is ArgKind.INTEGER else sample(arg)
        for arg in slash.options
    }
    data = fake.command_data(*slash.path, options=options)
    used = await fake.run_interaction(fake.interaction(user_id, 2, data, dm=dm, locale=locale))
    if used.callbacks[0]["type"] != 9:
        return used
    submitted = fake.interaction(
        user_id, 5, _filled(used.callbacks[0]["data"], slash), dm=dm, locale=locale
    )
    return await fake.run_interaction(submitted)


async def _role(app: Any, name: str) -> str | None:
    async with app.database.unit_of_work() as uow:
        return await uow.session.scalar(
            select(Membership.role)
            .join(Member, Member.id == Membership.member_id)
            .join(Community, Community.id == Membership.community_id)
            .where(Member.display_name == name, Community.slug == "champions")
        )


async def test_discord_refuses_every_admin_command_to_non_admins(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    sofia, amina, lucia = fake.add_user("Sofia"), fake.add_user("Amina"), fake.add_user("Lucia")
    running = await start_bot(admins=(sofia,))
    app = running.app
    await seed(app)
    # Amina becomes a champion the Discord way: she sets her country, an admin approves her.
    await fake.run_interaction(
        fake.interaction(
            amina, 2, fake.command_data("profile", "set", options={"field": "country",
                                                                   "value": "Tunisia"})
        )
    )  # fmt: skip
    await fake.run_interaction(
        fake.interaction(
            sofia, 2, fake.command_data("champion", "approve", options={"member": "Amina"})
        )
    )
    assert await _role(app, "Amina") == "champion"
    await fake.settle(quiet=0.05)

    leaves = [leaf for leaf in plan(app.registry) if leaf.spec.audience is Audience.ADMIN]
    assert {leaf.spec.path for leaf in leaves} == {s.path for s in admin_commands(app.registry)}
    assert any(leaf.long_args for leaf in leaves)  # commands that ask in a form are walked too
    walkers = ((lucia, "es-ES", "es"), (amina, "fr", "fr"))
    before = await snapshot(app)
    sent_before = len(fake.sent)
    for leaf in leaves:
        for user_id, locale, language in walkers:
            for dm in (False, True):
                used = await _use(fake, user_id, leaf, dm=dm, locale=locale)
                [body] = answers(used)
                where = f"/{leaf.name} by {language} {'in a DM' if dm else 'in #general'}"
                assert as_read(body["content"]) == refusal(language, leaf.spec), where
                # answered at once: no form to fill in first, even for long arguments
                assert [c["type"] for c in used.callbacks] == [4], where
                assert used.payload["type"] == 2, where
                assert dm or ephemeral(body), where
    await fake.settle(quiet=0.05)
    posted = [s for s in fake.sent[sent_before:] if s.kind != "response"]
    assert posted == []  # no channel message, no DM: only the interaction answers
    assert await snapshot(app) == before
    assert refusal("fr", leaves[0].spec) != refusal("es", leaves[0].spec)


async def test_admin_only_roots_need_manage_server(fake: FakeDiscord, start_bot: Starter) -> None:
    running = await start_bot()
    [payload] = fake.command_puts
    leaves = plan(running.app.registry)
    audiences: dict[str, set[Audience]] = {}
    for leaf in leaves:
        audiences.setdefault(leaf.path[0], set()).add(leaf.spec.audience)
    admin_only = {root for root, seen in audiences.items() if seen == {Audience.ADMIN}}
    assert {"announce", "audit", "champion", "export", "stats", "webinar"} <= admin_only
    for command in payload:
        permissions = command.get("default_member_permissions")
        if command["name"] in admin_only:
            assert permissions is not None and int(permissions) == MANAGE_GUILD, command["name"]
        else:  # /story and /thread serve members too: the core refuses their admin parts
            assert permissions is None, command["name"]
    assert {command["name"] for command in payload} == set(audiences)


async def test_discord_refuses_admin_buttons_to_non_admins(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    """A button carries a command line (``story approve 1``). When a member can press one (an
    admin's list of pending stories posted in a channel, a forwarded message), the admin
    action is refused like the typed command. Discord only sends presses of buttons that are on
    the message, so each action is put on a copy of a message the bot sent."""
    lucia = fake.add_user("Lucia")
    running = await start_bot()
    app = running.app
    await seed(app)
    await fake.run_interaction(fake.interaction(lucia, 2, fake.command_data("start"), dm=True))
    await fake.settle(quiet=0.05)
    sent = next(s for s in reversed(fake.sent) if s.body.get("components"))
    message = fake.messages[sent.message_id]
    specs = admin_commands(app.registry)
    before = await snapshot(app)
    for spec in specs:
        action = command_line(app.registry, spec)[1:]
        button = {"type": 2, "style": 2, "label": "OK", "custom_id": action}
        carrying = {**message, "components": [{"type": 1, "components": [button]}]}
        data = {"custom_id": action, "component_type": 2}
        pressed = await fake.run_interaction(
            fake.interaction(lucia, 3, data, dm=True, message=carrying, locale="es-419")
        )
        [body] = answers(pressed)
        assert as_read(body["content"]) == refusal("es", spec), action
    assert await snapshot(app) == before


async def _set_role(app: Any, name: str, role: str) -> None:
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        member = await uow.session.scalar(select(Member).where(Member.display_name == name))
        assert community is not None and member is not None
        await uow.communities.set_role(community, member, role, app.clock.now())


async def test_a_form_opened_by_an_admin_is_refused_once_the_role_is_gone(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    amina = fake.add_user("Amina")
    running = await start_bot()
    app = running.app
    await fake.run_interaction(fake.interaction(amina, 2, fake.command_data("help")))
    await _set_role(app, "Amina", "admin")
    [leaf] = [leaf for leaf in plan(app.registry) if leaf.spec.path == ("announce",)]
    opened = await fake.run_interaction(
        fake.interaction(amina, 2, fake.command_data(*leaf.path, options={"audience": "chats"}))
    )
    [callback] = opened.callbacks
    assert callback["type"] == 9  # an admin gets the form
    await _set_role(app, "Amina", "champion")  # and stops being one while typing
    before = await snapshot(app)
    submitted = await fake.run_interaction(
        fake.interaction(amina, 5, _filled(callback["data"], leaf))
    )
    [body] = answers(submitted)
    assert ephemeral(body) and as_read(body["content"]) == refusal("en", leaf.spec)
    assert await snapshot(app) == before
