import itertools

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from newsbrief.phorum.history import PatchError, diff, faithful, normalise, unpatch


def test_phorum_diff_examples():
    """The examples in Phorum's include/diff_patch.php."""
    assert diff(b"Sam", b"Bart", 1) == [b"0-S", b"0+B", b"2-m", b"2+rt"]
    assert diff(b"Sam", b"Bart", 2) == [b"0-Sam", b"0+Bart"]
    assert unpatch(b"Bart", [b"0-S", b"0+B", b"2-m", b"2+rt"]) == b"Sam"


def test_offsets_are_bytes_of_newline_normalised_text():
    old, new = "第一行\r\n第二行".encode(), "第一行\r\n第二行改了".encode()
    entries = diff(old, new)
    assert entries == [b"%d+" % len("第一行\n第二行".encode()) + "改了".encode()]
    assert unpatch(new, entries) == normalise(old)


def test_reports_a_diff_that_does_not_fit():
    try:
        unpatch(b"short", [b"99-x"])
    except PatchError:
        pass
    else:
        raise AssertionError("an offset past the end must be reported")


def test_the_strpos_quirk_is_phorums():
    """Phorum's match is a run of the old text's lines with their newlines; where the new
    text has the last of them only at its end, strpos fails and PHP takes 0."""
    old, new = b"one\ntwo\nthree\nfour", b"one\ntwo\nthree"
    assert not faithful(old, new, diff(old, new))


texts = st.lists(
    st.sampled_from(["alpha", "beta", "科技", "新聞", "\n", " ", "\r\n", "x", "。"]), max_size=25
).map(lambda parts: "".join(parts).encode())


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=2, max_size=5))
def test_rebuilding_walks_back_to_every_version(versions):
    """Random edit sequences: each edit's diff stored, every version rebuilt from the last,
    as changes.php does, equals the version that was written (where Phorum's diff is
    faithful; its quirk is counted)."""
    pairs = list(itertools.pairwise(versions))
    entries = [diff(a, b) for a, b in pairs]
    if not all(faithful(a, b, e) for (a, b), e in zip(pairs, entries, strict=True)):
        event("phorum_diff quirk")
        return
    text, rebuilt = versions[-1], [normalise(versions[-1])]
    for edit in reversed(entries):
        text = unpatch(text, edit)
        rebuilt.append(text)
    assert rebuilt[::-1] == [normalise(v) for v in versions]
