"""/mydata lists everything stored about the person; every table that points at a member is
covered by /mydata, by /forget's cascade, and by docs/privacy.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import JSON

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.messages import Destination
from bot.features.privacy.inventory import SECTIONS
from storage.models import Base
from tests.features.privacy.week import MOANA, live_a_week

DOC = Path(__file__).parents[3] / "docs" / "privacy.md"


def columns_pointing_at_members() -> set[tuple[str, str]]:
    return {
        (fk.parent.table.name, fk.parent.name)
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "members"
    }


def test_every_column_pointing_at_a_member_has_a_section_of_mydata() -> None:
    covered = {(c.class_.__tablename__, c.key) for section in SECTIONS for c in section.covers}
    assert columns_pointing_at_members() <= covered
    assert ("events", "speakers") in covered and ("audit_log", "detail") in covered


def test_deleting_a_member_cascades_or_empties_every_reference() -> None:
    """/forget deletes the member row: the database must know what to do with each pointer."""
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "members":
                assert fk.ondelete in ("CASCADE", "SET NULL"), (table.name, fk.parent.name)


def test_docs_privacy_says_what_forget_does_with_every_table() -> None:
    rows = re.findall(r"^\| `(\w+)` \|", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    assert set(rows) == {table.name for table in Base.metadata.sorted_tables}


def test_json_columns_that_may_hold_people_are_read_by_forget() -> None:
    """A new JSON column may hold a name or a member id: decide, then list it here."""
    json_columns = {
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, JSON)
    }
    assert json_columns == {
        ("members", "languages"),  # deleted with the member
        ("members", "expertise"),
        ("conversations", "data"),  # deleted with the member
        ("outbox", "payload"),  # rendered again, scrubbed, or deleted
        ("audit_log", "detail"),  # subject emptied, traces replaced
        ("questions", "themes"),  # codes
        ("events", "speakers"),  # member ids: the forgotten one is taken out
        ("events", "guest_speakers"),  # names of non-members an admin typed: event content
        ("events", "offsets"),  # minutes
        ("events", "cancelled_dates"),  # dates
        ("event_rsvps", "offsets"),
        ("resources", "themes"),  # the hub catalogue: codes
        ("resources", "regions"),
        ("resources", "languages"),
        ("mentor_offers", "themes"),  # codes
        ("mentor_requests", "themes"),  # codes
        ("mentorships", "reason"),  # a language, theme codes and hours: no person
        ("contributions", "themes"),  # codes; the row is deleted with its contributor
        ("contributions", "regions"),
        ("contributions", "languages"),
        ("contributions", "sections"),  # a write-up's text: deleted with its author
        ("contributor_calls", "themes"),  # codes
    }


async def test_mydata_lists_everything_stored_about_the_member(
    app: BotApp, clock: ManualClock
) -> None:
    week = await live_a_week(app, clock)
    replies = await week.moana.replies("/mydata")
    assert replies[0].destination is Destination.PRIVATE
    data = json.loads(replies[0].attachments[0].data)
    assert [section.name for section in SECTIONS] == list(data)
    assert data["profile"]["organisation"] == MOANA["organisation"]
    assert {a["platform"] for a in data["accounts"]} == {"telegram", "discord"}
    assert sorted(m["role"] for m in data["memberships"]) == ["admin", "champion"]
    assert [q["id"] for q in data["questions_asked"]] == [2, 4]
    assert len(data["answers_given"]) == 3
    assert {n["question_id"] for n in data["advice_notices_received"]} == {1, 3}
    assert data["stories"][0]["status"] == "approved"
    assert data["rsvps"] == [
        {
            "event_id": 1,
            "platform": "telegram",
            "offsets": None,
            "created_at": data["rsvps"][0]["created_at"],
            "event_title": "Budget clinic",
        }
    ]
    assert data["event_feedback"][0]["rating"] == 5
    assert "shelters budget" in data["event_feedback"][0]["comment"]
    assert data["events_speaking_at"][0]["title"] == "Budget clinic"
    assert "municipal leaders" in data["announcements_written"][0]["text"]
    assert len(data["link_codes"]) == 1
    conversation = data["conversations_in_progress"][0]
    assert conversation["flow"] == "ask" and "Rarotonga" in json.dumps(conversation["data"])
    kinds_to_her = {m["kind"] for m in data["messages_to_you"]}
    assert {"reminder", "advice.first_answer", "announcement", "advice.notice"} <= kinds_to_her
    naming = {m["kind"] for m in data["messages_naming_you"]}
    assert {"advice.question", "advice.answer", "advice.first_answer", "advice.state"} <= naming
    for message in data["messages_naming_you"]:  # another's private message: only its kind
        assert ("payload" in message) is (not message["private"]), message
    assert any(m["private"] for m in data["messages_naming_you"])
    assert [e["action"] for e in data["audit_actions_by_you"]] == ["announce"]
    assert {e["action"] for e in data["audit_entries_about_you"]} == {
        "champion.approve",
        "story.approved",
        "admin.add",
        "contribution.approve",
        "contribution.change",
        "call.pick",
    }
    # the newer features, each listed
    assert [p["status"] for p in data["pairing_rounds_taken_part"]] == ["active"]
    assert len(data["pairings"]) == 1 and "Moana Tere" in data["pairings"][0]["thanks"]
    assert data["mentoring_offer"][0]["capacity"] == 2
    assert "Campaign finance" in data["mentoring_requests"][0]["goals"]
    assert "shelters budget line" in data["mentorships_as_mentor"][0]["goal"]
    assert [c["answer"] for c in data["mentoring_check_ins"]] == ["well"]
    assert sorted((c["kind"], c["status"]) for c in data["contributions"]) == [
        ("practice", "changes_requested"),
        ("resource", "approved"),
        ("resource", "pending"),  # a link
        ("resource", "pending"),  # a file
    ]
    assert [c["status"] for c in data["calls_answered"]] == ["chosen"]
    assert data["assessments"][0]["institution"] == MOANA["organisation"]
    assert len(data["assessments"][0]["answers"]) == 12
    assert "treasurer" in data["assessment_actions"][0]["text"]
    assert [v["helpful"] for v in data["resource_votes"]] == [True]
    assert [f["reason"] for f in data["resource_flags"]] == ["outdated"]
    naming_new = {"meet.intro", "meet.say", "meet.thanks", "mentor.checkin"}
    assert naming_new <= naming, naming
