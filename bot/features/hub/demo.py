"""The demo catalogue shipped with the bot, imported on first start when the catalogue is empty.

It holds 60 real Knowledge Hub resources, so a fresh install answers ``/resources`` at once.
The check is one ``count`` query, and the import is idempotent, so it is cheap to run on
every start. Its resources record the source :data:`DEMO_SOURCE`, so a later real import of the
same resources (the shipped sample is this very file) adopts them and reports them *added*.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.features.hub.importer import DEMO_SOURCE, ImportReport, import_file

if TYPE_CHECKING:
    from bot.app import BotApp

DEMO_CATALOGUE = Path(__file__).resolve().parents[2] / "data" / "hub-catalogue.jsonl"


async def ensure_demo_catalogue(app: BotApp) -> ImportReport | None:
    """Import the demo catalogue if there is no resource yet; ``None`` when nothing was done."""
    if not app.settings.hub.demo_catalogue:
        return None
    async with app.database.unit_of_work() as uow:
        if await uow.resources.count() > 0:
            return None
    if not DEMO_CATALOGUE.exists():
        return None
    return await import_file(
        app.database, DEMO_CATALOGUE, now=app.clock.now(), source=DEMO_SOURCE
    )
