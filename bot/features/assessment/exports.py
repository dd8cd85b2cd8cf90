"""A member's own results as a file: every sitting, every answer, every action (JSON or CSV)."""

from __future__ import annotations

import csv
import io
from typing import Any

from bot.core.json_text import dumps_indented
from storage.models import Member
from storage.unit_of_work import UnitOfWork


async def own_results(uow: UnitOfWork, member: Member) -> dict[str, Any]:
    sittings = []
    done = await uow.assessments.done_of(member.id)
    every = await uow.assessments.answers_of([a.id for a in done])  # one statement, not one each
    for assessment in done:
        answers = every[assessment.id]
        sittings.append(
            {
                "id": assessment.id,
                "framework": assessment.framework,
                "version": assessment.version,
                "track": assessment.track,
                "institution": assessment.institution,
                "finished_at": assessment.finished_at.isoformat()
                if assessment.finished_at
                else None,
                "shared": assessment.shared,
                "askable": assessment.askable,
                "answers": answers,
            }
        )
    actions = [
        {"criterion": a.criterion, "text": a.text, "due": a.due_at.date().isoformat()}
        for a in await uow.assessments.actions_of(member.id)
    ]
    return {"assessments": sittings, "actions": actions}


def as_json(data: dict[str, Any]) -> bytes:
    return dumps_indented(data).encode()


def _cell(value: Any) -> Any:
    """A typed text never runs as a spreadsheet formula (``=``, ``+``, ``-``, ``@``)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def as_csv(data: dict[str, Any]) -> bytes:
    """One row per answer (an empty level means "not applicable")."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["assessment", "framework", "track", "institution", "finished_at", "criterion", "level"]
    )
    for sitting in data["assessments"]:
        for criterion, level in sitting["answers"].items():
            writer.writerow(
                [
                    _cell(v)
                    for v in (
                        sitting["id"],
                        sitting["framework"],
                        sitting["track"],
                        sitting["institution"] or "",
                        sitting["finished_at"],
                        criterion,
                        "" if level is None else level,
                    )
                ]
            )
    return out.getvalue().encode()
