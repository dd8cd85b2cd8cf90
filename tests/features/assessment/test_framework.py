"""The framework is data: the default file loads and is checked; a broken file names its line;
a second framework is one more file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.app import BotApp
from bot.config import ConfigError
from bot.core.i18n import SUPPORTED_LANGUAGES
from bot.features.assessment.framework import (
    FRAMEWORK_DIR,
    FrameworkError,
    load_framework,
    load_frameworks,
)
from bot.features.assessment.frameworks import Frameworks
from tests.features.assessment.helpers import question
from tests.helpers import say, texts

DEFAULT = FRAMEWORK_DIR / "leadership.toml"
SOURCES = (
    "CEMR European Charter",
    "UNDP Gender Equality Seal",
    "EIGE Gender-sensitive Parliaments",
    "UN Women stoplight",
    "SDG indicator 5.5.1(b)",
)


def test_the_default_framework_follows_the_working_groups_themes() -> None:
    framework = load_frameworks()["leadership"]
    assert [d.code for d in framework.dimensions] == ["election", "office", "community"]
    assert [len(d.criteria) for d in framework.dimensions] == [5, 4, 3]
    assert len(framework.questions("personal")) == len(framework.questions("institutional")) == 12
    cited = " ".join(c.source for d in framework.dimensions for c in d.criteria)
    assert all(source in cited for source in SOURCES)
    assert [b.code for b in framework.bands] == ["red", "amber", "green"]
    assert framework.band(39.9).code == "red" and framework.band(70).code == "green"
    for language in SUPPORTED_LANGUAGES:  # every text in every language, and different ones
        names = {framework.scale.name(level, language) for level in (None, 0, 1, 2, 3, 4, 5)}
        assert len(names) == 7
    assert framework.questions("personal")[0].text("ar") != framework.questions("personal")[0].text(
        "en"
    )


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "leadership.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, text in enumerate(path.read_text().splitlines(), 1) if needle in text)


def test_a_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'code = "safety"', 'code = "safety')
    with pytest.raises(FrameworkError) as error:
        Frameworks(tmp_path)  # as the app builds it at start
    assert isinstance(error.value, ConfigError)  # the command line prints one line, exit 2
    number = _line_of(path, 'code = "safety')
    assert f"line {number}" in str(error.value)
    assert "leadership.toml" in str(error.value)


def test_a_missing_translation_names_the_line_of_its_text(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'name.fr = "Financement de campagne"\n', "")
    with pytest.raises(FrameworkError) as error:
        load_framework(path)
    message = str(error.value)
    assert "dimensions.0.criteria.2.name.fr" in message and "Field required" in message
    number = _line_of(path, 'name.en = "Campaign finance"')
    assert f"line {number}" in message


def test_a_level_out_of_the_scale_and_an_unknown_theme_are_refused_at_their_line(
    tmp_path: Path,
) -> None:
    path = _broken(tmp_path, "value = 5", "value = 7")
    with pytest.raises(FrameworkError) as error:
        load_framework(path)
    assert f"line {_line_of(path, 'value = 7')}" in str(error.value)
    path = _broken(tmp_path, 'theme = "gender_budgeting"', 'theme = "budgets"')
    with pytest.raises(FrameworkError) as error:
        load_framework(path)
    assert "unknown theme 'budgets'" in str(error.value)
    number = _line_of(path, 'theme = "budgets"')
    assert f"line {number}" in str(error.value)


SECOND = """
code = "stoplight"
version = 1
title.en = "Municipal stoplight"
title.fr = "Feu tricolore municipal"
title.es = "Semáforo municipal"
title.ar = "إشارة المرور البلدية"

[scale]
not_applicable = { en = "N/A", fr = "S.O.", es = "N/A", ar = "لا ينطبق" }
"""


async def test_a_second_framework_is_one_more_file(tmp_path: Path, app: BotApp) -> None:
    shutil.copy(DEFAULT, tmp_path / "leadership.toml")
    levels = "".join(
        f"[[scale.levels]]\nvalue = {n}\n"
        f'name = {{ en = "L{n}", fr = "N{n}", es = "N{n}", ar = "م{n}" }}\n'
        for n in range(6)
    )
    bands = "".join(
        f'[[bands]]\ncode = "{code}"\nfrom_score = {start}\n'
        f'name = {{ en = "{code}", fr = "{code}", es = "{code}", ar = "{code}" }}\n'
        for code, start in (("red", 0), ("amber", 50), ("green", 80))
    )
    dimension = (
        '[[dimensions]]\ncode = "services"\n'
        'name = { en = "Services", fr = "Services", es = "Servicios", ar = "الخدمات" }\n'
        '[[dimensions.criteria]]\ncode = "safe_streets"\ntheme = "gbv"\n'
        'source = "UN Women stoplight self-assessment for municipalities"\n'
        'name = { en = "Safe streets", fr = "Rues sûres", es = "Calles seguras", '
        'ar = "شوارع آمنة" }\n'
        'question.institutional = { en = "Are the streets lit and safe for women at night?", '
        'fr = "Les rues sont-elles éclairées et sûres la nuit ?", '
        'es = "¿Las calles están iluminadas y seguras de noche?", '
        'ar = "هل الشوارع مضاءة وآمنة للنساء ليلاً؟" }\n'
    )
    (tmp_path / "stoplight.toml").write_text(SECOND + levels + bands + dimension, encoding="utf-8")
    frameworks = Frameworks(tmp_path)
    assert sorted(frameworks.by_code) == ["leadership", "stoplight"]
    app.services.provide(Frameworks, frameworks)
    replies = await say(app, "lucia", "/assess take stoplight institutional Bogotá", locale="es")
    asked = question(replies).body.plain()
    assert "Pregunta 1 de 1" in asked and "¿Las calles están iluminadas" in asked
    assert "Bogotá" in asked
    missing = texts(await say(app, "lucia", "/assess take nothing"))  # her language kept
    assert "No hay ninguna evaluación llamada «nothing». Disponibles: leadership, stoplight." in (
        missing
    )
