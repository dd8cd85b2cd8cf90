"""The French, Spanish and Arabic catalogs keep docs/style.md's inclusive wording.

Each pattern below is a form the guide forbids; a message that uses one fails with its file and
msgid. Allowed forms (doublets, the middle dot, the slash) are removed before matching. The
assessment frameworks' texts (bot/data/assessment/*.toml) are read by members too and are held
to the same patterns.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.i18n_tools import translated_forms

ROOT = Path(__file__).resolve().parents[2]
CATALOG_FOLDERS = [
    ROOT / "bot" / "core" / "locales",
    *sorted((ROOT / "bot" / "features").glob("*/locales")),
    *sorted((ROOT / "adapters").glob("*/locales")),
]
COUNTS = re.compile(r"\{(count|n|total|number)\}")
"""Messages with a count become plural entries; their wording is checked as such."""

COMMANDS = re.compile(r"(?<![\w/])/[a-z_]+|Champions Bot|\{[a-z_]+\}|[a-z]+:(?=\S)")
"""Command words, the bot's name, placeholders and filters are typed as they are."""

AR = r"(?<![\w\u064b-\u0652\u0670])"
AR_END = r"(?![\w\u064b-\u0652\u0670])"
"""An Arabic word's edges: Python's \\b does not see the diacritics as part of a word."""

FR_AGREED_WITH_VOUS = (
    r"\b(vous|je vous|de vous)( ne| n')?( vous)? ?(êtes|étiez|serez|seriez|soyez|être|"
    r"(avez|aviez|aurez)( pas| jamais| encore| déjà)* été|tiendrai|tiendrons|sentez)"
    r"( pas| jamais| déjà| encore| de nouveau| bien| toujours)* "
    r"(\w+ées?|\w+és?|\w+ites?|\w+ises?|\w+ues?|prête?s?|seule?s?|ravie?s?|sûre?s?|certaine?s?)\b"
    r"|\b(êtes|serez|étiez)-vous( pas| déjà| bien)* (\w+ées?|\w+és?|prête?s?|seule?s?|sûre?s?)\b"
)
"""A participle after vous: "vous vous êtes portée", "je vous tiendrai informée", "vous serez
jumelé". The guide turns the sentence around ("Votre candidature est enregistrée")."""

ALLOWED = {
    "fr": [
        r"championnes? (et|ou) (un |les |des )?champions?",
        r"champion·nes?",
        r"(autrices?|auteurs?) ou (un |une )?(auteurs?|autrices?)",
        r"(chaque |une |des |les )?intervenantes? (et|ou) (chaque |un |des |les )?intervenants?",
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
        # the epicene noun phrase: "la persona mentora", "personas voluntarias"
        r"personas? (mentoras?|mentoreadas?|voluntarias?|revisoras?|candidatas?)",
        r"equipo (organizador|revisor|moderador|administrador)",
    ],
    "ar": [
        r"«[^»]*»",  # a quoted label (Telegram's «ابدأ» button) is named as it reads
        # the doublets, feminine first: البطلات والأبطال، إحدى البطلات أو أحد الأبطال، بطلة أو بطل
        AR + r"(?:ال|لل|ل|ب)?بطلات(?:ها)? و(?:ال|لل)?أبطال(?:ها)?" + AR_END,
        r"إحدى (?:ال)?بطلات أو أحد (?:ال)?أبطال",
        r"بطلة أو بطل",
        AR + r"(?:ال|لل|ل)?مرشدات و(?:ال)?مرشدين(?: المقترحين)?" + AR_END,
        r"مرشدة أو مرشد(?:ًا)?(?: آخر)?",
        AR + r"(?:ال|لل|ل)?مشرفات و(?:ال)?مشرفين" + AR_END,
        AR + r"(?:ال|لل|ل)?زميلات و(?:ال)?زملاء" + AR_END,
    ],
}
FORBIDDEN = {
    "fr": [
        r"\bchampions?\b",
        r"\bparticipants\b",
        r"\binscrits?\b",
        r"\bélus?\b",
        r"\bintervenants?\b",
        r"\bmentorée?s?\b",
        # feminine-only role nouns, outside the doublets above
        r"\bchampionnes?\b",
        r"\bintervenantes?\b",
        r"\bmentore?s?\b",
        r"\b(organisat|relect|modérat|utilisat)(rices?|eurs?)\b",
        # a participle or adjective agreed with "vous" or "je vous" shows a gender either way:
        # "Vous vous êtes portée volontaire", "je vous tiendrai informée", "vous êtes inscrit"
        FR_AGREED_WITH_VOUS,
        r"\bvous seule?s?\b",
        r"\b(toutes|tous) (deux|les deux)\b(?! semaines)",
        r"\bchacune\b(?! et chacun)",
        r"\bpersonne ne s'est (encore |jamais )?\w+ée\b",
        r"\w+\((e|es)\)",
        r"\w+\.e\b",
    ],
    "es": [
        r"\bcampe(ón|ones)\b",
        r"\bparticipantes\b(?! y)",
        r"\binscritos?\b",
        r"\bbienvenidos?\b",
        r"\w+@s?\b",
        # role nouns in one gender only, feminine included, outside the doublets and the
        # "persona ..." phrases above: "una campeona", "una mentora", "las administradoras"
        r"\bcampeonas?\b",
        r"\bmentor(a|as|es)?\b",
        r"\bmentoread[ao]s?\b",
        r"\b(administrad|revis|organizad|moderad)or(a|as|es)?\b",
        r"\bvoluntari[ao]s?\b",
        # the masculine article or pronoun for anyone: "un admin", "los admins", "aquí todos ven"
        r"\b(un|los|unos) admins?\b",
        r"\b(a|para|aquí|que) todos\b(?! los)",
        # people counted or addressed as chosen: "Ha sido elegida", "{count} elegidas"
        r"\belegid[ao]s\b",
        r"\b(has sido|ha sido|fuiste|eres|estás) (\w+ )?elegid[ao]\b",
        r"^(no )?elegid[ao]$",
        # two people, or one named person, agreed in one gender: "Gracias a las dos",
        # "{name} ya está avisada"
        r"\b(a las|a los|estas|estos) dos\b(?! \w)",
        r"\b(está|están|estás) (ya )?(avisad|apuntad|inscrit|emparejad|elegid)[ao]s?\b",
    ],
    "ar": [
        # Imperatives, masculine and feminine: the guide asks for a verbal noun or the passive.
        r"(?<![\w\u0600-\u06ff])(اكتبي?|اختر|اختاري|أدخلي?|جرّبي?|اطلبي?|استخدمي?|أضيفي|أضف"
        r"|شاركي|راجعي?|انضمي?|اضغطي?|اذكري?|أعطِ|أعطي|أرسلي|افتحي?|اسألي?|ابدئي|ابدأ|غيّري?"
        r"|ضعي|حاولي?|اطّلعي?|اربطي?|أوقفي?|أعيدي|أجيبي|أجب|واضغط|واختر|واكتب"
        # with an object pronoun, plural or dual, and the forms the first list missed
        r"|اكتب(?:ه|ها|وا)|عدّل(?:ه|ها)?|أعد(?:ه|ها)|وأعد(?:ه|ها)|أرسل(?:ه|ها)|أرسل لي|أضف(?:ه|ها)"
        r"|فاطلب(?:ه|ها)|أزل(?:ه|ها)|احذف|ابحثي?|حدّدي?|أخبر(?:ي)?ني|قل|ردّوا|اتفقا|ألقيا)"
        r"(?![\w\u0600-\u06ff])",
        r"(?<![\w\u0600-\u06ff])شارك (?:ال|\w+ًا)",  # "شارك رابطًا": the imperative, not "he shared"
        # people's roles in one gender only, outside the doublets above
        AR + r"(?:و|ف)?(?:ب|ل|ك)?(?:ال|لل)?(?:أبطال|بطل|بطلًا|بطلة|بطلات|مشرف|مشرفًا|مشرفة|مشرفات"
        r"|مشرفون|مشرفين|مشرفي|مرشد|مرشدًا|مرشدة|مرشدات|مرشدين|عضوة|عضوات|عضوتان|عضوتين|زميلات)"
        r"(?:ها|هم|هن|هنّ|ك|تك|تي)?" + AR_END,
        # second person marked for gender: كِ، أنتِ، "أنت مشرف"، "لستِ مشتركة"، "تقبلين"
        r"[\u0621-\u064a]كِ|[\u0621-\u064a]تِ|" + AR + r"(?:أنتَ?ِ?|لستَ?ِ?|لم تكن|لم تكوني|بصفتكِ?)"
        r" (?:لست )?م[\u0621-\u064a]+",
        AR
        + r"(?:س)?ت(?:كون|قبل|عرض|جيب|سمح|تلقّ|ريد|ستطيع|رغب|حتاج|عرف|ختار|شارك)(?:ين|ي)"
        + AR_END,
    ],
}


def _catalogs(language: str) -> list[Path]:
    paths = [folder / f"{language}.po" for folder in CATALOG_FOLDERS]
    return [path for path in paths if path.exists()]


def _forbidden_in(language: str, text: str) -> str | None:
    """The first forbidden form in a text, once commands and allowed forms are set aside."""
    text = COMMANDS.sub(" ", text)
    for allowed in ALLOWED[language]:
        text = re.sub(allowed, " ", text, flags=re.IGNORECASE)
    for pattern in FORBIDDEN[language]:
        hit = re.search(pattern, text, flags=re.IGNORECASE)
        if hit:
            return hit.group(0)
    return None


def _breaches(language: str) -> list[str]:
    found = []
    # a plural message is checked in every form its language has
    for path, message_id, forms in translated_forms(_catalogs(language)):
        for form in forms:
            hit = _forbidden_in(language, form)
            if hit:
                where = path.relative_to(ROOT)
                found.append(f"{where}: {message_id!r} uses {hit!r}")
                break
    return found


def _texts(node: object, key: str = "") -> Iterator[tuple[str, str]]:
    """Every (dotted key, text) of a parsed TOML file; a text's language is its last key."""
    if isinstance(node, dict):
        for name, value in node.items():
            yield from _texts(value, f"{key}.{name}" if key else name)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, f"{key}[{index}]")
    elif isinstance(node, str):
        yield key, node


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_catalogs_keep_the_inclusive_wording(language: str) -> None:
    breaches = _breaches(language)
    assert breaches == [], "\n".join(breaches)


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_assessment_frameworks_keep_the_inclusive_wording(language: str) -> None:
    """The questions speak to one person, so their agreement is where gender slips in."""
    breaches = []
    for path in sorted((ROOT / "bot" / "data" / "assessment").glob("*.toml")):
        for key, text in _texts(tomllib.loads(path.read_text(encoding="utf-8"))):
            hit = key.endswith(f".{language}") and _forbidden_in(language, text)
            if hit:
                breaches.append(f"{path.relative_to(ROOT)}: {key} uses {hit!r}")
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
        ("es", "Las administradoras elegirán; te avisaré en cualquier caso.", True),
        ("es", "Ha sido elegida para «{title}».", True),
        ("es", "Pedir una mentora: {theme}", True),
        ("es", "{count} campeona afín", True),
        ("es", "Se agradecerá a otras {count} voluntarias.", True),
        ("es", "Revisores para un capítulo", True),
        ("es", "/mentor approve consulta a los mentores.", True),
        ("es", "elegida", True),
        ("es", "El equipo de administración elegirá; te avisaré en cualquier caso.", False),
        ("es", "Te eligieron para «{title}».", False),
        ("es", "Pedir una persona mentora: {theme}", False),
        ("es", "Se agradecerá a otras {count} personas voluntarias.", False),
        ("es", "Una campeona o un campeón fuerte en esto.", False),
        ("es", "La fecha elegida ya pasó.", False),
        ("es", "Se repite según un calendario fijado por el equipo organizador", False),
        ("es", "Gracias. Los organizadores se pondrán en contacto.", True),
        ("es", "Mentoría cerrada. Gracias a las dos.", True),
        ("es", "¡Gracias! {name} ya está avisada.", True),
        ("es", "Mentoría cerrada. Gracias a ambas personas.", False),
        ("es", "Pide ayuda a un admin.", True),
        ("es", "aquí todos ven quién la escribió.", True),
        ("es", "Las y los admins te propondrán pronto una mentoría.", False),
        ("es", "{name} es admin de esta comunidad.", False),
        ("ar", "اكتب /help لترى ما يمكنني فعله.", True),
        ("ar", "اختاري تاريخًا في المستقبل.", True),
        ("ar", "يُرجى كتابة /help لعرض ما يمكنني فعله.", False),
        ("ar", "البطلات والأبطال", False),
        ("fr", "Merci ! Vous vous êtes portée volontaire pour « {title} ».", True),
        ("fr", "Les admins choisiront ; je vous tiendrai informée dans tous les cas.", True),
        ("fr", "Bon retour ; voici où vous vous étiez arrêtée.", True),
        ("fr", "Vous n'avez pas encore été jumelé.", True),
        ("fr", "Merci de vous être portée volontaire.", True),
        ("fr", "Personne ne s'est encore portée volontaire.", True),
        ("fr", "Vous êtes toutes deux éveillées de {start} à {end}.", True),
        ("fr", "Les autres championnes peuvent vous trouver avec /find.", True),
        ("fr", "{name} sera votre mentore.", True),
        ("fr", "seuls les modérateurs peuvent savoir que c'est vous", True),
        ("fr", "Merci ! Votre candidature pour « {title} » est enregistrée.", False),
        ("fr", "Un rappel de l'action que vous avez notée", False),
        ("fr", "Ses rappels, comme chaque intervenante et chaque intervenant.", False),
        ("fr", "/mentor approve sollicite les mentor·es.", False),
        ("ar", "أصبح Lucía Gómez من أبطال {community}.", True),
        ("ar", "{name} الآن ضمن بطلات وأبطال {community}.", False),
        ("ar", "إحدى البطلات أو أحد الأبطال", False),
        ("ar", "أنت مشرف: أوامر الإدارة مدرجة.", True),
        ("ar", "لك صلاحيات الإشراف: أوامر الإدارة مدرجة.", False),
        ("ar", "ما مدى معرفتكِ بالقانون الانتخابي؟", True),
        ("ar", "ما مدى معرفتك بالقانون الانتخابي؟", False),
        ("fr", "Êtes-vous prête à vous porter candidate ?", True),
        ("fr", "Êtes-vous à l'aise pour prendre la parole ?", False),
        ("ar", "هل تقبلين أن تكوني مرشدة لـ {name}؟", True),
        ("ar", "«{value}» ليست مدة. اكتبها مثل 90m.", True),
        ("ar", "عدّل حقلًا باستخدام /profile set.", True),
        ("ar", "أو أرسل لي الرابط أو الملف الآن.", True),
        ("ar", "عدّل موردًا شاركته وأعده إلى المراجعة", True),
        ("ar", "من فضلك شارك رابطًا بدلًا من ذلك.", True),
        ("ar", "لن أرسل إليك إشعارات، وشاركه {name}.", False),
        ("ar", "أغلق فريق الإشراف {id}.", False),
        ("ar", "يمكن تعديله عبر /share edit {id}.", False),
    ],
)
def test_the_patterns_catch_what_the_guide_forbids(language: str, text: str, breaks: bool) -> None:
    """The scanner itself: each forbidden form is caught and each allowed one passes."""
    assert (_forbidden_in(language, text) is not None) is breaks


@pytest.mark.parametrize("language", ["es"])
def test_argument_names_keep_the_inclusive_wording(language: str) -> None:
    """Usage lines and Discord options show bot/data/keywords.toml's argument names
    (``<persona_mentora>``); the words members may type are not checked, since old spellings
    stay accepted there. French and Arabic still show ``mentorées``, ``mentor``, ``المرشد``."""
    arguments = tomllib.loads((ROOT / "bot" / "data" / "keywords.toml").read_text("utf-8"))
    breaches = []
    for name, table in arguments["arguments"].items():
        text = table.get(language, "").replace("_", " ")
        hit = _forbidden_in(language, text)
        if hit:
            breaches.append(f"keywords.toml: arguments.{name}.{language} uses {hit!r}")
    assert breaches == [], "\n".join(breaches)
