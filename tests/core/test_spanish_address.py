"""The Spanish catalogs address the reader with tú, as docs/style.md asks.

The scan looks for the forms that can only be *usted* in this bot's messages: the pronoun
itself, the formal imperatives it uses ("escriba", "elija", "envíelo") and the formal
imperatives that read as a subjunctive mid-sentence ("vea", "responda"), which count only at
the start of a clause. It cannot see a bare "su" or "puede" meant as "your" or "you can"
(they also mean "its" and "it can"); reviewers catch those.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.i18n_tools import translated_forms

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted(
    [
        ROOT / "bot" / "core" / "locales" / "es.po",
        *(ROOT / "bot" / "features").glob("*/locales/es.po"),
        *(ROOT / "adapters").glob("*/locales/es.po"),
    ]
)

TYPED = re.compile(r"(?<![\w/])/[a-z_]+(?: [a-z]+)?|\{[a-z_]+\}|\b[a-z]+:(?=\S)\S*")
"""Commands with their subcommand (/community use), placeholders and filters are typed as is."""

ANYWHERE = re.compile(
    r"\b(usted|ustedes"
    r"|escriba|escríbal[aeo]s?|envíe|envíel[aeo]s?|envíeme|pulse|elija|elíjal[ao]s?|indique"
    r"|pruebe|añada|añádal[ao]s?|utilice|consulte|cámbiel[ao]s?|encuéntrel[ao]s?|retírel[ao]s?"
    r"|conózcal[ao]s?|póngase|conéctese|apúntese|inscríbase|salúdense|déjense|acuérdense"
    r"|si lo desea|si quiere)\b",
    re.IGNORECASE,
)
"""Forms that are usted wherever they stand."""

CLAUSE_START = re.compile(
    r"(?:^|[.:;!?¡¿(]\s*|,\s*|\b[yo]\s+|\bno\s+(?:l[aeo]s?\s+|me\s+|se\s+)?)"
    r"(vea|véal[aeo]s?|pida|dé|diga|responda|vuelva|toque|termine|abandone|corrija|espere"
    r"|confirme|intente|inténtelo|revise|use|comparta|acuerden|busquen)\b",
    re.IGNORECASE,
)
"""Imperatives that are also a third-person subjunctive ("cuando termine"): only at a start."""


def usted_marker(text: str) -> str | None:
    """The first usted form in ``text``, or None when it reads as tú."""
    text = TYPED.sub(" ", text)
    for pattern in (ANYWHERE, CLAUSE_START):
        hit = pattern.search(text)
        if hit:
            return hit.group(1)
    return None


def _breaches() -> list[str]:
    found = []
    for path, message_id, forms in translated_forms(CATALOGS):  # every plural form is read
        msgid = message_id[0] if isinstance(message_id, tuple) else message_id
        for form in forms:
            marker = usted_marker(form)
            if marker:
                where = path.relative_to(ROOT)
                found.append(f"{where}: {msgid!r} says {marker!r}")
                break
    return found


def test_spanish_catalogs_say_tu() -> None:
    assert CATALOGS, "no Spanish catalog found"
    breaches = _breaches()
    assert breaches == [], "\n".join(breaches)


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("Escriba /practice para empezar de nuevo.", "Escriba"),
        ("Escribe /practice para empezar de nuevo.", None),
        ("Es usted.", "usted"),
        ("Para compartir un archivo, envíelo con /share.", "envíelo"),
        ("Si quiere, añada theme:… después del título.", "Si quiere"),
        ("Véalas con ", "Véalas"),
        ("No la comparta: cualquiera que la tenga ve tus eventos.", "comparta"),
        ("Te avisaré cuando termine; /announce status {id} muestra el avance.", None),
        ("Cambia con /community use <nombre corto>.", None),
        ("Por favor, responda antes del {date}.", "responda"),
        ("Por favor, responde antes del {date}.", None),
        ("Un admin puede aprobarte con /champion approve.", None),
    ],
)
def test_the_scan_tells_usted_from_tu(text: str, marker: str | None) -> None:
    """The scanner itself: formal forms are caught, tú and third-person subjunctives pass."""
    assert usted_marker(text) == marker
