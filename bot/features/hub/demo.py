"""The demo catalogue shipped with the bot, imported on first start when the catalogue is empty.

It holds 60 real Knowledge Hub resources, so a fresh install answers ``/resources`` at once.
The check is one ``count`` query, and the import is idempotent, so it is cheap to run on
every start. Its resources record the source :data:`DEMO_SOURCE`, so a later real import of the
same resources (the shipped sample is this very file) adopts them and reports them *added*.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import HubConfig
from bot.features.hub.importer import DEMO_SOURCE, ImportReport, import_file

if TYPE_CHECKING:
    from bot.core.ports import Ports

DEMO_CATALOGUE = Path(__file__).resolve().parents[2] / "data" / "hub-catalogue.jsonl"


async def ensure_demo_catalogue(ports: Ports) -> ImportReport | None:
    """Import the demo catalogue if there is no resource yet; ``None`` when nothing was done."""
    if not ports.services[HubConfig].demo_catalogue:
        return None
    async with ports.unit_of_work() as uow:
        if await uow.resources.count() > 0:
            return None
    if not DEMO_CATALOGUE.exists():
        return None
    return await import_file(ports, DEMO_CATALOGUE, now=ports.clock.now(), source=DEMO_SOURCE)
