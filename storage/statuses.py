"""The closed vocabularies stored in the tables: statuses, roles, audiences, purposes.

Why here, in ``storage``: the repositories write and query these values, and ``storage`` never
imports ``bot``; the features may import ``storage``. This module imports only the standard
library, so importing it costs nothing and drags in no SQLAlchemy. (``bot/core`` does not use it:
the core imports ``storage`` only for type checking, so it keeps its few role names as plain
strings, which compare equal to these members.)

Each vocabulary is a :class:`enum.StrEnum`: a member *is* its string (``QuestionStatus.OPEN ==
"open"``, same hash, same JSON, same f-string), so the columns stay ``VARCHAR`` with the very
values written before these enums existed: no migration, and old rows read back as members.
"""

from __future__ import annotations

from enum import StrEnum


class QuestionStatus(StrEnum):
    """A peer-advice question (``questions.status``); also the state shown on its mirrors."""

    OPEN = "open"
    SOLVED = "solved"
    CLOSED = "closed"
    """Closed by the moderators: it takes no more answers."""
    DELETED = "deleted"
    """Removed by the moderators: hidden everywhere, kept for the audit."""


class EventStatus(StrEnum):
    """A webinar or training (``events.status``)."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class StoryStatus(StrEnum):
    """A champion's story (``stories.status``): published only once approved."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class OutboxStatus(StrEnum):
    """An outbox row (``outbox.status``); its lifecycle: ``storage/repositories/outbox/``."""

    PENDING = "pending"
    SENDING = "sending"
    """Claimed by a dispatcher, which is sending it."""
    SENT = "sent"
    FAILED = "failed"
    """Refused for good, or too many attempts."""
    MISSED = "missed"
    """Not sent within the grace window after its due time (shown by ``/webinar missed``)."""
    UNCONFIRMED = "unconfirmed"
    """Maybe delivered, never confirmed: a send outlived its timeout (or its process) on a
    platform where we cannot look in the chat, and this kind is not repeated blindly
    (docs/delivery.md). Not sent again."""


FINAL_OUTBOX_STATUSES = frozenset(
    {OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.MISSED, OutboxStatus.UNCONFIRMED}
)
"""A row in one of these is done: it will never be sent (again)."""


class MembershipRole(StrEnum):
    """A member's role in one community (``memberships.role``)."""

    MEMBER = "member"
    CHAMPION = "champion"
    ADMIN = "admin"


class AnnouncementAudience(StrEnum):
    """Who receives an announcement (``announcements.audience``)."""

    CHATS = "chats"
    CHAMPIONS = "champions"
    EVERYONE = "everyone"
    """The chats and every champion privately."""


class EventAudience(StrEnum):
    """Who may see an event (``events.audience``), besides ``region:<code>``
    (:data:`REGION_AUDIENCE_PREFIX`): members of the event's community in that region."""

    ALL = "all"
    """Every community of the deployment."""
    COMMUNITY = "community"
    """The members of the event's community."""


REGION_AUDIENCE_PREFIX = "region:"


class ChatPurpose(StrEnum):
    """What a chat linked to a community is for (``community_chats.purpose``; the config's
    ``[[communities.chats]] purpose``)."""

    GENERAL = "general"
    ADVICE = "advice"
    ANNOUNCEMENTS = "announcements"
    WEBINARS = "webinars"


class NoticeReason(StrEnum):
    """Why a champion was told privately about a question (``advice_notices.reason``)."""

    NEW = "new"
    """The question was just asked."""
    NUDGE = "nudge"
    """It has waited too long for an answer."""


class MeetStatus(StrEnum):
    """A member in a community's pairing rounds (``meet_participants.status``)."""

    ACTIVE = "active"
    PAUSED = "paused"
    """Until ``paused_until``; then active again."""
    LEFT = "left"


class MeetCadence(StrEnum):
    """How often a community's pairing rounds start (``meet_settings.cadence``)."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


class MeetOutcome(StrEnum):
    """A member's answer to "Did you meet?" (``meet_pairings.outcome``)."""

    MET = "met"
    NOT_YET = "not_yet"
    NO = "no"


class MentorshipStatus(StrEnum):
    """A mentorship (``mentorships.status``)."""

    PROPOSED = "proposed"
    """Computed; the admins preview it, then the mentor is asked (``asked_at``)."""
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    """Declined, unanswered past the deadline, dropped by an admin, or stopped by the pair."""


class CheckinAnswer(StrEnum):
    """A party's one-tap answer to a mentoring check-in (``mentor_checkins.answer``)."""

    WELL = "well"
    HELP = "help"
    """Alerts the community's admins."""
    STOPPED = "stopped"
    """Closes the mentorship as cancelled and asks for feedback."""


class ContributionKind(StrEnum):
    """What a champion contributed (``contributions.kind``)."""

    RESOURCE = "resource"
    """A link to share in the Knowledge Hub catalogue."""
    PRACTICE = "practice"
    """A good practice written up step by step."""


class ContributionStatus(StrEnum):
    """Where a contribution stands in the review queue (``contributions.status``)."""

    DRAFT = "draft"
    """A write-up still being written: not in the queue yet."""
    PENDING = "pending"
    """Waiting for an admin of its community."""
    CHANGES_REQUESTED = "changes_requested"
    """An admin asked for a change; the contributor edits and resubmits."""
    APPROVED = "approved"
    DECLINED = "declined"


class CallKind(StrEnum):
    """What a call for contributors asks for (``contributor_calls.kind``)."""

    SPEAKER = "speaker"
    """A speaking slot in a webinar (the call names the event)."""
    REVIEWER = "reviewer"
    """Reviewers for a toolkit chapter."""
    CASE_STUDY = "case_study"
    """A case study on a theme."""


class CallStatus(StrEnum):
    """A call for contributors (``contributor_calls.status``)."""

    OPEN = "open"
    """Champions may volunteer until the deadline; then the admin picks."""
    PICKED = "picked"
    """The admin chose; the chosen and the others were told (through the outbox)."""
    CANCELLED = "cancelled"
    """The admin called it off: volunteers were told once, pending reminders removed."""


class VolunteerStatus(StrEnum):
    """A champion's answer to a call (``call_volunteers.status``)."""

    VOLUNTEERED = "volunteered"
    WITHDRAWN = "withdrawn"
    CHOSEN = "chosen"
    NOT_CHOSEN = "not_chosen"


class FlagReason(StrEnum):
    """Why a resource was flagged (``resource_flags.reason``)."""

    BROKEN = "broken"
    """A member says the link does not work."""
    OUTDATED = "outdated"
    """A member says the resource is out of date."""
    DEAD = "dead"
    """The periodic link check found the link dead."""


class FlagStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class AssessmentStatus(StrEnum):
    """A self-assessment (``assessments.status``): answers still coming, or finished."""

    OPEN = "open"
    DONE = "done"
