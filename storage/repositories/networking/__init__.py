"""Pairing rounds: who takes part, who met whom, and each round's groups.

One module per job, one class for callers (``uow.meet``), composed here from their mixins:

- :mod:`.participants`: settings, participants, the pairable (:class:`Pairable`), the findable
  and the unreachable;
- :mod:`.exclusions`: "not with" pairs;
- :mod:`.rounds`: rounds, pairings, introductions, outcomes, and forgetting a member;
- :mod:`.figures`: counts for reports.
"""

from __future__ import annotations

from storage.repositories.networking.exclusions import MeetExclusions
from storage.repositories.networking.figures import MeetFigures
from storage.repositories.networking.participants import (
    MeetParticipants,
    Pairable,
    PairedAccount,
)
from storage.repositories.networking.rounds import MeetRounds


class MeetRepository(MeetParticipants, MeetExclusions, MeetRounds, MeetFigures):
    """Everything done with the pairing tables, in one transaction's session."""


__all__ = ["MeetRepository", "Pairable", "PairedAccount"]
