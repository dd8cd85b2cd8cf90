"""The Knowledge Hub taxonomy: themes, resource types, regions and languages.

Every term has a code (stored on resources), an English label (a msgid, translated in
``hub.po``) and, per language, the words people actually type for it. Those synonyms are what
lets a Spanish query ("presupuesto sensible al género") find English resources on
gender-responsive budgeting: the search index expands each resource's theme codes into the
labels and synonyms of all four languages.

Themes reuse the member-expertise codes of :mod:`bot.core.vocab` and add the hub's own (the
Toolkit's five sections and the catalogue's subjects).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from babel import Locale

from bot.core import vocab
from bot.core.i18n import N_, SUPPORTED_LANGUAGES
from bot.features.hub.text import fold_phrase


@dataclass(frozen=True)
class Term:
    """One taxonomy entry; ``synonyms`` maps a language to phrases people use for it."""

    code: str
    label: str
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def phrases(self, language: str | None = None) -> tuple[str, ...]:
        """The label and synonyms in ``language`` (all languages when ``None``)."""
        languages = SUPPORTED_LANGUAGES if language is None else (language,)
        found: list[str] = []
        for lang in languages:
            found.extend(self.synonyms.get(lang, ()))
        if language in (None, "en"):
            found.insert(0, self.label)
        return tuple(found)


def _t(code: str, label: str, **synonyms: tuple[str, ...]) -> Term:
    return Term(code, label, synonyms)


# Synonyms: each language's list starts with the translated label, then what people type.
_THEME_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "gender_mainstreaming": {
        "en": ("mainstreaming", "gender equality", "gender perspective"),
        "fr": ("intégration de la dimension de genre", "approche intégrée de l'égalité",
               "égalité femmes-hommes", "égalité de genre"),
        "es": ("transversalización de género", "transversalidad de género",
               "igualdad de género", "perspectiva de género", "enfoque de género"),
        "ar": ("تعميم مراعاة النوع الاجتماعي", "المساواة بين الجنسين", "النوع الاجتماعي",
               "منظور النوع الاجتماعي"),
    },
    "governance_leadership": {
        "en": ("leadership", "good governance", "women's leadership", "women leaders",
               "feminist leadership", "accountability"),
        "fr": ("leadership et bonne gouvernance", "leadership féminin", "bonne gouvernance",
               "femmes leaders"),
        "es": ("liderazgo y buen gobierno", "liderazgo de las mujeres", "liderazgo femenino",
               "buen gobierno", "gobernanza"),
        "ar": ("القيادة والحكم الرشيد", "قيادة المرأة", "الحكم الرشيد", "الحوكمة", "القيادة"),
    },
    "legal_quotas": {
        "en": ("quota", "quotas", "gender quotas", "legal barriers", "electoral law", "parity",
               "electoral systems"),
        "fr": ("obstacles juridiques et quotas", "quota", "quotas", "parité",
               "obstacles juridiques", "loi électorale"),
        "es": ("barreras legales y cuotas", "cuota", "cuotas", "cuotas de género", "paridad",
               "barreras legales", "ley electoral"),
        "ar": ("العوائق القانونية والحصص", "كوتا", "الكوتا", "الحصص", "حصة", "كوتا نسائية",
               "المناصفة", "العوائق القانونية"),
    },
    "political_participation": {
        "en": ("political participation", "women's political participation", "representation",
               "women councillors", "elections", "candidates", "local democracy",
               "decision-making"),
        "fr": ("participation à la vie politique", "participation politique",
               "représentation des femmes", "conseillères municipales", "élections",
               "candidates"),
        "es": ("participación en la política", "participación política",
               "representación de las mujeres", "concejalas", "elecciones", "candidatas"),
        "ar": ("المشاركة في السياسة", "المشاركة السياسية", "تمثيل المرأة",
               "المستشارات البلديات", "الانتخابات", "المرشحات"),
    },
    "financial_obstacles": {
        "en": ("financial barriers", "campaign finance", "funding", "money"),
        "fr": ("obstacles financiers", "financement des campagnes", "financement"),
        "es": ("obstáculos financieros", "financiación de campañas", "financiamiento"),
        "ar": ("العقبات المالية", "تمويل الحملات", "التمويل"),
    },
    "trust_gap": {
        "en": ("trust gap", "community trust", "civil society", "civic participation",
               "open government", "citizen engagement"),
        "fr": ("déficit de confiance des communautés", "confiance", "société civile",
               "participation citoyenne", "gouvernement ouvert"),
        "es": ("brecha de confianza comunitaria", "confianza", "sociedad civil",
               "participación ciudadana", "gobierno abierto"),
        "ar": ("فجوة الثقة المجتمعية", "الثقة", "المجتمع المدني", "المشاركة المدنية",
               "الحكومة المنفتحة"),
    },
    "gender_budgeting": {
        "en": ("gender budgeting", "gender-responsive budgeting", "gender responsive budget",
               "budget", "public procurement", "GRB"),
        "fr": ("budgétisation sensible au genre", "budget sensible au genre",
               "budgétisation genrée", "budget genré", "budget"),
        "es": ("presupuestos con perspectiva de género", "presupuesto sensible al género",
               "presupuestos sensibles al género", "presupuesto con enfoque de género",
               "presupuesto"),
        "ar": ("الميزنة المراعية للنوع الاجتماعي", "الموازنة المستجيبة للنوع الاجتماعي",
               "الموازنة", "الميزانية"),
    },
    "gbv": {
        "en": ("gender-based violence", "violence against women", "harassment",
               "domestic violence", "online harassment", "violence against women in politics",
               "GBV"),
        "fr": ("violence fondée sur le genre et harcèlement", "violence fondée sur le genre",
               "violences faites aux femmes",
               "harcèlement", "violence conjugale", "violence sexiste"),
        "es": ("violencia de género y acoso", "violencia de género", "violencia contra las mujeres",
               "acoso",
               "violencia doméstica", "violencia política"),
        "ar": ("العنف القائم على النوع الاجتماعي والتحرش", "العنف ضد المرأة", "التحرش",
               "العنف الأسري"),
    },
    "safe_spaces": {
        "en": ("safe public spaces", "public space", "safe cities", "safety"),
        "fr": ("espaces publics sûrs", "espace public", "villes sûres", "sécurité"),
        "es": ("espacios públicos seguros", "espacio público", "ciudades seguras", "seguridad"),
        "ar": ("الأماكن العامة الآمنة", "الفضاء العام", "المدن الآمنة", "السلامة"),
    },
    "urban_planning": {
        "en": ("urban planning", "planning", "local planning", "metropolitan policy",
               "participatory planning", "city design"),
        "fr": ("urbanisme", "aménagement urbain", "planification urbaine"),
        "es": ("planificación urbana", "urbanismo", "planeación urbana"),
        "ar": ("التخطيط الحضري", "التخطيط العمراني", "التخطيط"),
    },
    "data": {
        "en": ("gender data", "statistics", "data", "indicators", "monitoring",
               "sex-disaggregated data"),
        "fr": ("données et statistiques de genre", "données", "statistiques", "indicateurs",
               "suivi"),
        "es": ("datos y estadísticas de género", "datos", "estadísticas", "indicadores",
               "seguimiento"),
        "ar": ("بيانات وإحصاءات النوع الاجتماعي", "البيانات", "الإحصاءات", "المؤشرات",
               "الرصد"),
    },
    "lga_change": {
        "en": ("local government associations", "LGA", "institutional change",
               "women's empowerment units"),
        "fr": ("changement institutionnel des associations de collectivités locales",
               "associations de collectivités locales", "changement institutionnel"),
        "es": ("cambio institucional de las asociaciones de gobiernos locales",
               "asociaciones de gobiernos locales", "cambio institucional"),
        "ar": ("التغيير المؤسسي لجمعيات الحكم المحلي", "جمعيات الحكم المحلي",
               "التغيير المؤسسي"),
    },
    "mentorship": {
        "en": ("mentoring", "mentorship", "peer learning", "networks", "knowledge sharing"),
        "fr": ("mentorat et réseaux", "mentorat", "apprentissage entre pairs", "réseaux"),
        "es": ("mentoría y redes", "mentoría", "aprendizaje entre pares", "redes"),
        "ar": ("الإرشاد والشبكات", "الإرشاد", "التعلم من الأقران", "الشبكات"),
    },
    "advocacy": {
        "en": ("advocacy", "lobbying", "campaigning"),
        "fr": ("plaidoyer",),
        "es": ("incidencia", "incidencia política", "abogacía"),
        "ar": ("المناصرة", "كسب التأييد"),
    },
    "capacity_building": {
        "en": ("capacity building", "training", "skills"),
        "fr": ("renforcement des capacités et formation", "renforcement des capacités",
               "formation"),
        "es": ("fortalecimiento de capacidades y formación", "fortalecimiento de capacidades",
               "capacitación", "formación"),
        "ar": ("بناء القدرات والتدريب", "بناء القدرات", "التدريب"),
    },
    "public_services": {
        "en": ("municipal services", "public services", "gender-responsive services",
               "service delivery", "COVID-19 recovery"),
        "fr": ("services publics sensibles au genre", "services publics",
               "services municipaux"),
        "es": ("servicios públicos con perspectiva de género", "servicios públicos",
               "servicios municipales"),
        "ar": ("الخدمات العامة المراعية للنوع الاجتماعي", "الخدمات العامة",
               "الخدمات البلدية"),
    },
    "economic_empowerment": {
        "en": ("economic empowerment", "jobs", "employment", "informality", "care work"),
        "fr": ("autonomisation économique des femmes", "autonomisation économique", "emploi"),
        "es": ("empoderamiento económico de las mujeres", "empoderamiento económico",
               "empleo", "cuidados"),
        "ar": ("التمكين الاقتصادي للمرأة", "التمكين الاقتصادي", "التوظيف"),
    },
    "toolkit_first_steps": {
        "en": ("first steps", "getting started"),
        "fr": ("premiers pas",),
        "es": ("primeros pasos",),
        "ar": ("الخطوات الأولى",),
    },
    "gap_assessment": {
        "en": ("gap assessment", "gender assessment", "self-assessment", "gender audit"),
        "fr": ("évaluation des écarts", "auto-évaluation", "audit de genre"),
        "es": ("evaluación de brechas", "autoevaluación", "auditoría de género"),
        "ar": ("تقييم الفجوات", "التقييم الذاتي", "التدقيق الجنساني"),
    },
    "toolkit_governance_staffing": {
        "en": ("governance and staffing", "staffing", "human resources"),
        "fr": ("gouvernance et personnel", "ressources humaines"),
        "es": ("gobernanza y personal", "recursos humanos"),
        "ar": ("الحوكمة والموظفون", "الموارد البشرية"),
    },
    "toolkit_internal_operations": {
        "en": ("internal operations",),
        "fr": ("fonctionnement interne",),
        "es": ("operaciones internas",),
        "ar": ("العمليات الداخلية",),
    },
    "toolkit_further_action": {
        "en": ("further action", "next steps"),
        "fr": ("aller plus loin",),
        "es": ("acciones adicionales",),
        "ar": ("إجراءات إضافية",),
    },
    "policy_plans": {
        "en": ("policies and action plans", "action plan", "gender equality policy",
               "policy commitments", "equality plan"),
        "fr": ("politiques et plans d'action", "plan d'action", "politique d'égalité"),
        "es": ("políticas y planes de acción", "plan de acción", "plan de igualdad",
               "política de igualdad"),
        "ar": ("السياسات وخطط العمل", "خطة عمل", "سياسة المساواة"),
    },
    "localising_sdgs": {
        "en": ("localising the SDGs", "SDG 5", "sustainable development goals", "2030 agenda"),
        "fr": ("localisation des ODD", "ODD 5", "objectifs de développement durable"),
        "es": ("localización de los ODS", "ODS 5", "objetivos de desarrollo sostenible"),
        "ar": ("توطين أهداف التنمية المستدامة", "الهدف 5", "أهداف التنمية المستدامة"),
    },
    "feminist_municipalism": {
        "en": ("feminist municipalism", "feminist cities"),
        "fr": ("municipalisme féministe", "villes féministes"),
        "es": ("municipalismo feminista", "ciudades feministas"),
        "ar": ("البلديات النسوية", "المدن النسوية"),
    },
    "decentralised_cooperation": {
        "en": ("decentralised cooperation", "city-to-city cooperation", "decentralisation"),
        "fr": ("coopération décentralisée", "décentralisation"),
        "es": ("cooperación descentralizada", "descentralización"),
        "ar": ("التعاون اللامركزي", "اللامركزية"),
    },
    "good_practices": {
        "en": ("good practices", "case studies", "lessons learned", "best practices"),
        "fr": ("bonnes pratiques", "études de cas"),
        "es": ("buenas prácticas", "estudios de caso"),
        "ar": ("الممارسات الجيدة", "دراسات الحالة"),
    },
    "mobility": {
        "en": ("mobility", "transport", "public transport"),
        "fr": ("mobilité", "transports"),
        "es": ("movilidad", "transporte"),
        "ar": ("التنقل", "النقل"),
    },
    "climate": {
        "en": ("climate change", "climate resilience", "environment"),
        "fr": ("climat et résilience", "changement climatique", "résilience"),
        "es": ("clima y resiliencia", "cambio climático", "resiliencia"),
        "ar": ("المناخ والصمود", "تغير المناخ", "الصمود"),
    },
    "youth": {
        "en": ("youth", "girls", "young women"),
        "fr": ("jeunesse et filles", "jeunes", "filles"),
        "es": ("juventud y niñas", "jóvenes", "niñas"),
        "ar": ("الشباب والفتيات", "الشباب", "الفتيات"),
    },
    "inclusion": {
        "en": ("inclusion", "intersectionality", "inclusive governance", "diversity"),
        "fr": ("inclusion et intersectionnalité", "inclusion", "intersectionnalité"),
        "es": ("inclusión e interseccionalidad", "inclusión", "interseccionalidad"),
        "ar": ("الإدماج والتقاطعية", "الإدماج", "التقاطعية"),
    },
    "social_norms": {
        "en": ("social norms", "culture", "stereotypes"),
        "fr": ("normes sociales et culture", "normes sociales", "stéréotypes"),
        "es": ("normas sociales y cultura", "normas sociales", "estereotipos"),
        "ar": ("الأعراف الاجتماعية والثقافة", "الأعراف الاجتماعية", "الصور النمطية"),
    },
    "housing_land": {
        "en": ("housing and land", "informal settlements", "security of tenure",
               "land rights"),
        "fr": ("logement et foncier", "quartiers informels", "sécurité foncière"),
        "es": ("vivienda y tierra", "asentamientos informales", "seguridad de la tenencia"),
        "ar": ("السكن والأراضي", "المستوطنات العشوائية", "أمن الحيازة"),
    },
}  # fmt: skip

_HUB_THEME_LABELS: tuple[tuple[str, str], ...] = (
    ("toolkit_first_steps", N_("Toolkit: first steps")),
    ("gap_assessment", N_("Toolkit: gap assessment")),
    ("toolkit_governance_staffing", N_("Toolkit: governance and staffing")),
    ("toolkit_internal_operations", N_("Toolkit: internal operations")),
    ("toolkit_further_action", N_("Toolkit: further action")),
    ("policy_plans", N_("Policies and action plans")),
    ("localising_sdgs", N_("Localising the SDGs")),
    ("feminist_municipalism", N_("Feminist municipalism")),
    ("decentralised_cooperation", N_("Decentralised cooperation")),
    ("good_practices", N_("Good practices and case studies")),
    ("mobility", N_("Mobility and transport")),
    ("climate", N_("Climate and resilience")),
    ("youth", N_("Youth and girls")),
    ("inclusion", N_("Inclusion and intersectionality")),
    ("social_norms", N_("Social norms and culture")),
    ("housing_land", N_("Housing and land")),
)

THEMES: tuple[Term, ...] = tuple(
    Term(code, text, _THEME_SYNONYMS.get(code, {}))
    for code, text in (*((c.value, c.label) for c in vocab.THEMES), *_HUB_THEME_LABELS)
)
"""Every theme: the member-expertise themes of :mod:`bot.core.vocab`, then the hub's own."""

TYPES: tuple[Term, ...] = (
    _t("publication", N_("Publication"), en=("report", "study", "brochure", "paper"),
       fr=("publication", "rapport", "étude"), es=("publicación", "informe", "estudio"),
       ar=("منشور", "تقرير", "دراسة")),
    _t("toolkit", N_("Toolkit"), en=("toolkit", "tool", "kit"),
       fr=("boîte à outils", "outil"), es=("caja de herramientas", "herramienta"),
       ar=("مجموعة أدوات", "أداة")),
    _t("guide", N_("Guide"), en=("guide", "handbook", "manual", "guidelines"),
       fr=("guide", "manuel"), es=("guía", "manual"), ar=("دليل",)),
    _t("case_study", N_("Case study"), en=("case study", "case"),
       fr=("étude de cas",), es=("estudio de caso",), ar=("دراسة حالة",)),
    _t("policy_document", N_("Policy document"), en=("policy", "charter", "declaration"),
       fr=("document de politique", "charte", "déclaration"),
       es=("documento de política", "carta", "declaración"),
       ar=("وثيقة سياسات", "ميثاق", "إعلان")),
    _t("dataset", N_("Dataset"), en=("dataset", "data set", "database"),
       fr=("jeu de données", "base de données"), es=("conjunto de datos", "base de datos"),
       ar=("مجموعة بيانات", "قاعدة بيانات")),
    _t("webinar", N_("Webinar"), en=("webinar", "recording"), fr=("webinaire",),
       es=("seminario web",), ar=("ندوة عبر الإنترنت",)),
    _t("news", N_("News"), en=("news", "article", "blog"), fr=("actualité", "article"),
       es=("noticia", "artículo"), ar=("خبر", "أخبار", "مقال")),
    _t("event", N_("Event"), en=("event", "conference", "meeting"),
       fr=("événement", "conférence"), es=("evento", "conferencia"), ar=("فعالية", "مؤتمر")),
    _t("initiative", N_("Initiative"), en=("initiative", "programme", "program", "project"),
       fr=("initiative", "programme"), es=("iniciativa", "programa"), ar=("مبادرة", "برنامج")),
    _t("online_course", N_("Online course"), en=("course", "e-learning", "mooc"),
       fr=("cours en ligne", "formation en ligne"), es=("curso en línea", "curso virtual"),
       ar=("دورة عبر الإنترنت", "دورة")),
)  # fmt: skip
"""Resource types, as the Knowledge Hub lists them."""

REGIONS: tuple[Term, ...] = (
    _t("latin_america", N_("Latin America"),
       en=("latin america and the caribbean", "caribbean", "LAC"),
       fr=("amérique latine", "caraïbes"), es=("américa latina", "latinoamérica", "caribe"),
       ar=("أمريكا اللاتينية",)),
    _t("west_central_africa", N_("West and Central Africa"), en=("africa", "west africa"),
       fr=("afrique de l'ouest et du centre", "afrique"),
       es=("áfrica occidental y central", "áfrica"), ar=("غرب ووسط أفريقيا", "أفريقيا")),
    _t("east_southern_africa", N_("East and Southern Africa"),
       en=("africa", "east africa", "southern africa"),
       fr=("afrique de l'est et australe", "afrique"),
       es=("áfrica oriental y meridional", "áfrica"), ar=("شرق وجنوب أفريقيا", "أفريقيا")),
    _t("mena", N_("North Africa and Middle East"), en=("MENA", "middle east", "north africa",
       "arab region"), fr=("afrique du nord et moyen-orient", "moyen-orient", "maghreb"),
       es=("norte de áfrica y oriente medio", "oriente medio"),
       ar=("شمال أفريقيا والشرق الأوسط", "الشرق الأوسط", "المنطقة العربية")),
    _t("asia_pacific", N_("Asia Pacific"), en=("asia-pacific", "asia", "pacific"),
       fr=("asie-pacifique",), es=("asia-pacífico", "asia pacífico"),
       ar=("آسيا والمحيط الهادئ",)),
    _t("north_america_europe", N_("North America and Europe"),
       en=("europe", "north america", "EU"), fr=("amérique du nord et europe", "europe"),
       es=("américa del norte y europa", "europa"), ar=("أمريكا الشمالية وأوروبا", "أوروبا")),
    _t("global", N_("Global"), en=("global", "world", "worldwide", "international",
       "commonwealth", "OECD countries"), fr=("mondial", "international"),
       es=("mundial", "global", "internacional"), ar=("عالمي", "دولي")),
)  # fmt: skip
"""The six CIB regions (codes of :data:`bot.core.vocab.REGIONS`) plus Global."""

LANGUAGE_CODES: tuple[str, ...] = ("en", "fr", "es", "ar", "pt", "de", "it", "ka", "ru", "zh")
"""Languages a resource may be written in (ISO 639-1); names come from Babel (CLDR)."""

KINDS = ("theme", "type", "region", "lang")


@cache
def languages() -> tuple[Term, ...]:
    """Language terms, with each language's name in en/fr/es/ar as synonyms (from CLDR)."""
    terms = []
    for code in LANGUAGE_CODES:
        names = {lang: (Locale.parse(lang).languages[code],) for lang in SUPPORTED_LANGUAGES}
        terms.append(Term(code, Locale.parse("en").languages[code], names))
    return tuple(terms)


def terms(kind: str) -> tuple[Term, ...]:
    if kind == "theme":
        return THEMES
    if kind == "type":
        return TYPES
    if kind == "region":
        return REGIONS
    if kind == "lang":
        return languages()
    raise KeyError(kind)


def term(kind: str, code: str) -> Term | None:
    for item in terms(kind):
        if item.code == code:
            return item
    return None


def label_of(kind: str, code: str) -> str:
    """The untranslated label of ``code`` (the code itself when unknown)."""
    found = term(kind, code)
    return found.label if found else code


@cache
def _phrase_index(kind: str) -> dict[str, tuple[str, ...]]:
    """Folded phrase → codes it names (one phrase may name several, like "africa")."""
    index: dict[str, list[str]] = {}
    for item in terms(kind):
        for phrase in (item.code, item.code.replace("_", " "), *item.phrases()):
            codes = index.setdefault(fold_phrase(phrase), [])
            if item.code not in codes:
                codes.append(item.code)
    return {phrase: tuple(codes) for phrase, codes in index.items()}


def resolve(kind: str, value: str) -> tuple[str, ...]:
    """The codes a typed value names: a code, a label or a synonym, in any language."""
    return _phrase_index(kind).get(fold_phrase(value), ())


def phrases(kind: str) -> dict[str, tuple[str, ...]]:
    """Every known phrase of ``kind`` (folded) and the codes it names."""
    return _phrase_index(kind)


FREE_TEXT_THEMES: dict[str, tuple[str, ...]] = {
    "covid-19 recovery": ("public_services", "economic_empowerment"),
    "lga institutional change": ("lga_change",),
    "accountability": ("governance_leadership", "trust_gap"),
    "campaign finance": ("financial_obstacles", "political_participation"),
    "care": ("economic_empowerment", "public_services"),
    "civic participation": ("trust_gap", "political_participation"),
    "culture": ("social_norms",),
    "data and monitoring": ("data",),
    "decentralisation": ("decentralised_cooperation", "governance_leadership"),
    "domestic violence": ("gbv",),
    "elections": ("political_participation",),
    "electoral systems": ("legal_quotas", "political_participation"),
    "equality": ("gender_mainstreaming",),
    "equality action plans": ("policy_plans",),
    "feminist leadership": ("governance_leadership", "feminist_municipalism"),
    "gender action planning": ("policy_plans",),
    "gender assessment": ("gap_assessment",),
    "gender balance in decision-making": ("political_participation",),
    "gender equality policy": ("policy_plans",),
    "gender indicators": ("data",),
    "gender quotas": ("legal_quotas",),
    "gender-responsive services": ("public_services",),
    "global advocacy": ("advocacy",),
    "governance and leadership": ("governance_leadership", "toolkit_governance_staffing"),
    "harassment": ("gbv",),
    "inclusive governance": ("governance_leadership", "inclusion"),
    "inclusive policy-making": ("inclusion", "policy_plans"),
    "informality": ("economic_empowerment", "housing_land"),
    "knowledge sharing": ("mentorship",),
    "legal barriers": ("legal_quotas",),
    "legal recognition": ("housing_land",),
    "local democracy": ("political_participation", "trust_gap"),
    "local public policy": ("policy_plans",),
    "localising sdg 5": ("localising_sdgs",),
    "metropolitan policy": ("urban_planning",),
    "municipal services": ("public_services",),
    "open government": ("trust_gap", "governance_leadership"),
    "participation": ("political_participation",),
    "participatory planning": ("urban_planning", "trust_gap"),
    "peer learning networks": ("mentorship",),
    "policy commitments": ("policy_plans",),
    "public employment": ("economic_empowerment", "lga_change"),
    "public procurement": ("gender_budgeting",),
    "public space": ("safe_spaces",),
    "safety": ("safe_spaces",),
    "self-assessment": ("gap_assessment",),
    "training": ("capacity_building",),
    "urban programming": ("urban_planning",),
    "violence against women in politics": ("gbv", "political_participation"),
    "women councillors": ("political_participation",),
    "women's empowerment units": ("lga_change",),
    "women's leadership": ("governance_leadership",),
    "women's political participation": ("political_participation",),
    "youth and girls": ("youth",),
}
"""The sample catalogue's free-text themes, mapped by a person to taxonomy codes."""

FREE_TEXT_REGIONS: dict[str, tuple[str, ...]] = {
    "africa": ("west_central_africa", "east_southern_africa"),
    "europe": ("north_america_europe",),
    "north america": ("north_america_europe",),
    "commonwealth": ("global",),
    "oecd countries": ("global",),
}


def theme_codes(values: Iterable[str]) -> tuple[list[str], list[str]]:
    """Map free-text or coded themes to codes; returns (codes, values it could not map)."""
    return _map_values("theme", values, FREE_TEXT_THEMES)


def region_codes(values: Iterable[str]) -> tuple[list[str], list[str]]:
    return _map_values("region", values, FREE_TEXT_REGIONS)


def _map_values(
    kind: str, values: Iterable[str], manual: Mapping[str, tuple[str, ...]]
) -> tuple[list[str], list[str]]:
    codes: list[str] = []
    unknown: list[str] = []
    for value in values:
        text = str(value).strip()
        if not text:
            continue
        found = manual.get(text.casefold()) or resolve(kind, text)
        if not found:
            unknown.append(text)
        for code in found:
            if code not in codes:
                codes.append(code)
    return codes, unknown
