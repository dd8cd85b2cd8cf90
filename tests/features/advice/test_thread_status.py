"""Every state a question can be in has a thread state the platforms can show."""

from __future__ import annotations

from bot.core.messages import ThreadStatus
from storage.statuses import QuestionStatus


def test_each_question_status_is_a_thread_status() -> None:
    # advice.announce_state turns one into the other: a new question status needs its
    # ThreadStatus (and the adapters' handling of it) before it can be announced.
    assert {ThreadStatus(status) for status in QuestionStatus} == set(ThreadStatus)
