"""Guild scheduled events: create, get, edit, delete, with Discord's status rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web

from tests.fakes.discord.base import FakeDiscordBase
from tests.fakes.discord.records import BOT_ID, GUILD_ID, user


class ScheduledEvents(FakeDiscordBase):
    """The guild's scheduled events and the rules Discord applies to them."""

    def _scheduled_event(self, method: str, parts: list[str], body: Any) -> web.Response:
        """Guild scheduled events as Discord keeps them (external ones need an end and a place).

        Statuses: 1 scheduled, 2 active, 3 completed, 4 cancelled. Only a scheduled event may be
        cancelled, and a completed or cancelled one can no longer be changed.
        """
        if parts[1] != GUILD_ID:
            return self._json({"code": 10004, "message": "Unknown Guild"}, status=404)
        if method in ("POST", "PATCH") and self._in_the_past(body.get("scheduled_start_time")):
            self.refused.append(f"{method} {'/'.join(parts)}: start in the past")
            return self._json(
                {
                    "code": 50035,
                    "message": "Invalid Form Body",
                    "errors": {
                        "scheduled_start_time": {
                            "_errors": [
                                {
                                    "code": "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST",
                                    "message": "Cannot schedule event in the past.",
                                }
                            ]
                        }
                    },
                },
                status=400,
            )
        if len(parts) == 3 and method == "POST":
            problems = self._external_problems(body)
            if problems:
                return self._invalid(problems)
            event_id = self.new_id()
            self.scheduled_events[event_id] = {
                "id": event_id,
                "guild_id": GUILD_ID,
                "name": body["name"],
                "description": body.get("description"),
                "channel_id": None,
                "creator_id": BOT_ID,
                "creator": user(BOT_ID, "ChampionsBot", bot=True),
                "image": None,
                "scheduled_start_time": body["scheduled_start_time"],
                "scheduled_end_time": body.get("scheduled_end_time"),
                "status": 1,
                "entity_type": body["entity_type"],
                "entity_id": None,
                "entity_metadata": body["entity_metadata"],
                "privacy_level": body["privacy_level"],
                "recurrence_rule": None,
                "user_count": 0,
            }
            return self._json(self.scheduled_events[event_id])
        found = self.scheduled_events.get(parts[3]) if len(parts) == 4 else None
        if found is None:
            return self._json(
                {"code": 10070, "message": "Unknown Guild Scheduled Event"}, status=404
            )
        if method == "GET":
            return self._json(found)
        if method == "DELETE":
            del self.scheduled_events[found["id"]]
            return web.Response(status=204)
        if method == "PATCH":
            if found["status"] in (3, 4):
                return self._invalid([f"scheduled event {found['id']} is already finished"])
            status = body.get("status")
            if status == 4 and found["status"] != 1:
                return self._invalid(["only a scheduled event can be cancelled"])
            if "scheduled_start_time" in body and found["status"] != 1:
                return self._invalid(["a running event cannot get a new start time"])
            updated = {**found, **{k: v for k, v in body.items() if k != "channel_id"}}
            problems = self._external_problems(updated)
            if problems:
                return self._invalid(problems)
            self.scheduled_events[found["id"]] = updated
            return self._json(updated)
        return self._json({"code": 0, "message": "405: Method Not Allowed"}, status=405)

    def _in_the_past(self, start: str | None) -> bool:
        return bool(start and self.clock and datetime.fromisoformat(start) <= self.clock())

    @staticmethod
    def _external_problems(body: dict[str, Any]) -> list[str]:
        """Discord's rules for external events that the schema cannot say."""
        if body.get("entity_type") != 3:
            return []
        problems = []
        if not (body.get("entity_metadata") or {}).get("location"):
            problems.append("an external scheduled event needs entity_metadata.location")
        end = body.get("scheduled_end_time")
        if not end:
            problems.append("an external scheduled event needs scheduled_end_time")
        elif datetime.fromisoformat(end) <= datetime.fromisoformat(body["scheduled_start_time"]):
            problems.append("scheduled_end_time must be after scheduled_start_time")
        return problems

    def _invalid(self, problems: list[str]) -> web.Response:
        self.violations.extend(problems)
        return self._json(
            {
                "code": 50035,
                "message": "Invalid Form Body",
                "errors": {"_errors": [{"code": "INVALID", "message": p} for p in problems]},
            },
            status=400,
        )
