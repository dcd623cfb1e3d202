import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsbrief.phorum.charsets import from_latin1
from newsbrief.phorum.serialized import SerializedError, as_list, serialize, unserialize

META = {
    "edit_count": 2,
    "edit_date": 1332278700,
    "edit_username": "技術員",
    "attachments": [{"file_id": 3, "name": "圖表.png", "size": 10}],
    "show_signature": True,
    "ratio": 0.5,
    "none": None,
}


def test_reads_what_php_writes():
    value, notes = unserialize(serialize(META))
    assert notes == []
    assert value["edit_count"] == 2 and value["edit_username"] == "技術員".encode()
    assert value["show_signature"] is True and value["ratio"] == 0.5 and value["none"] is None
    first = as_list(value["attachments"])[0]
    assert first == {"file_id": 3, "name": "圖表.png".encode(), "size": 10}


def test_php_format_exactly():
    assert serialize({"a": [1, "é"]}) == b'a:1:{s:1:"a";a:2:{i:0;i:1;i:1;s:2:"\xc3\xa9";}}'


def test_lengths_changed_by_a_charset_conversion_are_recovered():
    """Converting a latin1 column of UTF-8 to utf8 makes every non-ASCII byte 2-3 bytes:
    the s:N lengths no longer match, and the closing quote that fits is found."""
    converted = from_latin1(serialize(META)).encode("utf-8")
    value, notes = unserialize(converted)
    assert value["edit_count"] == 2
    assert value["edit_username"] == from_latin1("技術員".encode()).encode()
    assert len(notes) == 2 and "s:9" in notes[0]


def test_a_string_holding_the_terminator_backtracks():
    """A body with '";' inside: the first candidate end breaks the structure, a later fits."""
    data = b'a:2:{i:0;s:3:"say "hi"; ok";i:1;s:1:"x";}'
    value, notes = unserialize(data)
    assert value == {0: b'say "hi"; ok', 1: b"x"} and notes


@pytest.mark.parametrize("data", [b"", b"garbage", b"a:2:{i:0;i:1;}", b's:5:"abc'])
def test_reports_what_it_cannot_read(data):
    with pytest.raises(SerializedError):
        unserialize(data)


scalars = st.one_of(st.integers(), st.booleans(), st.none(), st.text(max_size=20))
values = st.recursive(
    scalars, lambda inner: st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=12
)


@given(values)
def test_round_trip_even_after_conversion(value):
    def expected(v, convert):
        if isinstance(v, str):
            raw = v.encode()
            return from_latin1(raw).encode() if convert else raw
        if isinstance(v, dict):
            return {
                (from_latin1(k.encode()) if convert else k.encode()).decode("latin-1")
                if isinstance(k, str)
                else k: expected(x, convert)
                for k, x in v.items()
            }
        return v

    data = serialize(value)
    assert unserialize(data)[0] == expected(value, False)


@given(st.dictionaries(st.sampled_from(["edit_username", "name", "x"]), st.text(max_size=12)))
def test_recovers_any_conversion_of_strings(value):
    """Whatever the strings (quotes and '";' included), a latin1→utf8 conversion of the
    serialized bytes reads back as the converted strings."""
    converted = from_latin1(serialize(value)).encode("utf-8")
    got, _ = unserialize(converted)
    assert got == {k: from_latin1(v.encode()).encode() for k, v in value.items()}


def test_gives_up_on_hopeless_ambiguity_instead_of_hanging():
    """Many candidate ends and no reading that fits (the array is never closed): the search
    is bounded, not exponential."""
    data = b"a:40:{" + b'i:0;s:1:"a";";";";";' * 40
    with pytest.raises(SerializedError):
        unserialize(data)
