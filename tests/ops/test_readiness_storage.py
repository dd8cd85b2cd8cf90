"""``/readyz`` says "not ready" while the app's health has no storage, even when the server
answers ``SELECT 1`` (a database recreated empty), and why."""

from __future__ import annotations

from bot.app import BotApp
from bot.ops.operations import Operations
from storage.errors import StorageUnavailable


async def test_storage_is_not_ready_while_the_health_says_it_is_lost(app: BotApp) -> None:
    readiness = Operations(app).readiness
    storage = (await readiness.check())[0]
    assert storage.name == "storage" and storage.ok
    app.database.availability.lost(StorageUnavailable("no such table: members"))
    storage = (await readiness.check())[0]  # its SELECT 1 still works: it changes nothing
    assert not storage.ok and storage.detail == "storage unavailable: no such table: members"
    await app.database.check()  # the probe finds the schema again
    assert (await readiness.check())[0].ok
