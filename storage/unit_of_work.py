"""One transaction with every repository, handed to the core per request or job."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repositories.adapter_state import AdapterStateRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.communities import CommunityRepository
from storage.repositories.conversations import ConversationRepository
from storage.repositories.members import MemberRepository
from storage.repositories.updates import UpdateLog


class UnitOfWork:
    """Repositories sharing one session; :class:`Database` commits or rolls back around it."""

    def __init__(self, session: AsyncSession, *, dialect: str) -> None:
        self.session = session
        self.dialect = dialect
        self.members = MemberRepository(session)
        self.communities = CommunityRepository(session)
        self.conversations = ConversationRepository(session)
        self.updates = UpdateLog(session)
        self.audit = AuditRepository(session)
        self.adapter_state = AdapterStateRepository(session)

    async def flush(self) -> None:
        await self.session.flush()
