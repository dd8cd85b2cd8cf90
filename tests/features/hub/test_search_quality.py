"""The ranking finds what a librarian would hand over: typos, French, Spanish, Arabic."""

from __future__ import annotations

import pytest

from bot.core.errors import UsageError
from bot.features.hub.index import Filters, SearchIndex
from bot.features.hub.service import parse_query

GRB_CSOS = "Over 70 CSOs trained on Gender Responsive Budgeting"
UN_WOMEN_ANALYSIS = "Women's Representation in Local Government: A Global Analysis"


def top(index: SearchIndex, query: str, n: int = 5, **filters: str) -> list[str]:
    return [hit.doc.title for hit in index.search(query, Filters(**filters), limit=n).hits]


def top_themes(index: SearchIndex, query: str, n: int = 3) -> list[tuple[str, ...]]:
    return [hit.doc.themes for hit in index.search(query, limit=n).hits]


def test_lucia_finds_english_budgeting_resources_in_spanish(sample_index: SearchIndex) -> None:
    titles = top(sample_index, "presupuesto sensible al género")
    assert any(GRB_CSOS in title for title in titles)
    assert all(
        "gender_budgeting" in themes
        for themes in top_themes(sample_index, "presupuesto sensible al género")
    )


def test_amina_finds_the_un_women_analysis_with_quota(sample_index: SearchIndex) -> None:
    assert any(UN_WOMEN_ANALYSIS in title for title in top(sample_index, "quota"))


@pytest.mark.parametrize(
    ("query", "theme"),
    [
        ("quotta", "legal_quotas"),
        ("cuotas de género", "legal_quotas"),
        ("كوتا", "legal_quotas"),
        ("quotas électoraux", "legal_quotas"),
        ("budgétisation sensible au genre", "gender_budgeting"),
        ("budgetisation sensible au genre", "gender_budgeting"),
        ("الموازنة المستجيبة للنوع الاجتماعي", "gender_budgeting"),
        ("espaces publics sûrs", "safe_spaces"),
        ("espacios públicos seguros", "safe_spaces"),
        ("الأماكن العامة الآمنة", "safe_spaces"),
        ("violencia de género", "gbv"),
        ("العنف ضد المرأة", "gbv"),
        ("planificación urbana", "urban_planning"),
        ("urbanisme", "urban_planning"),
        ("datos y estadísticas de género", "data"),
        ("participation politique des femmes", "political_participation"),
    ],
)
def test_cross_lingual_and_typo_queries_find_the_theme(
    sample_index: SearchIndex, query: str, theme: str
) -> None:
    for themes in top_themes(sample_index, query):
        assert theme in themes, (query, themes)


def test_a_typo_is_corrected_and_reported(sample_index: SearchIndex) -> None:
    result = sample_index.search("mainstreming toolkit")
    assert result.corrections == {"mainstreming": "mainstreaming"}
    assert "Mainstream" in result.hits[0].doc.title


def test_title_outranks_summary(sample_index: SearchIndex) -> None:
    result = sample_index.search("observatory")
    assert "Observatory" in result.hits[0].doc.title


def test_several_typos_in_one_query_are_read(sample_index: SearchIndex) -> None:
    result = sample_index.search("gendre budgetting")
    assert "gendre" in result.corrections  # read as "genre" or "gender": both index gender
    assert "budgetting" not in result.corrections  # the stemmer already reads it as budget
    assert "gender_budgeting" in result.hits[0].doc.themes


def test_a_word_nobody_wrote_finds_nothing(sample_index: SearchIndex) -> None:
    result = sample_index.search("xylophone")
    assert result.hits == [] and result.total == 0 and not result.filtered_out


def test_did_you_mean_when_words_are_far(sample_index: SearchIndex) -> None:
    result = sample_index.search("qoutaz")
    assert result.hits == []
    assert result.suggestion in ("quota", "quotas")


def test_filters_narrow_and_report_filtered_out(sample_index: SearchIndex) -> None:
    arabic = sample_index.search("", Filters(lang="ar"), limit=50)
    assert arabic.hits and all("ar" in hit.doc.languages for hit in arabic.hits)
    mena_quota = top(sample_index, "quota", region="mena")
    assert mena_quota and all(
        "mena" in doc.regions
        for doc in (h.doc for h in sample_index.search("quota", Filters(region="mena")).hits)
    )
    none = sample_index.search("quota", Filters(type="online_course"))
    assert none.hits == [] and none.filtered_out


def test_query_filters_are_parsed_in_any_language() -> None:
    parsed = parse_query('presupuesto tema:cuotas tipo:guía región:"América Latina" idioma:español')
    assert parsed.text == "presupuesto"
    assert parsed.filters == Filters(
        theme="legal_quotas", type="guide", region="latin_america", lang="es"
    )
    assert parse_query("theme:gender_budgeting").filters.theme == "gender_budgeting"
    assert parse_query("see https://example.org").text == "see https://example.org"


def test_unknown_filter_value_is_refused() -> None:
    with pytest.raises(UsageError) as error:
        parse_query("budget theme:astrology")
    assert error.value.values["value"] == "astrology"


def test_prefix_completion(sample_index: SearchIndex) -> None:
    result = sample_index.search("observ", prefix=True)
    assert "Observatory" in result.hits[0].doc.title


def test_the_resource_named_by_the_query_comes_first(sample_index: SearchIndex) -> None:
    assert UN_WOMEN_ANALYSIS in top(sample_index, "women's representation in local government")[0]
