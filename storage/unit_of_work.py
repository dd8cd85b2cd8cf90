"""One transaction with every repository, handed to the core per request or job."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from storage.integrity import constraint_errors
from storage.repositories.adapter_state import AdapterStateRepository
from storage.repositories.advice import AdviceRepository
from storage.repositories.assessment import AssessmentRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.calendar_feeds import CalendarFeedRepository
from storage.repositories.callers import CallerLookup
from storage.repositories.calls import CallRepository
from storage.repositories.change_logs import ChangeLogRepository
from storage.repositories.communities import CommunityRepository
from storage.repositories.contributions import ContributionRepository
from storage.repositories.conversations import ConversationRepository
from storage.repositories.curation import CurationRepository
from storage.repositories.directory import DirectoryRepository
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

    # Each repository is made on first use: a request touches two or three of the twenty, and
    # making all twenty was a measurable part of a short request's CPU (docs/performance.md).

    @cached_property
    def members(self) -> MemberRepository:
        return MemberRepository(self.session)

    @cached_property
    def callers(self) -> CallerLookup:
        return CallerLookup(self.session)

    @cached_property
    def communities(self) -> CommunityRepository:
        return CommunityRepository(self.session)

    @cached_property
    def conversations(self) -> ConversationRepository:
        return ConversationRepository(self.session)

    @cached_property
    def updates(self) -> UpdateLog:
        return UpdateLog(self.session)

    @cached_property
    def change_logs(self) -> ChangeLogRepository:
        return ChangeLogRepository(self.session)

    @cached_property
    def audit(self) -> AuditRepository:
        return AuditRepository(self.session)

    @cached_property
    def stories(self) -> StoryRepository:
        return StoryRepository(self.session)

    @cached_property
    def advice(self) -> AdviceRepository:
        return AdviceRepository(self.session)

    @cached_property
    def outbox(self) -> OutboxRepository:
        return OutboxRepository(self.session, self.dialect)

    @cached_property
    def leases(self) -> LeaseRepository:
        return LeaseRepository(self.session, self.dialect)

    @cached_property
    def directory(self) -> DirectoryRepository:
        return DirectoryRepository(self.session)

    @cached_property
    def events(self) -> EventRepository:
        return EventRepository(self.session)

    @cached_property
    def calendar_feeds(self) -> CalendarFeedRepository:
        return CalendarFeedRepository(self.session)

    @cached_property
    def resources(self) -> ResourceRepository:
        return ResourceRepository(self.session)

    @cached_property
    def adapter_state(self) -> AdapterStateRepository:
        return AdapterStateRepository(self.session)

    @cached_property
    def meet(self) -> MeetRepository:
        return MeetRepository(self.session)

    @cached_property
    def contributions(self) -> ContributionRepository:
        return ContributionRepository(self.session)

    @cached_property
    def shared_files(self) -> SharedFileRepository:
        return SharedFileRepository(self.session)

    @cached_property
    def personal_data(self) -> PersonalDataRepository:
        return PersonalDataRepository(self.session)

    @cached_property
    def calls(self) -> CallRepository:
        return CallRepository(self.session)

    @cached_property
    def curation(self) -> CurationRepository:
        return CurationRepository(self.session)

    @cached_property
    def assessments(self) -> AssessmentRepository:
        return AssessmentRepository(self.session)

    async def flush(self) -> None:
        """Write pending changes now; a broken constraint raises storage's own error."""
        with constraint_errors():
            await self.session.flush()
