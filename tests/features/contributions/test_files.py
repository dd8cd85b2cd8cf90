"""/share with a file, through the router, on a real SQLite file (and PostgreSQL in CI).

The file is checked (kind by name and first bytes, size), compared by content with what the
hub and the queue hold, kept in ``shared_files`` and served by the bot's web server only once
approved, at the address the catalogue lists. Refusals change nothing.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.app import BotApp
from bot.config import ContributionsConfig, HttpConfig
from bot.core.clock import ManualClock
from bot.core.messages import Request, RequestKind, Upload
from bot.features.contributions.files import check_upload, title_from
from bot.web import WebServer
from storage.models import Resource
from storage.models_contributions import Contribution, SharedFile
from tests.conftest import make_settings
from tests.helpers import actor, private, say, texts

PDF = b"%PDF-1.7\n" + b"gender budgeting toolkit " * 400 + b"\n%%EOF\n"
PUBLIC = "https://bot.example.org"


@pytest.fixture
async def app(db_url: str, clock: ManualClock) -> AsyncIterator[BotApp]:
    settings = make_settings(
        db_url,
        http=HttpConfig(public_url=PUBLIC, port=0),
        contributions=ContributionsConfig(max_file_mb=1),
    )
    bot_app = await BotApp.start(settings, clock=clock)
    await say(bot_app, "amina", "/language fr")
    await say(bot_app, "sofia", "/champion approve Amina", admin=True)
    yield bot_app
    await bot_app.close()


@pytest.fixture
async def web(app: BotApp) -> AsyncIterator[str]:
    assert app.settings.http is not None
    server = WebServer(app, app.settings.http)
    await server.start()
    yield f"http://127.0.0.1:{server.port}"
    await server.stop()


async def share(
    app: BotApp, text: str, name: str, data: bytes | None, *, size: int | None = None
) -> str:
    upload = Upload(name, "application/pdf", len(data or b"") if size is None else size, data)
    request = Request(
        actor("amina"), private("amina"), RequestKind.COMMAND, "share", text, upload=upload
    )
    return texts(await app.handle(request))


async def count(app: BotApp, model: type) -> int:
    async with app.database.unit_of_work() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def only_file(app: BotApp) -> SharedFile:
    async with app.database.unit_of_work() as uow:
        [found] = (await uow.session.scalars(select(SharedFile))).all()
        return found


async def fetch(base: str, url: str) -> tuple[int, bytes, dict[str, str]]:
    """GET the catalogue's address (behind the reverse proxy) from the bot's own server."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(base + urlsplit(url).path) as response,
    ):
        return response.status, await response.read(), dict(response.headers)


async def test_a_shared_pdf_is_served_only_once_approved(app: BotApp, web: str) -> None:
    said = await share(app, "Guide de la budgétisation genrée lang:fr", "Guide GRB.pdf", PDF)
    assert "Votre ressource #1 est dans la file de relecture" in said
    assert "Fichier : Guide GRB.pdf (10 KB)" in said
    shared = await only_file(app)
    [contribution] = await _contributions(app)
    assert contribution.url == f"{PUBLIC}/files/{shared.token}/Guide%20GRB.pdf"
    assert (shared.mime_type, shared.size, shared.contribution_id) == (
        "application/pdf",
        len(PDF),
        1,
    )
    assert len(shared.token) >= 32

    status, _, _ = await fetch(web, contribution.url or "")
    assert status == 404  # pending: not served
    status, _, _ = await fetch(web, f"{PUBLIC}/files/nope{shared.token[4:]}/Guide%20GRB.pdf")
    assert status == 404

    card = await say(app, "sofia", "/review", admin=True)
    assert "Fichier" not in texts(card) and "File: Guide GRB.pdf (10 KB)" in texts(card)
    [attached] = card[0].attachments
    assert (attached.filename, attached.data) == ("Guide GRB.pdf", PDF)
    approved = texts(await say(app, "sofia", "/review approve 1", admin=True))
    assert "resource #" in approved

    status, body, headers = await fetch(web, contribution.url or "")
    assert (status, body) == (200, PDF)
    assert headers["Content-Type"] == "application/pdf"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Disposition"].startswith('inline; filename="Guide GRB.pdf"')
    wrong_name = (contribution.url or "").replace("Guide%20GRB", "other")
    assert (await fetch(web, wrong_name))[0] == 404

    found = texts(await say(app, "karim", "/resources budgétisation genrée"))
    assert "Guide de la budgétisation genrée" in found and "Shared by Amina" in found
    async with app.database.unit_of_work() as uow:
        resource = await uow.session.scalar(
            select(Resource).where(Resource.url == contribution.url)
        )
        assert resource is not None
    shared = await only_file(app)
    assert (shared.contribution_id, shared.resource_id) == (None, resource.id)

    # the same bytes under another name: the hub has it
    again = await share(app, "", "copy.pdf", PDF)
    assert f"le centre de ressources l'a déjà : #{resource.id}" in again
    assert await count(app, SharedFile) == 1 and await count(app, Contribution) == 1

    # retired from the hub: no longer served
    await say(app, "sofia", f"/resource retire {resource.id}", admin=True)
    assert (await fetch(web, contribution.url or ""))[0] == 404


async def _contributions(app: BotApp) -> list[Contribution]:
    async with app.database.unit_of_work() as uow:
        return list((await uow.session.scalars(select(Contribution))).all())


@pytest.mark.parametrize(
    ("name", "data", "size", "said"),
    [
        ("big.pdf", None, 1_200_000, "est trop volumineux (1.2 MB)"),
        ("big.pdf", b"%PDF-" + b"x" * 1_000_001, None, "est trop volumineux"),
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 100, None, "je n'accepte que des documents"),
        ("guide.pdf", b"MZ\x90\x00" + b"\x00" * 100, None, "je n'accepte que des documents"),
        ("page.html", b"<script>alert(1)</script>", None, "je n'accepte que des documents"),
        ("notes.txt", b"\x00\x01binary", None, "je n'accepte que des documents"),
        ("empty.pdf", b"", None, "est vide"),
    ],
)
async def test_refused_files_change_nothing(
    app: BotApp, name: str, data: bytes | None, size: int | None, said: str
) -> None:
    answer = await share(app, "Un titre", name, data, size=size)
    assert said in answer, answer
    assert await count(app, SharedFile) == 0 and await count(app, Contribution) == 0


async def test_a_duplicate_in_the_queue_and_a_link_with_a_file(app: BotApp) -> None:
    await share(app, "Premier", "a.pdf", PDF)
    again = await share(app, "Second", "b.pdf", PDF)
    assert "quelqu'un l'a déjà partagée" in again and "Premier" in again
    both = await share(app, "https://example.org/x Titre", "c.pdf", PDF + b"1")
    assert "soit un lien, soit un fichier" in both
    assert await count(app, SharedFile) == 1 and await count(app, Contribution) == 1


async def test_declined_file_is_deleted_and_never_served(app: BotApp, web: str) -> None:
    await share(app, "", "Rapport_annuel.pdf", PDF)
    [contribution] = await _contributions(app)
    assert contribution.title == "Rapport annuel"  # from the file's name
    await say(app, "sofia", "/review decline 1 Hors sujet", admin=True)
    assert await count(app, SharedFile) == 0
    assert (await fetch(web, contribution.url or ""))[0] == 404


async def test_share_alone_then_the_file(app: BotApp) -> None:
    asked = texts(await say(app, "amina", "/share"))
    assert "Ou envoyez-moi maintenant le lien ou le fichier." in asked
    assert "La console n'accepte que des liens" in asked  # the console takes no files
    upload = Upload("Plan.pdf", "application/pdf", len(PDF), PDF)
    request = Request(actor("amina"), private("amina"), RequestKind.TEXT, text="", upload=upload)
    said = texts(await app.handle(request))
    assert "Votre ressource #1 est dans la file de relecture" in said
    assert (await only_file(app)).filename == "Plan.pdf"
    after = texts(await say(app, "amina", "bonjour"))
    assert "file de relecture" not in after  # the conversation ended


async def test_without_a_web_address_files_are_refused(db_url: str, clock: ManualClock) -> None:
    bot_app = await BotApp.start(make_settings(db_url), clock=clock)
    try:
        await say(bot_app, "amina", "/start")
        await say(bot_app, "sofia", "/champion approve Amina", admin=True)
        answer = await share(bot_app, "Titre", "a.pdf", PDF)
        assert "cannot keep files here" in answer
        assert await count(bot_app, SharedFile) == 0
    finally:
        await bot_app.close()


def test_kinds_are_decided_by_name_and_content() -> None:
    docx = check_upload(Upload("Plan.docx", "application/x-msdownload", 8, b"PK\x03\x04xxxx"), 99)
    assert docx.mime_type.endswith("wordprocessingml.document")
    csv = check_upload(Upload("data.csv", "text/html", 9, "a;é;b\n1;2;3".encode()), 99)
    assert csv.mime_type == "text/csv; charset=utf-8"
    png = check_upload(Upload("photo.PNG", "", 12, b"\x89PNG\r\n\x1a\n1234"), 99)
    assert png.mime_type == "image/png"
    assert title_from("Plan_d-action 2026.docx") == "Plan d action 2026"


async def test_mydata_lists_pending_files_and_forget_takes_them(app: BotApp, web: str) -> None:
    await share(app, "Approuvé", "kept.pdf", PDF)
    await share(app, "En attente", "pending.pdf", PDF + b"2")
    await share(app, "Renvoyé", "sent-back.pdf", PDF + b"3")
    await say(app, "sofia", "/review approve 1", admin=True)
    await say(app, "sofia", "/review change 3 Un autre titre", admin=True)

    [mydata] = [r for r in await say(app, "amina", "/mydata") if r.attachments]
    files = json.loads(mydata.attachments[0].data)["shared_files"]
    assert [(f["contribution_id"], f["filename"]) for f in files] == [
        (2, "pending.pdf"),
        (3, "sent-back.pdf"),
    ]
    assert "data" not in files[0] and files[0]["size"] == len(PDF) + 1

    [approved] = [c for c in await _contributions(app) if c.id == 1]
    await say(app, "amina", "/forget")
    await say(app, "amina", "/forget confirm")
    assert await count(app, Contribution) == 0
    assert (await only_file(app)).filename == "kept.pdf"  # the hub's document now
    status, body, _ = await fetch(web, approved.url or "")
    assert (status, body) == (200, PDF)


async def test_a_file_alone_is_no_answer_to_other_questions(app: BotApp) -> None:
    upload = Upload("Plan.pdf", "application/pdf", len(PDF), PDF)
    request = Request(actor("amina"), private("amina"), RequestKind.TEXT, text="", upload=upload)
    assert await app.handle(request) == []  # no question asked: not for the bot
    await say(app, "amina", "/practice")
    again = Request(actor("amina"), private("amina"), RequestKind.TEXT, text="", upload=upload)
    assert await app.handle(again) == []  # the write-up asked a title, not a file
    async with app.database.unit_of_work() as uow:
        [draft] = (await uow.session.scalars(select(Contribution))).all()
        assert draft.sections == {}
    assert await count(app, SharedFile) == 0
