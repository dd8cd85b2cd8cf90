"""Assessment frameworks as data: dimensions, criteria, a 0-5 scale and stoplight bands.

A framework is a TOML file in ``bot/data/assessment/`` (any ``*.toml`` there is one more
framework, no code needed). It is checked with pydantic when read, and a broken file fails with
its name and the line of the problem: TOML syntax errors carry their line, and for a schema
error we find the line of the key pydantic names (:func:`locate`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.config import ConfigError
from bot.core.i18n import SUPPORTED_LANGUAGES
from bot.core.vocab import TAXONOMY

FRAMEWORK_DIR = Path(__file__).resolve().parents[2] / "data" / "assessment"
DEFAULT_FRAMEWORK = "leadership"
Track = Literal["personal", "institutional"]
TRACKS: tuple[Track, ...] = ("personal", "institutional")
CODE = r"^[a-z][a-z0-9_]{0,39}$"


class FrameworkError(ConfigError):
    """A framework file that cannot be used; the message names the file and the line. A
    :class:`ConfigError`, so the command line prints it as one line and exits with status 2."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """One text in every language the bot speaks (the framework is data, not a catalog)."""

    en: str = Field(min_length=1, max_length=400)
    fr: str = Field(min_length=1, max_length=400)
    es: str = Field(min_length=1, max_length=400)
    ar: str = Field(min_length=1, max_length=400)

    def __call__(self, language: str) -> str:
        return str(getattr(self, language, None) or self.en)


class Level(_Strict):
    value: int = Field(ge=0, le=5)
    name: Text


class Scale(_Strict):
    levels: tuple[Level, ...]
    not_applicable: Text

    @model_validator(mode="after")
    def _zero_to_five(self) -> Scale:
        if [level.value for level in self.levels] != list(range(6)):
            raise ValueError("the scale needs the levels 0, 1, 2, 3, 4, 5, in that order")
        return self

    def name(self, value: int | None, language: str) -> str:
        if value is None:
            return self.not_applicable(language)
        return self.levels[value].name(language)


class Band(_Strict):
    code: Literal["red", "amber", "green"]
    from_score: int = Field(ge=0, le=100)
    name: Text


class Questions(_Strict):
    personal: Text | None = None
    institutional: Text | None = None


class Criterion(_Strict):
    code: str = Field(pattern=CODE)
    theme: str
    source: str = Field(min_length=3, max_length=300)
    """The public framework this criterion draws from (cited in the results and the docs)."""
    source_url: str | None = Field(default=None, pattern=r"^https://")
    name: Text
    question: Questions

    @field_validator("theme")
    @classmethod
    def _known_theme(cls, theme: str) -> str:
        if theme not in {term.code for term in TAXONOMY.themes}:
            raise ValueError(f"unknown theme {theme!r} (see bot/data/taxonomy.toml)")
        return theme

    @model_validator(mode="after")
    def _asked(self) -> Criterion:
        if self.question.personal is None and self.question.institutional is None:
            raise ValueError("a criterion needs a personal or an institutional question")
        return self


class Dimension(_Strict):
    code: str = Field(pattern=CODE)
    name: Text
    criteria: tuple[Criterion, ...] = Field(min_length=1)


class Framework(_Strict):
    code: str = Field(pattern=CODE)
    version: int = Field(ge=1)
    title: Text
    minutes_per_question: float = Field(default=0.25, gt=0, le=5)
    scale: Scale
    bands: tuple[Band, ...]
    dimensions: tuple[Dimension, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
        if [band.code for band in self.bands] != ["red", "amber", "green"]:
            raise ValueError("bands must be red, amber, green, in that order")
        starts = [band.from_score for band in self.bands]
        if starts[0] != 0 or starts != sorted(set(starts)):
            raise ValueError("bands start at 0 and rise strictly")
        codes = [c.code for d in self.dimensions for c in d.criteria]
        twice = {code for code in codes if codes.count(code) > 1}
        if twice or len({d.code for d in self.dimensions}) != len(self.dimensions):
            raise ValueError(f"codes must be unique: {sorted(twice)}")
        return self

    def questions(self, track: Track) -> list[Question]:
        """The questions of one track, in order (a criterion without it is left out)."""
        found = []
        for dimension in self.dimensions:
            for criterion in dimension.criteria:
                text = getattr(criterion.question, track)
                if text is not None:
                    found.append(Question(dimension, criterion, text))
        return found

    def criterion(self, code: str) -> Criterion | None:
        return next((c for d in self.dimensions for c in d.criteria if c.code == code), None)

    def band(self, score: float) -> Band:
        return [band for band in self.bands if score >= band.from_score][-1]


@dataclass(frozen=True)
class Question:
    dimension: Dimension
    criterion: Criterion
    text: Text


def load_framework(path: Path) -> Framework:
    """Read and check one framework file; :class:`FrameworkError` names the file and line."""
    source = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:  # its message ends "(at line N, column M)"
        raise FrameworkError(f"{path.name}: not valid TOML: {error}") from None
    try:
        framework = Framework.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        number = locate(source, first["loc"])
        at = f", line {number}" if number else ""
        raise FrameworkError(f"{path.name}{at}: {where}: {first['msg']}") from None
    if framework.code != path.stem:
        raise FrameworkError(
            f"{path.name}, line {locate(source, ('code',))}: "
            f"code {framework.code!r} must match the file name {path.stem!r}"
        )
    missing = set(SUPPORTED_LANGUAGES) - set(Text.model_fields)
    if missing:  # a language added to the bot must be added to the framework texts too
        raise FrameworkError(f"{path.name}: no texts for {sorted(missing)}")
    return framework


def load_frameworks(folder: Path = FRAMEWORK_DIR) -> dict[str, Framework]:
    """Every framework in ``folder``, by code."""
    return {path.stem: load_framework(path) for path in sorted(folder.glob("*.toml"))}


def locate(source: str, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the key at ``loc`` (pydantic's error location) in a TOML text.

    Arrays of tables (``[[dimensions]]``, ``[[dimensions.criteria]]``) are counted to the
    indexed entry; keys are found as ``key =`` or dotted ``a.key.b =`` lines within it. A key
    that is missing gives the line of the table that should hold it.
    """
    lines = source.splitlines()
    start, end, found = 0, len(lines), None
    tables: list[str] = []
    dotted: list[str] = []
    """Keys found on the current line's dotted path (``question.personal`` ...)."""
    index = 0
    while index < len(loc):
        part = loc[index]
        following = loc[index + 1] if index + 1 < len(loc) else None
        if isinstance(part, str) and isinstance(following, int):
            tables.append(part)
            header = "[[" + ".".join(tables) + "]]"
            hits = [n for n in range(start, end) if lines[n].strip() == header]
            if following >= len(hits):
                return found
            start = hits[following]
            found = start + 1
            end = next(
                (
                    n
                    for n in range(start + 1, end)
                    if lines[n].strip() == header
                    or (
                        lines[n].lstrip().startswith("[")
                        and not lines[n].strip().startswith("[[" + ".".join(tables) + ".")
                    )
                ),
                end,
            )
            dotted = []
            index += 2
            continue
        key = re.escape(str(part))
        full = re.escape(".".join([*dotted, str(part)]))
        pattern = re.compile(rf"^\s*({full}\s*[=.]|\[([\w.-]+\.)?{key}\])")
        hit = next((n for n in range(start, end) if pattern.match(lines[n])), None)
        if hit is None:  # a missing key, or one inside an inline table: the line found so far
            return found
        tables.append(str(part))
        dotted = [] if lines[hit].lstrip().startswith("[") else [*dotted, str(part)]
        start, found = hit, hit + 1
        index += 1
    return found
