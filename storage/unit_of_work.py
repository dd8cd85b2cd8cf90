"""One transaction with every repository, handed to the core per request or job."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from storage.integrity import constraint_errors
from storage.repositories.adapter_state import AdapterStateRepository
from storage.repositories.advice import AdviceRepository
from storage.repositories.assessment import AssessmentRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.calendar_feeds import CalendarFeedRepository
from storage.repositories.callers import CallerLookup
from storage.repositories.calls import CallRepository
from storage.repositories.communities import CommunityRepository
from storage.repositories.contributions import ContributionRepository
from storage.repositories.conversations import ConversationRepository
from storage.repositories.curation import CurationRepository
from storage.repositories.events import EventRepository
from storage.repositories.leases import LeaseRepository
from storage.repositories.members import MemberRepository
from storage.repositories.networking import MeetRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.personal_data import PersonalDataRepository
from storage.repositories.resources import ResourceRepository
from storage.repositories.shared_files import SharedFileRepository
from storage.repositories.stories import StoryRepository
from storage.repositories.updates import UpdateLog


class UnitOfWork:
    """Repositories sharing one session; :class:`Database` commits or rolls back around it."""

    def __init__(
        self,
        session: AsyncSession,
        *,
        dialect: str,
        wake_hooks: Sequence[Callable[[], None]] = (),
    ) -> None:
        self.session = session
        self.dialect = dialect
        self.wake_hooks = wake_hooks
        """Run after commit when this transaction queued outbox rows."""
        self.members = MemberRepository(session)
        self.callers = CallerLookup(session)
        self.communities = CommunityRepository(session)
        self.conversations = ConversationRepository(session)
        self.updates = UpdateLog(session)
        self.audit = AuditRepository(session)
        self.stories = StoryRepository(session)
        self.advice = AdviceRepository(session)
        self.outbox = OutboxRepository(session, dialect)
        self.leases = LeaseRepository(session, dialect)
        self.events = EventRepository(session)
        self.calendar_feeds = CalendarFeedRepository(session)
        self.resources = ResourceRepository(session)
        self.adapter_state = AdapterStateRepository(session)
        self.meet = MeetRepository(session)
        self.contributions = ContributionRepository(session)
        self.shared_files = SharedFileRepository(session)
        self.personal_data = PersonalDataRepository(session)
        self.calls = CallRepository(session)
        self.curation = CurationRepository(session)
        self.assessments = AssessmentRepository(session)

    async def flush(self) -> None:
        """Write pending changes now; a broken constraint raises storage's own error."""
        with constraint_errors():
            await self.session.flush()
