"""The one analyzer: the issue's English and Chinese cases, as written there."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsbrief.search.analyzer import (
    MAX_QUERY_TERMS,
    And,
    AtLeast,
    Near,
    Not,
    Or,
    Phrase,
    Prefix,
    Word,
    analyze,
    bigrams,
    fold,
    index_terms,
    optional_words,
    parse_query,
    relaxed,
    tokens_with_offsets,
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
        (
            *(Word(w, (w,)) for w in ("台湾", "日本", "产业", "合作")),
            Near(((0, "台湾"), (2, "日本"), (4, "产业"), (6, "合作")), grams=True),
        )
    )
    assert parse_query("ECFA 早收清單") == And(
        (
            Word("ecfa"),
            Word("早收", ("早收",)),
            Word("清单", ("清单",)),
            Near(((0, "早收"), (2, "清单")), grams=True),
        )
    )


def test_query_syntax():
    assert parse_query('"state of the art" semicond*') == And(
        (Phrase(("state", "art")), Prefix("semicond"))
    )
    assert parse_query("wind OR solar -nuclear") == And(
        (Or((Word("wind"), Word("solar"))), Not(Word("nuclear")))
    )
    assert parse_query('"產業合作"') == Word("产业合作", ("产业", "业合", "合作"), exact=True)
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
        ("NEAR(wind", And((Word("near"), Word("wind"), Near(((0, "near"), (1, "wind")))))),
        ("wind OR", Word("wind")),
        ("OR wind", Word("wind")),
        ("wind\x00power", And((Word("wind"), Word("power"), Near(((0, "wind"), (1, "power")))))),
    ],
)
def test_stray_syntax_is_only_text(text, expected):
    assert parse_query(text) == expected


def test_long_queries_are_bounded():
    node = parse_query("word " * 2000)  # 10 kB: cut to its start, repeats dropped
    assert node.children[:2] == (Word("word"), Word("wo")) and len(node.children) == 3
    many = parse_query(" ".join(f"w{i}" for i in range(1000)))
    assert len([c for c in many.children if isinstance(c, Word)]) == MAX_QUERY_TERMS


# Regional vocabulary ------------------------------------------------------------------------

#: Taiwan wording, mainland wording: one term for index and query alike, either way round.
REGIONAL = [
    ("晶片", "芯片"), ("網路", "网络"), ("雷射", "激光"), ("資料", "数据"), ("釋出", "发布"),
    ("軟體", "软件"), ("伺服器", "服务器"), ("記憶體", "内存"), ("滑鼠", "鼠标"),
    ("資訊", "信息"), ("列印", "打印"), ("螢幕", "屏幕"), ("硬碟", "硬盘"), ("臺灣", "台湾"),
    ("網際網路", "互联网"), ("最佳化", "优化"), ("程式", "程序"),
]  # fmt: skip


@pytest.mark.parametrize(("taiwan", "mainland"), REGIONAL)
def test_regional_vocabulary_meets_in_one_form(taiwan, mainland):
    assert index_terms(taiwan) == index_terms(mainland) == [fold(mainland)]
    assert parse_query(taiwan) == parse_query(mainland)
    # inside a sentence too, and in the grams that find substrings
    sentence = "新一代{}的研發"
    assert index_terms(sentence.format(taiwan)) == index_terms(sentence.format(mainland))
    canonical = set(bigrams(fold(sentence.format(mainland))))
    assert canonical <= set(analyze(sentence.format(taiwan)).grams)
    assert canonical <= set(analyze(sentence.format(mainland)).grams)


def test_characters_only_folding_stays_as_the_fallback():
    grams = analyze("新一代晶片設計").grams
    assert {"芯片", "晶片", "晶"} <= set(grams)  # the canonical word, and the wording as typed
    assert parse_query("晶") == Word("晶", ("晶",))  # a fragment of the Taiwan wording finds it
    assert analyze("半導體設計").grams == analyze("半导体设计").grams  # nothing extra when equal


CHINESE_WORDS = st.lists(
    st.sampled_from(
        [*(w for pair in REGIONAL for w in pair), "的", "新", "合作", "研究", "。", " "]
    ),
    max_size=8,
).map("".join)


@given(CHINESE_WORDS)
def test_folding_is_idempotent_and_queries_agree_with_the_index(text):
    assert fold(fold(text)) == fold(text)
    assert index_terms(fold(text)) == index_terms(text)
    node = parse_query(text)
    words = [c.term for c in (node.children if isinstance(node, And) else (node,) if node else ())
             if isinstance(c, Word)]  # fmt: skip
    assert words == list(dict.fromkeys(index_terms(text)))


def test_highlights_see_the_wording_as_written():
    assert list(tokens_with_offsets("用晶片")) == [(0, 3, "用芯片", "用晶片")]


# Nearness and relaxing ----------------------------------------------------------------------


def test_words_typed_together_ask_to_stand_together():
    assert parse_query("平台投诉").children[-1] == Near(((0, "平台"), (2, "投诉")), grams=True)
    assert parse_query("offshore wind").children[-1] == Near(((0, "offshor"), (1, "wind")))
    # a quoted phrase, a prefix, an OR group or a change of script ends a stretch
    assert not any(isinstance(c, Near) for c in parse_query('wind "solar" power*').children)
    assert parse_query("ECFA 早收 清單 taiwan").children[-1] == Near(
        ((0, "早收"), (2, "清单")), grams=True
    )


def test_relaxing_keeps_phrases_and_exclusions_strict():
    node = parse_query('taiwan japan "state of the art" 晶片 -korea')
    assert optional_words(node) == [Word("taiwan"), Word("japan"), Word("芯片", ("芯片",))]
    loose = relaxed(node, 2)
    assert Phrase(("state", "art")) in loose.children
    assert Not(Word("korea")) in loose.children
    assert AtLeast(tuple(optional_words(node)), 2) in loose.children
    assert optional_words(parse_query('"產業合作" 臺灣')) == [Word("台湾", ("台湾",))]
