import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsbrief.phorum.charsets import BIG5, DOUBLE, LATIN1, UTF8, from_latin1, repair, to_latin1


@pytest.mark.parametrize(
    ("raw", "text", "encoding"),
    [
        (b"plain ASCII", "plain ASCII", ""),
        ("科技新聞".encode(), "科技新聞", UTF8),
        (from_latin1("科技新聞".encode()).encode(), "科技新聞", DOUBLE),
        # twice converted
        (from_latin1(from_latin1("科技".encode()).encode()).encode(), "科技", DOUBLE),
        ("臺灣科技新聞，國際合作。".encode("cp950"), "臺灣科技新聞，國際合作。", BIG5),
        (b"caf\xe9 au lait", "café au lait", LATIN1),
        ("é".encode(), "é", UTF8),
        # decomposed input comes out NFC
        ("e\u0301".encode(), "é", UTF8),
    ],
)
def test_detects_and_repairs(raw, text, encoding):
    fixed = repair(raw)
    assert (fixed.text, fixed.encoding, fixed.problem) == (text, encoding, "")


def test_the_double_encoding_looks_like_the_mojibake_readers_saw():
    assert from_latin1("科技".encode()) == "ç§‘æŠ€"
    assert repair("ç§‘æŠ€".encode()).text == "科技"


def test_original_bytes_are_what_phorum_counted():
    assert repair(from_latin1("科技".encode()).encode()).original == "科技".encode()
    assert repair("科技".encode("cp950")).original == "科技".encode("cp950")


def test_reports_what_it_cannot_repair():
    fixed = repair(b"abc \x80\x80\x80")
    assert fixed.problem and fixed.original is None
    assert fixed.text.startswith("abc ") and "\ufffd" in fixed.text


def test_latin1_is_mariadbs_and_round_trips_every_byte():
    every = bytes(range(256))
    assert to_latin1(from_latin1(every)) == every
    assert to_latin1("科") is None


chinese = st.text(
    alphabet=st.sampled_from(
        list("臺灣科技新聞國際合作研發生產市場中文版，。：「」（）") + list("ab 1\n")
    ),
    min_size=1,
    max_size=30,
)


@given(chinese, st.sampled_from(["utf-8", "cp950", "double"]))
def test_every_encoding_a_board_mixes_comes_back(text, encoding):
    raw = from_latin1(text.encode()).encode() if encoding == "double" else text.encode(encoding)
    fixed = repair(raw)
    assert fixed.text == text and not fixed.problem
    assert fixed.original == (text.encode("cp950" if encoding == "cp950" else "utf-8"))
