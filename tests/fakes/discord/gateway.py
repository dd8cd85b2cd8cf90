"""The gateway: the websocket discord.py connects to, and the events tests send through it.

HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME → replay + RESUMED.
Sharding as Discord documents it: an IDENTIFY may carry ``shard: [shard_id, num_shards]``
(one session per shard, each on its own connection); a server's events go to the shard with
``shard_id == (guild_id >> 22) % num_shards``, DMs to shard 0; an invalid shard closes the
connection with 4010. ``recommended_shards`` and ``max_concurrency`` are what
``GET /gateway/bot`` says (:mod:`.rest`).

Tests drive it: :meth:`Gateway.dispatch` sends a gateway event, :meth:`Gateway.drop_connection`
cuts the gateway so the client must resume.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.discord.base import FakeDiscordBase
from tests.fakes.discord.records import APP_ID, BOT_ID, GatewaySession, user


def valid_shard(shard: object) -> bool:
    """``[shard_id, num_shards]`` with ``0 <= shard_id < num_shards``."""
    return (
        isinstance(shard, list)
        and len(shard) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in shard)
        and 0 <= shard[0] < shard[1]
    )


class Gateway(FakeDiscordBase):
    """Gateway sessions, one per shard, and the events sent on them."""

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(
            json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        )
        session: GatewaySession | None = None
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                break
            payload = json.loads(message.data)
            op = payload["op"]
            if op == 1:
                await ws.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
            elif op == 2:
                self.identifies.append(payload["d"])
                shard = payload["d"].get("shard", [0, 1])
                if not valid_shard(shard):
                    self.invalid_shards.append(shard)
                    await ws.close(code=4010, message=b"Invalid shard.")
                    break
                session = await self._identify(ws, shard[0], shard[1])
            elif op == 6:
                self.resumes.append(payload["d"])
                session = next(
                    (
                        known
                        for known in self.sessions.values()
                        if known.session_id == payload["d"]["session_id"]
                    ),
                    None,
                )
                if session is None:  # op 9: not resumable, identify again
                    await ws.send_str(json.dumps({"op": 9, "d": False, "s": None, "t": None}))
                    continue
                after = int(payload["d"]["seq"] or 0)
                for event in session.events:
                    if event["s"] > after:
                        await ws.send_str(json.dumps(event))
                await ws.send_str(
                    json.dumps({"op": 0, "t": "RESUMED", "s": len(session.events), "d": {}})
                )
                session.live = ws
        if session is not None and session.live is ws:
            session.live = None
        return ws

    async def _identify(
        self, ws: web.WebSocketResponse, shard_id: int, shard_count: int
    ) -> GatewaySession:
        """A new session for the shard: READY with its servers, then their GUILD_CREATEs."""
        name = self.session_id if shard_id == 0 else f"fake-session-{shard_id + 1}"
        session = GatewaySession(shard_id, shard_count, name)
        self.sessions[shard_id] = session
        guilds = [g for g in self.guild_ids if session.owns(g)]
        ready = {
            "v": 10,
            "user": user(BOT_ID, "ChampionsBot", bot=True),
            "guilds": [{"id": g, "unavailable": True} for g in guilds],
            "session_id": session.session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": APP_ID, "flags": 0},
            "private_channels": [],
            "relationships": [],
            "user_settings": {},
        }
        if shard_count > 1 or shard_id:
            ready["shard"] = [shard_id, shard_count]
        await self._send_event(session, "READY", ready, ws)
        for guild_id in guilds:
            await self._send_event(session, "GUILD_CREATE", self._guild(guild_id), ws)
        session.live = ws
        return session

    def _session_for(self, guild_id: str | None) -> GatewaySession | None:
        """The session that receives ``guild_id``'s events (None: a DM, shard 0's)."""
        return next((s for s in self.sessions.values() if s.owns(guild_id)), None)

    async def _send_event(
        self,
        session: GatewaySession,
        name: str,
        data: Any,
        ws: web.WebSocketResponse | None = None,
    ) -> None:
        event = {"op": 0, "t": name, "s": len(session.events) + 1, "d": data}
        session.events.append(event)
        target = ws or session.live
        if target is not None and not target.closed:
            await target.send_str(json.dumps(event))

    @property
    def events(self) -> list[dict[str, Any]]:
        """Shard 0's dispatches (the only session when unsharded)."""
        return self.sessions[0].events if 0 in self.sessions else []

    async def dispatch(self, name: str, data: Any) -> None:
        """Send a gateway event on the shard that owns its server (DMs: shard 0); while that
        shard is disconnected the event is kept and replayed on RESUME."""
        session = self._session_for(data.get("guild_id") if isinstance(data, dict) else None)
        if session is None:
            raise RuntimeError("no gateway session receives this event yet")
        if name == "INTERACTION_CREATE" and data.get("id") in self.interactions:
            self.interactions[data["id"]].dispatched_at = asyncio.get_running_loop().time()
        await self._send_event(session, name, data)

    async def drop_connection(self, shard_id: int = 0) -> None:
        """Cut a shard's gateway connection uncleanly; the client must reconnect and resume."""
        session = self.sessions[shard_id]
        dropped = session.live
        assert dropped is not None
        session.live = None
        await dropped.close(code=4000, message=b"dropped by the fake")
