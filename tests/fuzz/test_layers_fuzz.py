"""Fuzzing the layers the router fuzz goes through, many times faster (no database): argument
parsing for every declared command, and both renderers for every kind of rich-text node.

``make test`` runs :data:`PARSE_EXAMPLES` and :data:`RENDER_EXAMPLES` with a fixed seed;
``FUZZ_EXAMPLES`` raises both for a long run with a random seed (see test_router_fuzz.py).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.arguments import parse_option_arguments, parse_text_arguments
from bot.core.errors import UsageError
from bot.core.i18n import SUPPORTED_LANGUAGES, Translator
from bot.core.keywords import localize
from bot.core.messages import Reply
from bot.core.registry import CommandSpec
from bot.core.richtext import (
    Block,
    Bold,
    BulletList,
    Code,
    Document,
    Italic,
    Link,
    Mention,
    Node,
    Text,
)
from bot.features import build_registry
from tests.fuzz.checks import problems
from tests.fuzz.inputs import BY_NAME, NASTY, command_lines, command_options, hostile

PARSE_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 1000))
RENDER_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 400))
LONG_RUN = "FUZZ_EXAMPLES" in os.environ
SPECS = build_registry().all()


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=not LONG_RUN,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


@st.composite
def typed_commands(draw: st.DrawFn) -> tuple[CommandSpec, str | dict[str, str]]:
    spec = draw(st.sampled_from(SPECS))
    if draw(st.booleans()):
        return spec, draw(command_lines(spec))
    return spec, draw(command_options(spec))


@fuzz_settings(PARSE_EXAMPLES)
@given(typed_commands())
def test_every_argument_parses_or_says_why_in_every_language(
    typed: tuple[CommandSpec, str | dict[str, str]],
) -> None:
    spec, given_ = typed
    try:
        if isinstance(given_, str):
            parse_text_arguments(spec.args, given_)
        else:
            parse_option_arguments(spec.args, given_)
    except UsageError as error:
        for language in SUPPORTED_LANGUAGES:  # every translation takes the same placeholders
            said = Translator(language).translate(error.message, **localize(error.values, language))
            assert said.strip()


urls = st.one_of(st.sampled_from(BY_NAME["url"]), st.just("https://x.org/") | hostile)
leaves: st.SearchStrategy[Node] = st.one_of(
    hostile.map(Text),
    st.sampled_from(NASTY).map(Text),
    hostile.map(Mention),
    st.builds(Link, hostile, urls),
    st.builds(lambda url: Link(url, url), urls),
)
nodes = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda c: Bold(tuple(c))),
        st.lists(inner, max_size=4).map(lambda c: Italic(tuple(c))),
        st.lists(inner, max_size=4).map(lambda c: Code(tuple(c))),
        st.lists(inner, max_size=4).map(lambda c: Block(tuple(c))),
        st.lists(inner, max_size=4).map(lambda c: BulletList(tuple(c))),
    ),
    max_leaves=12,
)
documents = st.lists(nodes, min_size=1, max_size=5).map(lambda blocks: Document(tuple(blocks)))


@fuzz_settings(RENDER_EXAMPLES)
@given(documents, st.booleans())
def test_every_node_renders_inert_on_every_platform(document: Document, rtl: bool) -> None:
    assert not problems(Reply(document, rtl=rtl))
