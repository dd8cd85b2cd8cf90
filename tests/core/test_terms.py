"""The taxonomy file is data: it loads, and a mistake in it is refused with the entry's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core import vocab
from bot.core.terms import TAXONOMY_FILE, Taxonomy, TaxonomyError, Term, load_taxonomy

VALID = """
resource_languages = ["en", "pt"]

[[roles]]
code = "elected"
label = "Elected representative"

[[regions]]
code = "mena"
label = "North Africa and Middle East"
countries = ["TN", "EG"]
synonyms.en = ["MENA"]

[[regions]]
code = "global"
label = "Global"
hub_only = true

[[themes]]
code = "legal_quotas"
label = "Legal barriers and quotas"
synonyms.fr = ["quota", "parité"]

[[types]]
code = "guide"
label = "Guide"

[import.themes]
"Gender Quotas" = ["legal_quotas"]
"""


def load(tmp_path: Path, text: str) -> Taxonomy:
    path = tmp_path / "taxonomy.toml"
    path.write_text(text, encoding="utf-8")
    return load_taxonomy(path)


def test_the_shipped_file_holds_the_network_vocabulary() -> None:
    taxonomy = load_taxonomy(TAXONOMY_FILE)
    assert len(taxonomy.themes) == 33 and len(taxonomy.types) == 11
    assert [t.code for t in taxonomy.regions if t.hub_only] == ["global"]
    assert len(vocab.THEMES) == 17 and len(vocab.REGIONS) == 6 and len(vocab.ROLES) == 4
    assert vocab.region_for_country("TN") == "mena"
    assert taxonomy.imported["themes"]["gender quotas"] == ("legal_quotas",)


def test_a_valid_file_gives_terms(tmp_path: Path) -> None:
    taxonomy = load(tmp_path, VALID)
    assert taxonomy.themes == (
        Term("legal_quotas", "Legal barriers and quotas", {"fr": ("quota", "parité")}),
    )
    assert taxonomy.regions[0].countries == ("TN", "EG")
    assert taxonomy.imported == {"themes": {"gender quotas": ("legal_quotas",)}}


def test_phrases_add_the_catalogs_translated_label() -> None:
    (quotas,) = [t for t in load_taxonomy().themes if t.code == "legal_quotas"]
    assert quotas.phrases("en")[0] == "Legal barriers and quotas"
    assert quotas.phrases("ar")[0] == "العوائق القانونية والكوتا"  # from the catalog only
    assert "quota" in quotas.phrases("fr") and "Legal barriers and quotas" in quotas.phrases()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('synonyms.fr = ["quota", "parité"]', 'synonyms.fr = "quota"'),
         "themes[0] 'legal_quotas': synonyms.fr must be a list of texts"),
        (('synonyms.fr = ["quota", "parité"]', 'synonyms.pt = ["cota"]'),
         "themes[0] 'legal_quotas': synonyms.pt: not a language"),
        (('code = "legal_quotas"', 'code = "Legal Quotas"'),
         "themes[0] 'Legal Quotas': code must be lowercase"),
        (('label = "Guide"', 'label = ""'), "types[0] 'guide': label must be a text"),
        (('label = "Guide"', 'labels = "Guide"'), "types[0] 'guide': unknown key 'labels'"),
        (('hub_only = true', 'hub_only = "yes"'), "regions[1] 'global': hub_only must be"),
        (('countries = ["TN", "EG"]', 'countries = ["Tunisia"]'),
         "regions[0] 'mena': countries must be two-letter ISO codes"),
        (('"Gender Quotas" = ["legal_quotas"]', '"Gender Quotas" = ["quotas"]'),
         "import.themes 'Gender Quotas': 'quotas' is not a code of themes"),
        (('[[types]]\ncode = "guide"\nlabel = "Guide"', ""), "types: missing"),
        (('resource_languages', 'languages'), "languages: unknown key"),
        (('code = "global"', 'code = "mena"'), "regions[1] 'mena': code or label used twice"),
        (('label = "Guide"', 'label = "Guide'), "taxonomy.toml"),
    ],
)  # fmt: skip
def test_a_mistake_names_the_entry(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in VALID
    with pytest.raises(TaxonomyError, match=r"taxonomy\.toml") as error:
        load(tmp_path, VALID.replace(old, new, 1))
    assert message in str(error.value)


def test_a_country_in_two_regions_is_refused(tmp_path: Path) -> None:
    text = VALID.replace("hub_only = true", 'hub_only = true\ncountries = ["TN"]')
    with pytest.raises(TaxonomyError, match="regions 'global': TN is already in 'mena'"):
        load(tmp_path, text)
