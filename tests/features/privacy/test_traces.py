"""Finding a person's traces in text and JSON, and replacing them."""

from __future__ import annotations

from bot.features.privacy.traces import Traces
from storage.models import Account, Member


def member(**fields: object) -> Member:
    values: dict[str, object] = {"display_name": "Ana Lima", "languages": [], "expertise": []}
    values.update(fields)
    person = Member(**values)
    person.accounts = [
        Account(platform="telegram", platform_user_id="7301234567", username="ana_l"),
        Account(platform="console", platform_user_id="ana", username=None),
    ]
    return person


WORDS = {"name": "former member", "detail": "[removed]"}


def test_names_and_details_are_found_as_whole_words_ignoring_case() -> None:
    traces = Traces.of(member(organisation="Recife City Hall", bio="Write to ana@recife.example"))
    assert traces.names == {"Ana Lima", "ana_l", "@ana_l", "7301234567"}
    assert traces.details == {
        "Recife City Hall",
        "Write to ana@recife.example",
        "ana@recife.example",
    }
    assert traces.found_in("Thanks ANA LIMA!")
    assert traces.found_in({"c": [{"t": "text", "v": "ping @ana_l"}]})
    assert not traces.found_in("Ana Limaverde wrote this")  # another name that starts alike
    assert not traces.found_in("17301234567")  # a longer number is another id


def test_console_ids_and_short_strings_are_not_looked_for() -> None:
    """A console id is a name typed by a tester ("you"), and "Jo" would match everywhere."""
    traces = Traces.of(member(display_name="Jo", organisation="UN"))
    assert traces.names == {"ana_l", "@ana_l", "7301234567"}
    assert traces.details == frozenset()
    assert not traces.found_in("Jo from the UN says hello to ana")


def test_redaction_keeps_the_shape_of_json_and_the_tags() -> None:
    traces = Traces.of(member(organisation="Recife City Hall"))
    payload = {
        "reply": {"t": "doc", "c": [{"t": "text", "v": "Ana Lima (Recife City Hall): hello"}]},
        "meta": {"question_id": 3, "titles": ["By ana lima"]},
    }
    assert traces.redact(payload, **WORDS) == {
        "reply": {"t": "doc", "c": [{"t": "text", "v": "former member ([removed]): hello"}]},
        "meta": {"question_id": 3, "titles": ["By former member"]},
    }
    assert traces.redact("nothing here", **WORDS) == "nothing here"


def test_a_member_with_nothing_to_find_finds_nothing() -> None:
    person = Member(display_name="Al", languages=[], expertise=[])
    person.accounts = []
    traces = Traces.of(person)
    assert traces.needles == ()
    assert not traces.found_in("Al")
    assert traces.redact({"v": "Al"}, **WORDS) == {"v": "Al"}
