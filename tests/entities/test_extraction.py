"""The extractor on its own (no database): both scripts, Simplified input, word boundaries,
case, longest matches, acronyms linked to their names and learned, and what the confidence
says."""

import pytest

from newsbrief.entities import extraction, registry
from newsbrief.entities.extraction import Automaton, Term

N, A = extraction.NAME, extraction.ACRONYM


@pytest.fixture(scope="module")
def shipped() -> Automaton:
    return Automaton(registry.terms_from_data())


def small() -> Automaton:
    return Automaton(
        [
            Term("Industrial Development Bureau", ("idb",), N, "organization"),
            Term("工業局", ("idb",), N, "organization"),
            Term("Institute for Information Industry", ("iii",), N, "organization"),
            Term("III", ("iii",), A, "organization"),
            Term("US", ("us",), A, "country"),
            Term("Turkey", ("tr",), N, "country"),
            Term("科學", ("science",), N, "field"),
            Term("國家科學委員會", ("nsc",), N, "organization"),
        ]
    )


def found(automaton, title, body="", threshold=0.0) -> set:
    result = automaton.extract(title, body)
    return {k for k, f in result.found.items() if f.confidence >= threshold}


def test_acronyms_keep_their_case_and_words_their_boundaries():
    a = small()
    assert found(a, "Let us talk", "the usual USB stick") == set()
    assert found(a, "US-Japan talks", "") == {"us"}
    assert found(a, "World War iii", "") == set()
    assert found(a, "turkey for dinner") == set()
    assert found(a, "TURKEY AND THE US") == {"tr", "us"}


def test_chinese_takes_the_longest_registered_word():
    a = small()
    assert found(a, "國家科學委員會補助") == {"nsc"}
    assert found(a, "科學園區與國家科學委員會") == {"science", "nsc"}


def test_a_name_and_its_bracketed_acronym_are_linked_and_an_unknown_acronym_learned():
    a = small()
    result = a.extract("", "The Industrial Development Bureau (IDB) said so.")
    assert result.found["idb"].confidence >= extraction.LINKED
    assert result.learned == [extraction.Learned("idb", "IDB")]
    result = a.extract("", "經濟部工業局（IDB）表示")
    assert result.learned == [extraction.Learned("idb", "IDB")]
    # A known acronym in brackets is linked, not learned again.
    result = a.extract("", "the Institute for Information Industry (III) and III again")
    assert result.learned == [] and result.found["iii"].confidence == extraction.CEILING
    # Brackets holding something else teach nothing.
    assert a.extract("", "The Industrial Development Bureau (in Taipei)").learned == []


def test_confidence_ranks_the_evidence():
    a = small()
    bare = a.extract("", "Shares of III rose.").found["iii"].confidence
    named = a.extract("", "The Institute for Information Industry said.").found["iii"]
    titled = a.extract("Institute for Information Industry", "").found["iii"]
    assert bare < named.confidence < titled.confidence
    assert "Institute for Information Industry said" in named.evidence


def test_the_shipped_registry_in_both_scripts(shipped):
    threshold = 0.6
    en = "Taiwan and Japan sign an MOU on medical devices, machinery and optics"
    zh = "台日簽署醫療器材、機械及光學合作備忘錄"
    assert {"taiwan", "japan", "medical-devices", "machinery", "optics-photonics"} <= found(
        shipped, en, threshold=threshold
    )
    assert found(shipped, zh, threshold=threshold) == found(shipped, en, threshold=threshold)
    body = "經濟部工業局表示，汽機車產業與南韓、中國大陸及美國合作。"
    assert {"moea", "idb", "automotive", "motorcycles", "south-korea", "china",
            "united-states"} <= found(shipped, "", body, threshold)  # fmt: skip


def test_simplified_text_reads_as_traditional(shipped):
    names = found(shipped, "台积电与工研院合作发展芯片", threshold=0.6)
    assert {"tsmc", "itri", "semiconductors"} <= names


def test_blockers_and_pairs(shipped):
    assert "china" not in found(shipped, "中美洲國家與台中市")
    assert "united-states" not in found(shipped, "中美洲國家")
    assert {"taiwan", "china"} <= found(shipped, "兩岸經貿往來", threshold=0.6)
    assert {"taiwan", "united-states"} <= found(shipped, "台美經貿對話", threshold=0.6)


def test_a_country_inside_an_organization_name_is_named(shipped):
    names = found(shipped, "", "a US Department of Energy (DOE) lab", 0.6)
    assert {"doe-us", "united-states"} <= names


def test_demonyms_and_ambiguous_words_stay_below_the_line_alone(shipped):
    result = shipped.extract("", "Georgia voters; Japanese investors")
    assert result.found["georgia"].confidence < 0.6
    assert result.found["japan"].confidence < shipped.extract("", "Japan").found["japan"].confidence


def test_we_names_the_country_of_the_script_it_is_written_in(shipped):
    # 我国 in a mainland (Simplified) report is China; 我國 in a Taiwan one is Taiwan, weakly.
    assert "china" in found(shipped, "", "我国企业加快发展半导体产业", threshold=0.6)
    result = shipped.extract("", "我國企業加快發展半導體產業").found
    assert "china" not in result and result["taiwan"].confidence < 0.6
    assert "taiwan" not in found(shipped, "", "融合化，各國人員、企業交流日益密切。")


def test_a_generic_word_is_less_sure_than_an_industry_term(shipped):
    alone = shipped.extract("", "It ships with software.").found["software"].confidence
    firm = shipped.extract("", "The software firm grew.").found["software"].confidence
    assert extraction.WEIGHT[extraction.GENERIC] == alone < firm
    assert shipped.extract("", "台電等電力公司").found["energy"].confidence == firm
    # An ambiguous word stays below the line alone, and rises with its trade after it.
    assert "finance" not in found(shipped, "", "Shares rose.", threshold=0.6)
    assert "oil-gas" in found(shipped, "", "The crude producers met.", threshold=0.6)
    # A capital inside a name is part of it: PCS is a trade union, PCs are computers.
    assert "computing" not in found(shipped, "", "The PCS union will strike.")
    assert "computing" in found(shipped, "", "Sales of PCs rose.", threshold=0.6)


def test_a_weak_mention_is_corroborated_by_its_country(shipped):
    alone = shipped.extract("", "The SEC delayed the rule.").found["sec-us"].confidence
    beside = shipped.extract("", "The SEC delayed the rule for US firms.").found["sec-us"]
    assert alone < 0.6 <= beside.confidence


def test_an_organization_nested_at_the_end_of_another_name_is_not_named(shipped):
    # 韓交通部 is South Korea's ministry, not Taiwan's 交通部; 經濟部工業局 names both.
    assert found(shipped, "", "韓交通部發布限制", threshold=0.6) & {"motc"} == set()
    assert {"moea", "idb"} <= found(shipped, "", "經濟部工業局表示", threshold=0.6)
