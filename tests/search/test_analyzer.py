"""The one analyzer: the issue's English and Chinese cases, as written there."""

import pytest

from newsbrief.search.analyzer import (
    MAX_QUERY_TERMS,
    And,
    Not,
    Or,
    Phrase,
    Prefix,
    Word,
    analyze,
    index_terms,
    parse_query,
)


def test_english_folds_case_stems_and_drops_stop_words():
    assert index_terms("Cooperating on THE Semiconductors") == ["cooper", "semiconductor"]
    assert index_terms("cooperation") == index_terms("cooperating")


def test_names_and_numbers_match_exactly():
    assert index_terms("FORMOSAT-7 launched 2012, ECFA") == [
        "formosat", "7", "launch", "2012", "ecfa",
    ]  # fmt: skip
    assert "2012" not in index_terms("20120")


def test_simplified_and_traditional_fold_to_the_same_terms():
    assert index_terms("台湾 日本 产业合作") == index_terms("臺灣 日本 產業合作")


def test_traditional_is_folded_before_it_is_segmented():
    assert index_terms("臺日產業合作推動辦公室正式成立") == [
        "台日", "产业", "合作", "推动", "办公室", "正式", "成立",
    ]  # fmt: skip


def test_chinese_runs_also_give_bigrams_and_unigrams():
    grams = analyze("社區指南").grams
    assert {"社区", "区指", "指南"} <= set(grams)
    assert {"社", "区", "指", "南"} <= set(grams)


def test_mixed_text_without_spaces():
    assert index_terms("ECFA早收清單") == ["ecfa", "早收", "清单"]


def test_queries_are_analyzed_like_text():
    assert parse_query("Cooperating") == Word("cooper")
    assert parse_query("臺") == Word("台", ("台",))
    assert parse_query("社區") == Word("社区", ("社区",))
    assert parse_query("台湾 日本 产业合作") == parse_query("臺灣 日本 產業合作")
    assert parse_query("台湾日本产业合作") == And(
        tuple(Word(w, (w,)) for w in ("台湾", "日本", "产业", "合作"))
    )
    assert parse_query("ECFA 早收清單") == And(
        (Word("ecfa"), Word("早收", ("早收",)), Word("清单", ("清单",)))
    )


def test_query_syntax():
    assert parse_query('"state of the art" semicond*') == And(
        (Phrase(("state", "art")), Prefix("semicond"))
    )
    assert parse_query("wind OR solar -nuclear") == And(
        (Or((Word("wind"), Word("solar"))), Not(Word("nuclear")))
    )
    assert parse_query('"產業合作"') == Word("产业合作", ("产业", "业合", "合作"))
    assert parse_query("x*") == Word("x") and parse_query("半導*") == Word("半导", ("半导",))


@pytest.mark.parametrize(
    "text",
    ["", "   ", "OR", "-", "-x -y", '"', '"*', "*", "the of and", "\x00\x07", "OR OR -"],
)
def test_nothing_to_search_for_is_none(text):
    assert parse_query(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"unbalanced quote', Phrase(("unbalanc", "quot"))),
        ("NEAR(wind", And((Word("near"), Word("wind")))),
        ("wind OR", Word("wind")),
        ("OR wind", Word("wind")),
        ("wind\x00power", And((Word("wind"), Word("power")))),
    ],
)
def test_stray_syntax_is_only_text(text, expected):
    assert parse_query(text) == expected


def test_long_queries_are_bounded():
    node = parse_query("word " * 2000)  # 10 kB: cut to its start, repeats dropped
    assert node.children[0] == Word("word") and len(node.children) == 2
    many = parse_query(" ".join(f"w{i}" for i in range(1000)))
    assert len(many.children) == MAX_QUERY_TERMS
