"""A doctor's finding: one line, and for a problem, what to do about it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    subject: str
    """What was checked: ``database``, ``telegram token``, ``discord channel 123``..."""
    ok: bool
    says: str
    fix: str = ""

    def line(self) -> str:
        if self.ok:
            return f"ok       {self.subject}: {self.says}"
        fix = f" Fix: {self.fix}" if self.fix else ""
        return f"PROBLEM  {self.subject}: {self.says}.{fix}"


def ok(subject: str, says: str) -> Finding:
    return Finding(subject, True, says)


def problem(subject: str, says: str, fix: str) -> Finding:
    return Finding(subject, False, says, fix)
