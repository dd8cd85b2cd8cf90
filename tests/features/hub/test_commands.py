"""/resources and the admins' /resource commands, through the whole core on a real database."""

from __future__ import annotations

from pathlib import Path

from bot.app import BotApp
from bot.core.messages import Destination, Reply, Request, RequestKind
from bot.features.hub.service import suggest_resource_titles, suggest_resources
from tests.helpers import ROOM, actor, private, say, texts


async def catalogue_size(app: BotApp) -> int:
    async with app.database.unit_of_work() as uow:
        return await uow.resources.count()


async def press(app: BotApp, name: str, action: str) -> list[Reply]:
    request = Request(actor(name), private(name), RequestKind.BUTTON, text=action)
    return await app.handle(request)


async def test_demo_catalogue_is_there_on_first_start(app: BotApp) -> None:
    assert await catalogue_size(app) == 60


async def test_lucia_searches_in_spanish_and_pages_with_more(app: BotApp) -> None:
    replies = await say(app, "lucia", "/resources presupuesto sensible al género")
    body = texts(replies)
    assert "Gender Responsive Budgeting" in body
    assert "Resources 1–5 of" in body
    *per_result, (more_button,) = replies[0].buttons
    assert len(per_result) == 5  # one curation row per result, then "More results"
    action = more_button.action
    assert action.startswith("resources_more 5 ") and len(action.encode()) <= 60
    more = texts(await press(app, "lucia", action))
    assert "Resources 6–" in more
    assert more.split("\n")[1] not in body


async def test_long_query_more_button_fits_and_works(app: BotApp) -> None:
    query = "gender mainstreaming in local government associations toolkit guide"
    replies = await say(app, "grace", "/resources " + query)
    action = replies[0].buttons[-1][0].action
    assert len(action.encode()) <= 60 and "#" in action
    assert "Resources 6–" in texts(await press(app, "grace", action))


async def test_cards_show_type_year_publisher_and_link(app: BotApp) -> None:
    body = texts(await say(app, "amina", "/resources quota", place=ROOM))
    assert "Women's Representation in Local Government: A Global Analysis" in body
    assert "UN Women" in body and "https://" in body


async def test_arabic_filters_and_rtl(app: BotApp) -> None:
    replies = await say(app, "rania", "/resources لغة:العربية", locale="ar")
    assert replies[0].rtl and "الموارد 1–" in texts(replies)


async def test_cards_are_translated(app: BotApp) -> None:
    body = texts(await say(app, "amina", "/resources كوتا", locale="fr"))
    assert "Ressources 1–" in body


async def test_empty_query_and_unknown_filter_get_a_clear_reply(app: BotApp) -> None:
    empty = await say(app, "lucia", "/resources")
    assert "Missing" in texts(empty) and empty[0].destination is Destination.EPHEMERAL
    unknown = texts(await say(app, "lucia", "/resources budget theme:astrology"))
    assert "astrology" in unknown and "gender_budgeting" in unknown
    only_stopwords = texts(await say(app, "lucia", "/resources de la"))
    assert "Tell me what to look for" in only_stopwords
    nothing = texts(await say(app, "lucia", "/resources qoutaz"))
    assert "Did you mean" in nothing and "quota" in nothing


async def test_admin_commands_are_refused_to_non_admins(app: BotApp) -> None:
    for command in (
        '/resource add title:"Sneaky" url:https://example.org/s',
        "/resource edit 1 title:Changed",
        "/resource remove 1",
    ):
        reply = texts(await say(app, "amina", command))
        assert "for the network's admins" in reply
    assert await catalogue_size(app) == 60
    async with app.database.unit_of_work() as uow:
        first = await uow.resources.get(1)
        assert first is not None and first.title != "Changed"


async def test_admin_adds_edits_and_removes_a_resource(app: BotApp) -> None:
    added = texts(
        await say(
            app,
            "sofia",
            '/resource add title:"Guía de presupuestos locales" url:https://example.org/guia '
            "type:guía themes:cuotas,gender_budgeting languages:es year:2025 publisher:FEMP",
        )
    )
    assert "Added resource #61" in added
    found = texts(await say(app, "lucia", "/resources guia presupuestos locales"))
    assert "Guía de presupuestos locales" in found
    edited = texts(await say(app, "sofia", '/resource edit 61 title:"Guía municipal" year:2026'))
    assert "Updated resource #61" in edited
    assert "Guía municipal" in texts(await say(app, "lucia", "/resources guia municipal"))
    assert "Nothing changed" in texts(await say(app, "sofia", "/resource edit 61 year:2026"))
    assert "Removed resource #61" in texts(await say(app, "sofia", "/resource remove 61"))
    assert await catalogue_size(app) == 60
    assert "no resource #61" in texts(await say(app, "sofia", "/resource remove 61"))


async def test_admin_bad_input_changes_nothing(app: BotApp) -> None:
    cases = {
        "/resource add url:https://example.org/x": "title is missing",
        '/resource add title:"X" colour:blue': "is not a field",
        '/resource add title:"X" themes:astrology': "astrology",
        '/resource add title:"X" url:ftp://example.org': "url",
        '/resource add title:"Dup" url:https://cib-uclg.org/gender-hub/gender-toolkit': (
            "already has this resource"
        ),
        "/resource edit 9999 title:X": "no resource #9999",
        "/resource edit abc title:X": "not a resource number",
    }
    for command, expected in cases.items():
        assert expected in texts(await say(app, "sofia", command)), command
    assert await catalogue_size(app) == 60


async def test_suggest_resources_for_autocomplete(app: BotApp) -> None:
    suggestions = await suggest_resources(app, "observ")
    assert suggestions and "Observatory" in suggestions[0][0]
    assert suggestions[0][1].isdigit() and all(len(label) <= 100 for label, _ in suggestions)
    assert len(await suggest_resources(app, "")) == 25
    _label, title = (await suggest_resource_titles(app, "observ"))[0]
    assert title.startswith("Municipal Observatory")
    assert "Municipal Observatory" in texts(await say(app, "grace", "/resources " + title))


async def test_a_resource_by_its_number(app: BotApp) -> None:
    body = texts(await say(app, "grace", "/resources #31"))
    assert "Women's Representation in Local Government" in body
    assert "no resource #999" in texts(await say(app, "grace", "/resources #999"))


async def test_the_index_follows_changes_made_by_another_process(
    app: BotApp, tmp_path: Path
) -> None:
    from bot.features.hub.importer import import_file

    assert "Zanzibar" not in texts(await say(app, "grace", "/resources zanzibar"))
    path = tmp_path / "new.jsonl"
    path.write_text(
        '{"title": "Zanzibar councillors handbook", "publisher": "ZALGA", "type": "guide"}\n',
        encoding="utf-8",
    )
    report = await import_file(app.database, path, now=app.clock.now())
    assert report.added == 1
    assert "Zanzibar councillors handbook" in texts(await say(app, "grace", "/resources zanzibar"))


async def test_slash_command_options_form(app: BotApp) -> None:
    request = Request(
        actor("grace"),
        private("grace"),
        RequestKind.COMMAND,
        command="resources",
        options={"query": "cuotas region:mena"},
    )
    body = texts(await app.handle(request))
    assert "Resources 1–" in body and "Connective Cities" in body


async def test_related_resources_for_a_question(app: BotApp) -> None:
    from bot.features.hub.service import related_resources

    question = "How do other councils protect women candidates from online harassment?"
    async with app.database.unit_of_work() as uow:
        related = await related_resources(app, uow, question)
    assert len(related) == 3
    assert any("gbv" in doc.themes for doc in related)


async def test_restart_does_not_import_the_demo_catalogue_again(app: BotApp) -> None:
    from bot.core.clock import ManualClock
    from bot.features.hub.demo import ensure_demo_catalogue

    assert await ensure_demo_catalogue(app) is None  # not empty: nothing done
    again = await BotApp.start(app.settings, clock=ManualClock())
    try:
        assert await catalogue_size(again) == 60
    finally:
        await again.close()
