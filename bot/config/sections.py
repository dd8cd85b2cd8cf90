"""The communities' sections and those of the bot's own work: storage, reminders, the hub…"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from bot.config.base import PlatformId, Section, check_language, check_zone
from bot.core.arguments import parse_duration

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/champions.db"


class ChatLink(Section):
    """A chat linked to a community, and what it is for."""

    platform: Literal["telegram", "discord", "console"]
    chat_id: PlatformId
    purpose: Literal["general", "advice", "announcements", "webinars"] = "general"
    thread_id: PlatformId | None = None
    title: str | None = None


class CommunityConfig(Section):
    slug: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")] = "champions"
    name: str = "Gender Hub Champions"
    timezone: str = "UTC"
    default_language: str = "en"
    champions_per_region: Annotated[int, Field(ge=0, le=100)] = 2
    """How many champions each world region should have (the CIB pilot wants two)."""
    digest_cron: str | None = "0 8 * * fri"
    """When the weekly digest is posted (crontab, in the community's time zone); "" for never."""
    chats: tuple[ChatLink, ...] = ()

    _zone = field_validator("timezone")(check_zone)

    @field_validator("digest_cron")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if not value:
            return None
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(value)
        except ValueError:
            raise ValueError(
                f"{value!r} is not a crontab line like '0 8 * * fri' "
                "(minute hour day month weekday)"
            ) from None
        return value

    _lang = field_validator("default_language")(check_language)


class StorageConfig(Section):
    url: str = DEFAULT_DATABASE_URL
    give_up_after_seconds: Annotated[float, Field(gt=0)] = 120.0
    """How long the bot waits for a lost database before it reports unhealthy and exits with a
    non-zero status, so that its supervisor restarts it (the restart migrates an emptied one)."""
    probe_seconds: Annotated[float, Field(gt=0)] = 5.0
    """How often the database is checked: whether it answers, with its tables in place."""
    pool_size: Annotated[int, Field(ge=1, le=100)] = 15
    """PostgreSQL connections each process keeps open: as many requests run their database
    work at once, the others queue in arrival order. Each process may open 5 more for
    background work (listening for wake-ups, start-up), so N processes need
    N × (pool_size + 5) of the server's ``max_connections`` (100 by default). A SQLite file
    gets at most 4 (``storage.database.SQLITE_POOL_SIZE``: one writer at a time)."""


class RemindersConfig(Section):
    default_offsets: tuple[str, ...] = ("24h", "1h")
    grace_minutes: Annotated[int, Field(ge=0, le=24 * 60)] = 15
    send_rates: dict[str, Annotated[float, Field(gt=0)]] = {
        "telegram": 25.0,
        "discord": 40.0,
        "console": 200.0,
    }
    """Messages per second the dispatcher sends on each platform (below its published limit)."""
    concurrency: Annotated[int, Field(ge=1, le=64)] = 4
    """Chats sent to at once per platform (hides network latency; pacing still applies). The
    messages of one chat always go one after the other, in order."""
    max_attempts: Annotated[int, Field(ge=1, le=50)] = 5
    lease_seconds: Annotated[int, Field(ge=3, le=600)] = 15
    """A dispatcher renews its claims every third of this; the claims of one silent for this
    long (a crashed process) are taken over by the others."""
    stale_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 5
    """Claims of a process that kept no heartbeat (a version before leases) are taken over
    after this long."""
    sweep_seconds: Annotated[int, Field(ge=5, le=3600)] = 60
    """Fallback wake-up period of the dispatcher (it is also woken at each due time)."""
    chat_limits: dict[str, str] | None = None
    """Per-chat limits as ``"count/seconds"``, keyed ``platform.private`` or ``platform.group``
    (e.g. ``{"telegram.group" = "20/60"}``); None: each platform's published limits
    (``bot.delivery.pacing.PLATFORM_CHAT_LIMITS``). A limited chat waits; the others go on."""
    early_max_minutes: Annotated[int, Field(ge=0, le=120)] = 15
    """A reminder fan-out may start up to this long before its due time, so that at the
    platform's rate the last reminder still leaves on time (docs/delivery.md)."""
    shared_pacing: bool = True
    """On PostgreSQL, one rate per platform shared by every process (a bucket row in the
    database); off, or on SQLite, each process paces itself alone."""
    listen: bool = True
    """On PostgreSQL, wake every process's dispatcher with LISTEN/NOTIFY when rows are queued
    (needs a direct connection, not a pooler in transaction mode; the sweep stays the fallback)."""

    @field_validator("default_offsets")
    @classmethod
    def _offsets(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            try:
                parse_duration(item)
            except Exception:
                raise ValueError(f"{item!r} is not a duration like '24h' or '90m'") from None
        return value


class AdviceConfig(Section):
    daily_notice_cap: Annotated[int, Field(ge=0, le=100)] = 3
    """At most this many private notices about new questions per champion per day."""
    unanswered_hours: Annotated[int, Field(ge=1, le=24 * 30)] = 48
    """A question with no answer after this long is re-announced and admins are told."""


class AssessmentConfig(Section):
    """The self-assessment (/assess, docs/assessment.md)."""

    retake_months: Annotated[int, Field(ge=0, le=36)] = 3
    """This many months after a finished personal assessment, invite her once to take it again
    (0: never)."""


class PrivacyConfig(Section):
    """How long the bot keeps copies of what it sent (see docs/privacy.md)."""

    keep_sent_days: Annotated[int, Field(ge=1, le=3660)] = 30
    """Outbox rows that are done (sent, failed, missed) are deleted this many days after they
    were due: the messages' copies, with whatever names they carry, do not stay forever."""


class HubConfig(Section):
    """The Knowledge Hub catalogue: RSS/Atom feeds whose entries are imported as resources."""

    feeds: tuple[str, ...] = ()
    feed_sync_hours: Annotated[int, Field(ge=1, le=24 * 7)] = 6
    demo_catalogue: bool = True
    """Import the shipped demo catalogue on first start when the catalogue is empty."""
    link_check_per_run: Annotated[int, Field(ge=0, le=1000)] = 0
    """Links the periodic link check asks per sweep (0: no link check). 20 suits most hubs."""
    link_check_concurrency: Annotated[int, Field(ge=1, le=32)] = 4
    link_check_timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 10.0
    link_check_days: Annotated[int, Field(ge=1, le=365)] = 30
    """A working link is asked again after this many days (a failing one the next day)."""


class ContributionsConfig(Section):
    """What champions may share (docs/contributions.md)."""

    max_file_mb: Annotated[int, Field(ge=1, le=20)] = 20
    """The largest file /share accepts, in megabytes (1 MB = 1,000,000 bytes). Telegram lets a
    bot download 20 MB at most, hence the ceiling. Files are kept in the database and served
    at ``[http] public_url``/files/… once approved; without ``[http]`` only links are shared."""

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1_000_000


class LoggingConfig(Section):
    """How the process writes its log (to stderr, one line per event)."""

    format: Literal["text", "json"] = "text"
    """``json``: one JSON object per line, for a log collector (docs/deploy.md)."""
    level: Literal["debug", "info", "warning", "error"] = "warning"
    """``info`` adds one line per request (platform, command, outcome, duration)."""


class HttpConfig(Section):
    """The bot's own web server, for calendar feeds; off when the section is absent."""

    public_url: str
    """The address members' calendar apps fetch, e.g. "https://bot.example.org" (behind your
    reverse proxy, which forwards /calendar/ and /files/ to listen:port)."""
    listen: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8080
    """0 picks a free port (tests)."""
    public_feeds: bool = True
    """Serve each community's public feed (events open to all) at
    /calendar/community/<slug>.ics; members' private feeds are always served."""

    @field_validator("public_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")) or " " in value:
            raise ValueError(f"{value!r} is not a web address like 'https://bot.example.org'")
        return value.rstrip("/")
