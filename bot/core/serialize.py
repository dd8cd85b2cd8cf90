"""A :class:`Reply` as a JSON-ready dict and back: the payload of an outbox row.

Background sends are rendered when they are enqueued (in the recipient's language and zone)
and stored as data, so a dispatcher in another process, or after a restart, sends exactly what
was decided. Every rich-text node type has a tag; attachments travel as base64.
"""

from __future__ import annotations

import base64
from typing import Any

from bot.core.messages import (
    Attachment,
    Button,
    Destination,
    InlineCard,
    MeetingPlace,
    Reply,
    ThreadState,
    ThreadStatus,
)
from bot.core.richtext import (
    Block,
    Bold,
    BulletList,
    Code,
    Document,
    Italic,
    Link,
    Mention,
    Node,
    Text,
)
from bot.core.walker import Walker


class _Encoder(Walker[dict[str, Any]]):
    """Each node as a dict tagged with ``t``; containers keep their children under ``c``."""

    def text(self, node: Text) -> dict[str, Any]:
        return {"t": "text", "v": node.value}

    def mention(self, node: Mention) -> dict[str, Any]:
        return {"t": "mention", "name": node.name}

    def link(self, node: Link) -> dict[str, Any]:
        return {"t": "link", "label": node.label, "url": node.url}

    def bold(self, node: Bold, children: list[dict[str, Any]]) -> dict[str, Any]:
        return {"t": "bold", "c": children}

    def italic(self, node: Italic, children: list[dict[str, Any]]) -> dict[str, Any]:
        return {"t": "italic", "c": children}

    def code(self, node: Code, children: list[dict[str, Any]]) -> dict[str, Any]:
        return {"t": "code", "c": children}

    def block(self, node: Block, children: list[dict[str, Any]]) -> dict[str, Any]:
        return {"t": "block", "c": children}

    def bullet_list(self, node: BulletList, items: list[dict[str, Any]]) -> dict[str, Any]:
        return {"t": "list", "items": items}

    def document(self, node: Document, blocks: list[dict[str, Any]]) -> dict[str, Any]:
        return {"t": "doc", "c": blocks}

    def unknown(self, node: Node) -> dict[str, Any]:
        raise TypeError(f"cannot serialize rich-text node {type(node).__name__}")


def node_to_data(node: Node) -> dict[str, Any]:
    """One rich-text node as a dict tagged with ``t``."""
    return _Encoder().walk(node)


_CONTAINERS: dict[str, type[Bold | Italic | Code | Block]] = {
    "bold": Bold,
    "italic": Italic,
    "code": Code,
    "block": Block,
}


def node_from_data(data: dict[str, Any]) -> Node:
    """The node :func:`node_to_data` made (the tags are the ones :class:`_Encoder` writes)."""
    tag = data["t"]
    if tag == "text":
        return Text(str(data["v"]))
    if tag == "link":
        return Link(str(data["label"]), str(data["url"]))
    if tag == "mention":
        return Mention(str(data["name"]))
    if tag == "list":
        return BulletList(tuple(node_from_data(item) for item in data["items"]))
    if tag == "doc":
        return Document(tuple(node_from_data(block) for block in data["c"]))
    container = _CONTAINERS.get(tag)
    if container is None:
        raise ValueError(f"unknown rich-text tag {tag!r}")
    return container(tuple(node_from_data(child) for child in data["c"]))


REPLY_FORMAT = 3
"""Version of the serialized reply written now (``"v"``). A row without ``"v"`` is version 1:
the platform hints in one untyped ``extra`` dict, as written before the typed fields.
Version 3 adds ``meeting_place``; a reply without it is still written as version 2, so only
the rows an older bot could not honour (it would post a private welcome in the open) are
refused by it."""
PLAIN_FORMAT = 2

_V1_HINTS = (
    "open_thread",
    "reply_to",
    "thread_state",
    "thread_title",
    "ping_role",
    "inline_title",
    "inline_description",
    "inline_id",
)
"""The ``extra`` keys a version-1 row may carry; any other key never had a meaning."""


def reply_to_data(reply: Reply) -> dict[str, Any]:
    """A reply as plain JSON types (str, int, bool, list, dict), tagged with its format.

    Hints that are not set are left out, so a plain reply stays small.
    """
    data: dict[str, Any] = {
        "v": REPLY_FORMAT if reply.meeting_place is not None else PLAIN_FORMAT,
        "body": node_to_data(reply.body),
        "destination": reply.destination.value,
        "buttons": [[[b.label, b.action] for b in row] for row in reply.buttons],
        "attachments": [
            {
                "filename": a.filename,
                "mime_type": a.mime_type,
                "data": base64.b64encode(a.data).decode("ascii"),
            }
            for a in reply.attachments
        ],
        "rtl": reply.rtl,
    }
    if reply.open_thread is not None:
        data["open_thread"] = reply.open_thread
    if reply.reply_to is not None:
        data["reply_to"] = reply.reply_to
    if reply.thread is not None:
        data["thread"] = {"status": reply.thread.status.value, "title": reply.thread.title}
    if reply.ping_role:
        data["ping_role"] = True
    if reply.inline is not None:
        card = reply.inline
        data["inline"] = {"title": card.title, "description": card.description, "id": card.id}
    if reply.meeting_place is not None:
        place = reply.meeting_place
        data["meeting_place"] = {"title": place.title, "accounts": list(place.accounts)}
    return data


def reply_from_data(data: dict[str, Any]) -> Reply:
    """Read a reply written by this version or an earlier one (rows may wait across an
    upgrade); a newer version is refused rather than sent without its hints."""
    version = data.get("v", 1)
    if version == 1:
        hints = _hints_v1(data.get("extra") or {})
    elif version in (PLAIN_FORMAT, REPLY_FORMAT):
        hints = _hints_v2(data)
    else:
        raise ValueError(f"serialized reply version {version!r} is newer than this bot reads")
    body = node_from_data(data["body"])
    if not isinstance(body, Document):
        raise ValueError("a reply body must be a document")
    return Reply(
        body=body,
        destination=Destination(data.get("destination", Destination.HERE.value)),
        buttons=tuple(
            tuple(Button(str(label), str(action)) for label, action in row)
            for row in data.get("buttons", ())
        ),
        attachments=tuple(
            Attachment(
                filename=str(item["filename"]),
                data=base64.b64decode(item["data"]),
                mime_type=str(item.get("mime_type", "application/octet-stream")),
            )
            for item in data.get("attachments", ())
        ),
        rtl=bool(data.get("rtl", False)),
        **hints,
    )


def _hints_v2(data: dict[str, Any]) -> dict[str, Any]:
    thread = data.get("thread")
    inline = data.get("inline")
    place = data.get("meeting_place")
    return {
        "meeting_place": (
            MeetingPlace(str(place["title"]), tuple(str(a) for a in place["accounts"]))
            if place
            else None
        ),
        "open_thread": _optional_str(data.get("open_thread")),
        "reply_to": _optional_str(data.get("reply_to")),
        "thread": (
            ThreadState(ThreadStatus(thread["status"]), _optional_str(thread.get("title")))
            if thread
            else None
        ),
        "ping_role": bool(data.get("ping_role", False)),
        "inline": (
            InlineCard(
                str(inline["title"]),
                _optional_str(inline.get("description")),
                _optional_str(inline.get("id")),
            )
            if inline
            else None
        ),
    }


def _hints_v1(extra: dict[str, Any]) -> dict[str, Any]:
    """The typed hints of a version-1 ``extra`` dict (adapters read its values with ``str``
    and tested them for truth, so an empty value meant "not set")."""
    known = {key: value for key, value in extra.items() if key in _V1_HINTS and value}
    state = known.get("thread_state")
    listed = any(key.startswith("inline_") for key in known)
    return {
        "open_thread": _optional_str(known.get("open_thread")),
        "reply_to": _optional_str(known.get("reply_to")),
        "thread": (
            ThreadState(ThreadStatus(str(state)), _optional_str(known.get("thread_title")))
            if state
            else None
        ),
        "ping_role": bool(known.get("ping_role", False)),
        "inline": (
            InlineCard(
                str(known.get("inline_title", "")),
                _optional_str(known.get("inline_description")),
                _optional_str(known.get("inline_id")),
            )
            if listed
            else None
        ),
    }


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)
