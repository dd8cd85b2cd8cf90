"""Jinja2 templates for documents (exports, the newsletter digest), kept in each feature.

A feature keeps its templates as package data in ``<feature>/templates/``. ``*.html.j2`` are
autoescaped. ``*.md.j2`` print each value through the one Markdown writer
(:mod:`bot.core.markdown`), as the ``md`` filter, and a value printed without it is refused at
render time: forgetting the filter fails a test instead of letting member text change the
document. Translated strings are passed in by the caller, so every message id stays in Python,
where the catalogs are extracted from.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from bot.core import markdown

_WEB_SCHEMES = ("http://", "https://", "mailto:")


def is_web_link(address: str | None) -> bool:
    """An address worth a link in a document (http, https, mailto); a ``javascript:`` or
    ``data:`` address is shown as text, never made clickable."""
    return address is not None and address.strip().lower().startswith(_WEB_SCHEMES)


class Markdown(str):
    """Text already written as Markdown: a Markdown template prints it as it is."""

    __slots__ = ()


def _md(text: Any, *, line_start: bool = True) -> Markdown:
    return Markdown(markdown.escape(str(text), line_start=line_start))


def _md_url(address: str) -> Markdown:
    return Markdown(markdown.url(address))


def _only_markdown(value: Any) -> Any:
    """Every ``{{ ... }}`` of a Markdown template: written by the Markdown writer, or a number."""
    if isinstance(value, Markdown | int):
        return value
    raise TypeError(f"a Markdown template printed {value!r} without the md filter")


class DocumentTemplates:
    """The templates of one package: ``render("x.html.j2", ...)``, ``render("x.md.j2", ...)``."""

    def __init__(self, package: str, **functions: Any) -> None:
        loader = PackageLoader(package, "templates")
        common: dict[str, Any] = {
            "loader": loader,
            "undefined": StrictUndefined,
            "trim_blocks": True,
            "lstrip_blocks": True,
            "keep_trailing_newline": True,
        }
        self._html = Environment(autoescape=True, **common)
        self._markdown = Environment(autoescape=False, finalize=_only_markdown, **common)
        self._markdown.filters.update(md=_md, md_url=_md_url)
        for environment in (self._html, self._markdown):
            environment.tests["web_link"] = is_web_link
            environment.globals.update(functions)

    def render(self, name: str, /, **context: Any) -> str:
        """The template ``name`` filled with ``context``; its suffix picks the escaping."""
        if name.endswith(".html.j2"):
            environment = self._html
        elif name.endswith(".md.j2"):
            environment = self._markdown
        else:
            raise ValueError(f"{name}: a document template ends in .html.j2 or .md.j2")
        return environment.get_template(name).render(**context)
