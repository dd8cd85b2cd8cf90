"""/practice: a good practice written in a guided chat, one part per message, kept as it goes.

A restart in the middle loses nothing: the next message continues at the same part, and
``/practice`` resumes the draft. Back and skip work in the four languages. The write-up is
reviewed like a share and exported (JSON, Markdown, HTML) only with the author's consent.
"""

from __future__ import annotations

import json

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.messages import Destination
from storage.models_contributions import Contribution
from storage.statuses import ContributionStatus
from tests.conftest import make_settings
from tests.helpers import ROOM, say, texts

ANSWERS = {
    "title": "Night buses that stop on request",
    "context": "Kisumu, 2024, with the transport office and a women's association.",
    "challenge": "Women walking home after late shifts felt unsafe between stops.",
    "actions": "Drivers stop anywhere on the route after 9 pm on request.",
    "results": "Reported incidents fell by a third in six months.",
    "failures": "The first posters were only in English.",
    "lessons": "Ask the riders first.",
    "contact": "transport@kisumu.example",
}


async def _start(url: str, clock: ManualClock) -> BotApp:
    return await BotApp.start(make_settings(url), clock=clock)


async def _champion(app: BotApp) -> None:
    await say(app, "amina", "/cancel")  # she exists
    await say(app, "sofia", "/champion approve Amina", admin=True)


async def _draft(app: BotApp) -> Contribution:
    async with app.database.unit_of_work() as uow:
        found = await uow.session.get(Contribution, 1)
        assert found is not None
        return found


async def _write(app: BotApp, who: str, *parts: str) -> str:
    said = ""
    for part in parts:
        said = texts(await say(app, who, ANSWERS.get(part, part)))
    return said


async def test_a_restart_in_the_middle_of_a_write_up_resumes_it(
    sqlite_url: str, clock: ManualClock
) -> None:
    app = await _start(sqlite_url, clock)
    await _champion(app)
    opened = texts(await say(app, "amina", "/practice"))
    assert "Step 1 of 8" in opened and "What shall we call this practice?" in opened
    asked = await _write(app, "amina", "title", "context")
    assert "Step 3 of 8" in asked and "The challenge" in asked
    await app.close()  # the bot restarts between two messages

    app = await _start(sqlite_url, clock)
    try:
        draft = await _draft(app)
        assert draft.status is ContributionStatus.DRAFT
        assert draft.sections == {"title": ANSWERS["title"], "context": ANSWERS["context"]}
        # The next message answers the part that was asked before the restart.
        assert "Step 4 of 8" in await _write(app, "amina", "challenge")
        # Stopped, then started again: /practice resumes at the first part not answered.
        await say(app, "amina", "/cancel")
        resumed = texts(await say(app, "amina", "/practice"))
        assert "Welcome back" in resumed and "Step 4 of 8" in resumed
        assert (await _draft(app)).sections["challenge"] == ANSWERS["challenge"]
    finally:
        await app.close()


async def test_back_and_skip_in_any_language_and_a_required_part_cannot_be_skipped(
    app: BotApp,
) -> None:
    await _champion(app)
    await say(app, "amina", "/language es")
    await say(app, "amina", "/practice")
    refused = await _write(app, "amina", "omitir")  # the title is needed
    assert "Esta parte es necesaria" in refused
    await _write(app, "amina", "title", "context")
    assert "Paso 2 de 8" in await _write(app, "amina", "atrás")
    again = await _write(app, "amina", "A new context")
    assert "Paso 3 de 8" in again
    await _write(app, "amina", "challenge", "actions")
    assert "Paso 6 de 8" in await _write(app, "amina", "omitir")  # results are optional
    asked = await _write(app, "amina", "failures", "lessons", "contact")
    assert "¿Puede la red publicar esta práctica" in asked
    done = await _write(app, "amina", "sí")
    assert "Tu buena práctica #1 está en la cola de revisión" in done
    draft = await _draft(app)
    assert draft.status is ContributionStatus.PENDING and draft.publish_consent
    assert draft.sections["context"] == "A new context" and draft.sections["results"] == ""
    assert draft.written_in == "es" and draft.title == ANSWERS["title"]


async def test_a_write_up_is_reviewed_and_exported_only_with_consent(app: BotApp) -> None:
    await _champion(app)
    await say(app, "amina", "/practice")
    await _write(app, "amina", *ANSWERS, "no")
    listed = texts(await say(app, "sofia", "/review", admin=True))
    assert "Good practice #1 Night buses" in listed and "Lessons: Ask the riders first." in listed
    await say(app, "sofia", "/review change 1 Please add figures on ridership", admin=True)
    edit = texts(await say(app, "amina", "/practice edit 1"))
    assert "Type skip to keep a part as it is." in edit and "Now: Night buses" in edit
    await _write(app, "amina", *["skip"] * 4, "Ridership grew 12%.", *["skip"] * 3, "no")
    assert (await _draft(app)).sections["results"] == "Ridership grew 12%."
    assert "approved" in texts(await say(app, "sofia", "/review approve 1", admin=True))

    # Approved, but she said no to publication: the export is empty.
    empty = await say(app, "sofia", "/practice export json", admin=True)
    assert json.loads(empty[0].attachments[0].data) == []
    assert "0 good practices approved for publication." in texts(empty)
    await say(app, "amina", "/practice consent 1 yes")
    md = (await say(app, "sofia", "/practice export markdown", admin=True))[0].attachments[0]
    page = md.data.decode()
    assert page.startswith("# Good practices from the champions")
    assert "## Night buses that stop on request" in page and "### Results" in page
    assert "Ridership grew 12%." in page and "transport@kisumu.example" in page
    html = (await say(app, "sofia", "/practice export html", admin=True))[0].attachments[0]
    assert html.filename.endswith(".html") and "<h3>What did not work</h3>" in html.data.decode()
    data = json.loads((await say(app, "sofia", "/practice export json", admin=True))[0]
                      .attachments[0].data)  # fmt: skip
    assert data[0]["author"] == "Amina" and data[0]["sections"]["lessons"] == ANSWERS["lessons"]
    # Withdrawn: out of every export at once.
    await say(app, "amina", "/practice consent 1 no")
    after = await say(app, "sofia", "/practice export json", admin=True)
    assert json.loads(after[0].attachments[0].data) == []


async def test_member_text_cannot_break_the_markdown_or_the_html(app: BotApp) -> None:
    await _champion(app)
    await say(app, "amina", "/practice")
    hostile = "# <script>alert(1)</script> [x](javascript:alert(1)) @everyone"
    await _write(app, "amina", hostile, *list(ANSWERS)[1:], "yes")
    await say(app, "sofia", "/review approve 1", admin=True)
    md = (await say(app, "sofia", "/practice export markdown", admin=True))[0].attachments[0]
    html = (await say(app, "sofia", "/practice export html", admin=True))[0].attachments[0]
    assert "<script>" not in html.data.decode() and "&lt;script&gt;" in html.data.decode()
    page = md.data.decode()
    assert "## \\# " in page and "\\[x\\](javascript:" in page  # escaped: text, not a link
    assert "[x](javascript:" not in page


async def test_an_arabic_write_up_reads_right_to_left(app: BotApp) -> None:
    await _champion(app)
    await say(app, "amina", "/language ar")
    replies = await say(app, "amina", "/practice")
    assert all(reply.rtl for reply in replies) and "الخطوة 1 من 8" in texts(replies)


async def test_the_write_up_goes_to_the_private_chat_from_a_group(app: BotApp) -> None:
    await _champion(app)
    replies = await say(app, "amina", "/practice", place=ROOM)
    assert [r.destination for r in replies][-1] is Destination.POINTER
    private = [r for r in replies if r.destination is Destination.PRIVATE]
    assert "Step 1 of 8" in texts(private)
    await _write(app, "amina", *ANSWERS, "yes")
    await say(app, "sofia", "/review change 1 Shorter please", admin=True)
    edit = await say(app, "amina", "/practice edit 1", place=ROOM)
    assert [r.destination for r in edit][-1] is Destination.POINTER
    assert "Step 1 of 8" in texts([r for r in edit if r.destination is Destination.PRIVATE])
