"""The French, Spanish and Arabic catalogs keep docs/style.md's inclusive wording.

Each pattern below is a form the guide forbids; a message that uses one fails with its file and
msgid. Allowed forms (doublets, the middle dot, the slash) are removed before matching.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG_FOLDERS = [
    ROOT / "bot" / "core" / "locales",
    *sorted((ROOT / "bot" / "features").glob("*/locales")),
    *sorted((ROOT / "adapters").glob("*/locales")),
]
COUNTS = re.compile(r"\{(count|n|total|number)\}")
"""Messages with a count become plural entries; their wording is checked as such."""

COMMANDS = re.compile(r"(?<![\w/])/[a-z_]+|Champions Bot|\{[a-z_]+\}|[a-z]+:")
"""Command words, the bot's name, placeholders and filters are typed as they are."""

ALLOWED = {
    "fr": [
        r"championnes? (et|ou) (un |les |des )?champions?",
        r"champion·nes?",
        r"(autrices?|auteurs?) ou (un |une )?(auteurs?|autrices?)",
        r"intervenantes et intervenants",
        r"participantes et participants",
        r"élues? ou élus?",
        r"\w+·e?s?",
    ],
    "es": [
        r"(las y los|los y las) \w+",
        r"campeonas? (y|o) (un |los )?campe(ón|ones)",
        r"campe(ón|ones)/as?",
        r"(autoras?|autor(es)?) (o|y) (autor(es)?|autoras?)",
        r"\w+/as?\b",
    ],
    "ar": [r"«[^»]*»"],  # a quoted label (Telegram's «ابدأ» button) is named as it reads
}
FORBIDDEN = {
    "fr": [
        r"\bchampions?\b",
        r"\bparticipants\b",
        r"\binscrits?\b",
        r"\bélus?\b",
        r"\bintervenants?\b",
        r"\bmentorés?\b",
        r"\w+\((e|es)\)",
        r"\w+\.e\b",
    ],
    "es": [
        r"\bcampe(ón|ones)\b",
        r"\bparticipantes\b(?! y)",
        r"\binscritos?\b",
        r"\bbienvenidos?\b",
        r"\w+@s?\b",
    ],
    "ar": [
        # Imperatives, masculine and feminine: the guide asks for a verbal noun or the passive.
        r"(?<![\w\u0600-\u06ff])(اكتبي?|اختر|اختاري|أدخلي?|جرّبي?|اطلبي?|استخدمي?|أضيفي|أضف"
        r"|شاركي|راجعي?|انضمي?|اضغطي?|اذكري?|أعطِ|أعطي|أرسلي|افتحي?|اسألي?|ابدئي|ابدأ|غيّري?"
        r"|ضعي|حاولي?|اطّلعي?|اربطي?|أوقفي?|أعيدي|أجيبي|أجب|واضغط|واختر|واكتب)"
        r"(?![\w\u0600-\u06ff])",
    ],
}


def _catalogs(language: str) -> list[Path]:
    paths = [folder / f"{language}.po" for folder in CATALOG_FOLDERS]
    return [path for path in paths if path.exists()]


def _breaches(language: str) -> list[str]:
    found = []
    for path in _catalogs(language):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id or not message.string:
                continue
            # a plural message is checked in every form its language has
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            for form in forms:
                text = COMMANDS.sub(" ", str(form))
                for allowed in ALLOWED[language]:
                    text = re.sub(allowed, " ", text, flags=re.IGNORECASE)
                for pattern in FORBIDDEN[language]:
                    hit = re.search(pattern, text, flags=re.IGNORECASE)
                    if hit:
                        where = path.relative_to(ROOT)
                        found.append(f"{where}: {message.id!r} uses {hit.group(0)!r}")
                        break
    return found


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_catalogs_keep_the_inclusive_wording(language: str) -> None:
    breaches = _breaches(language)
    assert breaches == [], "\n".join(breaches)


@pytest.mark.parametrize(
    ("language", "text", "breaks"),
    [
        ("fr", "{name} est désormais champion de {community}.", True),
        ("fr", "{name} est désormais championne ou champion de {community}.", False),
        ("fr", "Vous étiez déjà inscrit·e.", False),
        ("fr", "Vous étiez déjà inscrit(e).", True),
        ("es", "{name} es ahora campeón de {community}.", True),
        ("es", "{name} es ahora campeón/a de {community}.", False),
        ("es", "Historias de las y los campeones", False),
        ("ar", "اكتب /help لترى ما يمكنني فعله.", True),
        ("ar", "اختاري تاريخًا في المستقبل.", True),
        ("ar", "يُرجى كتابة /help لعرض ما يمكنني فعله.", False),
        ("ar", "البطلات والأبطال", False),
    ],
)
def test_the_patterns_catch_what_the_guide_forbids(language: str, text: str, breaks: bool) -> None:
    """The scanner itself: each forbidden form is caught and each allowed one passes."""
    cleaned = COMMANDS.sub(" ", text)
    for allowed in ALLOWED[language]:
        cleaned = re.sub(allowed, " ", cleaned, flags=re.IGNORECASE)
    hit = any(re.search(p, cleaned, flags=re.IGNORECASE) for p in FORBIDDEN[language])
    assert hit is breaks
