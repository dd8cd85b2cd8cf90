"""Threads: where each kind may start, the permissions it takes, and Discord's refusals.

Threads (``resources/channel#start-thread-without-message``, ``#add-thread-member``,
``topics/permissions``; confirmed 2026-11 against discord.js's and twilight's renderings of the
same pages). The schema already holds a thread's name to 1-100 characters, its type to 10, 11
or 12 (12, private, when left out in API v9/v10) and ``invitable`` to a boolean (meaningful for
private threads only: whether non-moderators may add others; discord.py sends it for every
thread). What depends on the server's state is checked by the fake when it routes: a private
thread opens only in a text channel (type 0), an announcement thread (10) only in an
announcement channel (5), else 400 code 50024 "Cannot execute action on this channel type"
(forum and media channels take posts instead); the bot needs Create Private Threads
(``1 << 36``) for a private thread, Create Public Threads (``1 << 35``) for a public one, and
Send Messages in Threads (``1 << 38``) to add a member (403, code 50013), who must be a known
user (404, 10013); an archived thread takes no new member (400, code 50083).
"""

from __future__ import annotations

TEXT_CHANNEL, ANNOUNCEMENT_CHANNEL = 0, 5
ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD = 10, 11, 12
THREAD_TYPES = (ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD)
CREATE_PUBLIC_THREADS = 1 << 35
CREATE_PRIVATE_THREADS = 1 << 36
SEND_MESSAGES_IN_THREADS = 1 << 38
WRONG_CHANNEL_TYPE = {"code": 50024, "message": "Cannot execute action on this channel type"}
ARCHIVED_THREAD = {"code": 50083, "message": "Thread is archived"}
MISSING_PERMISSIONS = {"code": 50013, "message": "Missing Permissions"}


def thread_type_fits(parent_type: int, thread_type: int) -> bool:
    """Whether a thread of ``thread_type`` may start (without a message) in the parent."""
    if thread_type == PRIVATE_THREAD:
        return parent_type == TEXT_CHANNEL
    if thread_type == ANNOUNCEMENT_THREAD:
        return parent_type == ANNOUNCEMENT_CHANNEL
    return parent_type in (TEXT_CHANNEL, ANNOUNCEMENT_CHANNEL)


def thread_permission(thread_type: int) -> int:
    """The permission the bot needs in the parent channel to start this kind of thread."""
    return CREATE_PRIVATE_THREADS if thread_type == PRIVATE_THREAD else CREATE_PUBLIC_THREADS
