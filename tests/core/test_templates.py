"""Document templates: HTML autoescaped, Markdown only through the md filter, web links only."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest

from bot.core.templates import DocumentTemplates, is_web_link

TEMPLATES = DocumentTemplates("tests.core")
ROOT = Path(__file__).resolve().parents[2]


def test_html_templates_escape_every_value() -> None:
    page = TEMPLATES.render(
        "card.html.j2", title='"><script>x</script>', text="<b>&", link="https://x.org/?a=1&b=2"
    )
    assert page == (
        '<p title="&#34;&gt;&lt;script&gt;x&lt;/script&gt;">&lt;b&gt;&amp;</p>\n'
        '<a href="https://x.org/?a=1&amp;b=2">&lt;b&gt;&amp;</a>'
    )


@pytest.mark.parametrize("link", ["javascript:alert(1)", " JavaScript:x", "data:text/html,x", ""])
def test_only_web_addresses_become_links(link: str) -> None:
    assert "<a" not in TEMPLATES.render("card.html.j2", title="t", text="t", link=link)
    assert not is_web_link(link)
    assert is_web_link("https://x.org") and is_web_link("mailto:a@x.org")


def test_markdown_templates_write_values_through_the_markdown_writer() -> None:
    written = TEMPLATES.render(
        "item.md.j2", title="# Q&A (LGAs)", count=3, text="1. *x*", link="https://x.org/a b"
    )
    assert written == "# \\# Q&A (LGAs)\n\n- 3 × 1. \\*x\\* (<https://x.org/a%20b>)\n"


def test_a_markdown_value_printed_without_the_filter_is_refused() -> None:
    with pytest.raises(TypeError, match="without the md filter"):
        TEMPLATES.render("forgot.md.j2", title="t", text="[x](javascript:alert(1))")


def test_a_template_names_its_format() -> None:
    with pytest.raises(ValueError, match=r"\.html\.j2 or \.md\.j2"):
        TEMPLATES.render("plain.txt", title="t")


def test_every_feature_template_is_package_data() -> None:
    """A wheel carries the templates: each one matches a package-data glob of pyproject.toml."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    package_data = config["tool"]["setuptools"]["package-data"]
    templates = sorted((ROOT / "bot").rglob("templates/*.j2"))
    assert len(templates) >= 9
    for template in templates:
        relative = template.relative_to(ROOT)
        assert any(
            fnmatch.fnmatch(str(relative), f"{package.replace('.', '/')}/{pattern}")
            for package, patterns in package_data.items()
            for pattern in patterns
        ), relative
