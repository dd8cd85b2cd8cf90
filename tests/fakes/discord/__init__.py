"""A loopback fake Discord: enough REST and gateway for the real discord.py client to run.

It serves on 127.0.0.1 only (:mod:`.server`). Every request body the bot sends is checked
against Discord's OpenAPI spec and documented rules, and answered as Discord would answer a
breach (:mod:`.spec`). Tests set up servers, channels and people, send gateway events and
interactions, inject faults, and read back what the bot did.

One module per job, one class for tests (``async with FakeDiscord() as fake``), composed here
from their mixins:

- :mod:`.records`: the fixed ids, and the records kept (:class:`Interaction`, :class:`Sent`,
  :class:`GatewaySession`);
- :mod:`.spec`: the OpenAPI spec and the body checks (:func:`body_breaches`);
- :mod:`.base`: the state, and the servers, channels and people tests set up;
- :mod:`.gateway`: the websocket (HELLO, IDENTIFY, RESUME, heartbeats, sharding) and dispatch;
- :mod:`.waits`: waiting until the bot is quiet, connected, or done;
- :mod:`.messages`: messages the bot creates (nonces, history) and those people post;
- :mod:`.interactions`: interactions, their callbacks, follow-ups and edits;
- :mod:`.commands`: a slash command's ``data`` and its attachments;
- :mod:`.threads`: forum posts, threads, thread members, renames and tags;
- :mod:`.scheduled_events`: guild scheduled events and their status rules;
- :mod:`.faults`: rate limits, failures, passing errors, slow answers;
- :mod:`.rest`: each REST request's checks and its route;
- :mod:`.server`: starting and stopping the loopback server.
"""

from __future__ import annotations

from tests.fakes.discord.gateway import valid_shard
from tests.fakes.discord.records import (
    APP_ID,
    BOT_ID,
    BOT_ROLE_ID,
    GUILD_ID,
    INVITE_PERMISSIONS,
    NONCE_WINDOW,
    OWNER_ID,
    SEND_MESSAGES,
    TIMESTAMP,
    GatewaySession,
    Interaction,
    Sent,
    user,
)
from tests.fakes.discord.server import API_PREFIX, LoopbackServer
from tests.fakes.discord.spec import SPEC_PATH, body_breaches, check_body
from tests.fakes.discord.waits import HANDLER_TASKS, Waits


class FakeDiscord(LoopbackServer, Waits):
    """The fake server; use as ``async with FakeDiscord() as fake``.

    The server builds on every REST part (each part inherits the parts it needs), so the
    waits are the only part left to add."""


__all__ = [
    "API_PREFIX",
    "APP_ID",
    "BOT_ID",
    "BOT_ROLE_ID",
    "GUILD_ID",
    "HANDLER_TASKS",
    "INVITE_PERMISSIONS",
    "NONCE_WINDOW",
    "OWNER_ID",
    "SEND_MESSAGES",
    "SPEC_PATH",
    "TIMESTAMP",
    "FakeDiscord",
    "GatewaySession",
    "Interaction",
    "Sent",
    "body_breaches",
    "check_body",
    "user",
    "valid_shard",
]
