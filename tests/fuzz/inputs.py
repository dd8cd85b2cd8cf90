"""What the fuzz test types: command lines built from each command's declared arguments, with
values that look valid, sit on a boundary or are hostile, and hostile names and free text.

Every strategy reads the registry, so a command added later is fuzzed too. Values are chosen
by argument kind (``ArgKind``) and, where the kind says too little (``WORD``, ``TEXT``), by the
argument's name (``question``, ``url``, ``member``...).
"""

from __future__ import annotations

from datetime import datetime

from hypothesis import strategies as st

from bot.core.arguments import ArgKind, ArgSpec
from bot.core.messages import Actor, Place, PlaceKind, Platform, Request, RequestKind
from bot.core.registry import CommandSpec, Registry

NASTY = (
    "\x00", "\x07", "\x1b[31m", "\r\n", "\r", "\t", "\n", "\x85", "\u2028",
    "\ud800", "\udfff", "\ud83d",  # lone surrogates
    "\u202e", "\u202d", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\ufeff", "\u200b",
    "\u200c", "\u200d", "\u3164", "\u00ad",
    "@everyone", "@here", "<@123456789012345678>", "<@!123456789012345678>",
    "<@&123456789012345678>", "<#123456789012345678>", "</help:123456789012345678>",
    "<t:1700000000>", "<:emoji:123456789012345678>",
    "`", "``", "```", "**", "__", "~~", "||", "> ", "# ", "- ", "1. ", "\\", "[x](https://e.x)",
    "<b>", "</b>", "<a href=\"javascript:alert(1)\">", "&amp;", "&#0;", "&bogus;", "<", ">", "&",
    "%", "_", "'", '"', "“", "”", "«", "»", "=", ":", ",", "#", "/", "Q", "#gbv",
    "مرحبا", "أمينة", "می‌خواهم", "👩🏽‍⚖️", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "İ", "ß", "ﬁ", "ǅ", "Ⅻ", "²", "١٢", "߂",
    "DROP TABLE members;--", "' OR 1=1 --", "%_%", "\\%", "${x}", "{value}", "{0}", "%s",
)  # fmt: skip
"""Fragments that have broken, or could break, storage, parsing or rendering."""

any_character = st.characters(codec=None, exclude_categories=())
"""Every code point, lone surrogates included (hypothesis leaves those out by default)."""

hostile = st.one_of(
    st.text(any_character, max_size=40),
    st.lists(st.sampled_from(NASTY) | st.text(any_character, max_size=6), max_size=8).map("".join),
    st.sampled_from(NASTY),
    st.integers(200, 9000).map(lambda n: "x" * n),
)
"""Free text from anyone: random code points, nasty fragments, and over-long text."""

names = st.one_of(
    st.sampled_from(("Amina", "Ngozi", "أمينة المرابط", "Zoë", "", " ", "x" * 300)),
    hostile,
).map(lambda name: name[:400])
"""Display names as platforms hand them over (Telegram allows almost anything)."""

NUMBERS = (
    "1", "2", "3", "#1", "0", "-1", "+1", "1_000", " 7 ", "١", "٣", "²", "1e3", "0x10", "1.5",
    "5", "6", "3660", "3661", "100", "101",
    "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967296",
    "9223372036854775807", "9223372036854775808", "9" * 40, "9" * 250,
)  # fmt: skip
DURATIONS = (
    "24h,1h", "90m", "1h30m", "1w", "2d", "5m", "4m", "1m", "0m", "30d", "31d", "366d", "367d",
    "52w", "53w", "99999999h", "9" * 30 + "m", "1h,1h,1h", "1m,2m,3m,4m,5m,6m", "1 h", "١h",
    ",".join(f"{n}m" for n in range(5, 300, 5)), "h", "m5", "-5m", "5s",
)  # fmt: skip
DATETIMES = (
    "2026-12-03 10:00", "2026-12-03T10:00", "03/12/2026 10:00", "2026-12-03 10.00",
    "2026-12-03 10h00", "2026-02-30 10:00", "2026-12-03 24:00", "2026-03-29 02:30",
    "2000-01-01 00:00", "1999-12-31 23:59", "2100-12-31 23:59", "2101-01-01 00:00",
    "9999-12-31 23:59", "0001-01-01 00:00", "2026-12-03",
)  # fmt: skip
ZONES = (
    "Africa/Tunis", "Europe/Madrid", "UTC", "UTC+3", "UTC+14", "UTC-12", "UTC+99", "GMT-0",
    "EST", "Paris", "Tunisie", "تونس", "Etc/GMT+12", "Etc/GMT-14", "America/Argentina/Salta",
    "Nowhere/Atlantis", "../../etc/passwd", "utc +5:45", "+03:00", "z",
)  # fmt: skip
LANGUAGES = ("en", "fr", "es", "ar", "العربية", "Français", "de", "EN", "xx")
BY_NAME: dict[str, tuple[str, ...]] = {
    "question": ("Q1", "q2", "#1", "1", "Q0", "Q999999999", "Q9999999999", "Q-1", "Q١", "Q"),
    "url": (
        "https://example.org/rec", "https://x.org/a>b", "https://x.org/@everyone",
        "https://x.org/a b", "https://x.org/<@123456789012345678>", "https://x.org/`x`",
        "https://x.org/a)b", "https://x.org/\u202e", "javascript:alert(1)", "ftp://x.org",
        "http://", "https://" + "a" * 600,
    ),
    "member": (
        "Amina", "Moana", "#1", "#2", "#0", "#99999999999", "#²", "@amina", "%", "_", "%_%",
        "\\", "Amina\u202e", "أمينة",
    ),
    "fields": (
        'title:"Budget guide" url:https://example.org/guide',
        'title:"\u202eevil\u202c" url:https://x.org/a>b type:toolkit',
        "title:x url:javascript:alert(1)", 'title:"" year:99999', "title:t year:²",
        'title:"Guide" summary:"@everyone <b>"', "url:https://x.org", "nonsense",
    ),
    "themes": ("#gbv", "#leadership #gbv", "#nope", "gbv", "#"),
    "text": (  # accepted by /ask, /answer, /story, /announce...: hostile text that gets stored
        "How do we fund shelters @everyone <@&123456789012345678>? <b>now</b> #gbv",
        "anonymous Who has a budget \u202etemplate\u202c for **councils**? `x` #leadership",
        "كيف نمول الملاجئ؟ ||spoiler|| [link](https://evil.example) #gbv",
        "Q1 `code` > quote # heading - item 1. item \\ <#123456789012345678> &amp;",
    ),
    "slug": ("champions", "other", "CHAMPIONS", "%"),
    "code": ("ABC123", "000000", "x" * 100),
    "payload": ("rsvp-1", "rsvp-99999999999", "rsvp-²", "rsvp-", "link-ABC", "x"),
    "page": ("10 gender", "99999999999 gender", "² gender", "10 #nope", "10", "-1 x"),
    "value": ("Amina", "Budget guide", "https://x.org", "24h,1h", "90m", "fr", "all", "weekly"),
    "details": (
        "Europe/Madrid 90m", "UTC 90m 24h,1h", "https://x.org/w 30m", "reminders=1m",
        "duration=9999999999m", "repeat=monthly:999", "audience=region:xx", "speakers=Amina",
        "UTC+3", "reminders=" + ",".join(f"{n}m" for n in range(5, 1505, 5)),
    ),
}  # fmt: skip


def _formatted_datetimes() -> st.SearchStrategy[str]:
    return st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)).map(
        lambda moment: moment.strftime("%Y-%m-%d %H:%M")
    )


def values_for(arg: ArgSpec) -> st.SearchStrategy[str]:
    """What a person might put in ``arg``: mostly values meant for its kind or name (plausible
    and boundary ones), else hostile text."""
    specific: list[st.SearchStrategy[str]] = []
    if arg.choices:
        specific.append(
            st.sampled_from([c.value for c in arg.choices] + [c.label for c in arg.choices])
        )
    if arg.name in BY_NAME:
        specific.append(st.sampled_from(BY_NAME[arg.name]))
    kind_values = {
        ArgKind.INTEGER: st.sampled_from(NUMBERS) | st.integers().map(str),
        ArgKind.RESOURCE: st.sampled_from(NUMBERS),
        ArgKind.DURATION: st.sampled_from(DURATIONS),
        ArgKind.DURATIONS: st.sampled_from(DURATIONS),
        ArgKind.DATETIME: st.sampled_from(DATETIMES) | _formatted_datetimes(),
        ArgKind.TIMEZONE: st.sampled_from(ZONES),
        ArgKind.LANGUAGE: st.sampled_from(LANGUAGES),
    }
    if arg.kind in kind_values:
        specific.append(kind_values[arg.kind])
    if not specific:
        return hostile
    return st.one_of(*specific, *specific, *specific, hostile)


def _typed(value: str, quote: bool) -> str:
    return f'"{value}"' if quote else value


@st.composite
def command_lines(draw: st.DrawFn, spec: CommandSpec) -> str:
    """The text after ``/command``: each argument filled (or left out), sometimes quoted,
    sometimes with something more after it."""
    words = []
    for arg in spec.args:
        if not arg.required and draw(st.booleans()):
            break
        if draw(st.integers(0, 19)) == 0:  # a missing argument now and then
            break
        words.append(_typed(draw(values_for(arg)), draw(st.integers(0, 4)) == 0))
    if draw(st.integers(0, 9)) == 0:
        words.append(draw(hostile))
    return " ".join(words)


@st.composite
def command_options(draw: st.DrawFn, spec: CommandSpec) -> dict[str, str]:
    """Slash-command options (Discord splits them itself); now and then a stray one."""
    options = {}
    for arg in spec.args:
        if arg.required or draw(st.booleans()):
            options[arg.name] = draw(values_for(arg))
    if draw(st.integers(0, 19)) == 0:
        options[draw(hostile)] = draw(hostile)
    return options


ADMIN = "sofia"
"""A console admin in the fuzz app's settings (``tests/conftest.make_settings``)."""
CHAMPION = "moana"
MEMBER = "amina"


@st.composite
def actors(draw: st.DrawFn) -> Actor:
    """The admin (most often: admin commands check their arguments only for admins), a
    champion, a member, or someone new on any platform with any name."""
    who = draw(st.sampled_from((ADMIN, ADMIN, ADMIN, CHAMPION, MEMBER, "stranger")))
    if who != "stranger":
        return Actor(Platform.CONSOLE, who, who.title(), is_platform_admin=who == ADMIN)
    platform = draw(st.sampled_from(list(Platform)))
    user_id = str(draw(st.integers(1, 40)))  # a few strangers, met again and again
    return Actor(
        platform, user_id, draw(names), locale=draw(st.sampled_from((None, "fr", "ar-EG", "xx")))
    )


@st.composite
def places(draw: st.DrawFn, actor: Actor) -> Place:
    kind = draw(st.sampled_from(list(PlaceKind)))
    if kind is PlaceKind.PRIVATE:
        return Place(actor.platform, f"dm:{actor.user_id}", kind)
    thread = draw(st.sampled_from((None, "7", "99"))) if kind is PlaceKind.FORUM else None
    return Place(actor.platform, "room", kind, thread_id=thread, title=draw(names))


@st.composite
def requests(draw: st.DrawFn, registry: Registry, buttons: list[str]) -> Request:
    """One thing someone does: a command (typed or as slash options), plain text, a button
    (one the bot showed earlier, or a made-up action), or an inline lookup."""
    actor = draw(actors())
    place = draw(places(actor))
    kind = draw(st.sampled_from((RequestKind.COMMAND,) * 6 + tuple(RequestKind)))
    if kind is RequestKind.COMMAND:
        spec = draw(st.sampled_from(registry.all()))
        if draw(st.integers(0, 3)) == 0:
            return Request(
                actor, place, kind, command=spec.name, options=draw(command_options(spec))
            )
        words = spec.name.split()
        split = draw(st.integers(1, len(words)))  # Telegram names one word, Discord them all
        before, after = " ".join(words[:split]), " ".join(words[split:])
        text = f"{after} {draw(command_lines(spec))}".strip()
        return Request(actor, place, kind, command=before, text=text)
    if kind is RequestKind.BUTTON:
        made_up = st.sampled_from(("rsvp 99999999999", "=x", "=", "rate 1 99", "nope")) | hostile
        # The same draws whatever the bot showed so far, so a failure replays the same way.
        shown, other = draw(st.integers(0, 999)), draw(made_up)
        action = buttons[shown % len(buttons)] if buttons and shown % 3 else other
        return Request(actor, place, kind, text=action)
    return Request(actor, place, kind, text=draw(hostile))
