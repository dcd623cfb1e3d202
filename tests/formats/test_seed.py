"""The seed text format, read and written without a database."""

import contextlib
import datetime as dt
import time
import uuid
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsbrief.briefs.content import BriefContent, Citation, EditTrail, Link
from newsbrief.formats import seed
from newsbrief.formats.errors import FormatError

TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")


def test_reads_every_part_of_the_seed_page(seed_text):
    page = seed.parse(seed_text)
    assert page.author == "techman"
    assert page.published_at == dt.datetime(2012, 3, 20, 21, 20, tzinfo=TAIPEI)
    assert page.language == "en"
    assert page.tags == ("International Cooperation",)
    assert page.title == "Taiwan-Japan Industrial Cooperation Office Comes Into Being"
    assert page.source_name == "CENS.com"
    assert page.source_date == dt.date(2012, 3, 19)
    assert page.body.startswith("Taiwan and Japan industrial cooperation promotion office")
    assert page.body.endswith("extended to management, R&D, and marketing.")
    assert page.body.count("\n\n") == 3
    assert page.related == (
        Citation(
            "Taiwan and Japan Should Increase Sci-tech Cooperation, Especially after 311 "
            "Earthquake: Taiwan-Japan Science and Technology Forum",
            ("International Cooperation",),
            dt.date(2011, 9, 5),
        ),
        Citation(
            "Taiwan-Japan Cooperation on Metal Technology, Upgrading Heavy Industries",
            ("International Cooperation", "Metal Industry"),
            dt.date(2011, 10, 25),
        ),
    )
    assert page.links == (Link("CENS.com", "", dt.date(2012, 3, 19)),)
    assert page.board == "National Science Council International Cooperation Sci-Tech Newsbrief"
    assert page.trail == EditTrail(2, dt.datetime(2012, 3, 20, 21, 25, tzinfo=TAIPEI), "techman")


def test_a_page_without_identity_gets_a_stable_one(seed_text):
    first, again = seed.parse(seed_text), seed.parse(seed_text)
    assert first.uid == again.uid == seed.page_uid("en", "techman", first.published_at)
    assert first.translation_key == first.uid


def test_written_page_reads_back_the_same(seed_text):
    page = seed.parse(seed_text)
    assert seed.parse(seed.render(page)) == page


def test_chinese_page_uses_chinese_labels_and_dates(seed_text):
    page = seed.parse(seed_text)
    chinese = BriefContent(
        **{
            **page.__dict__,
            "language": "zh-hant",
            "title": "臺日產業合作推動辦公室正式成立",
            "tags": ("國際合作",),
            "body": "臺日產業合作推動辦公室將於3月21日成立。",
        }
    )
    text = seed.render(chinese)
    assert "techman / 2012年3月20日 下午09:20" in text
    assert "相關歷史訊息：" in text and "延伸資訊：" in text and "([英文版](" in text
    assert "已編輯 2 次。最後編輯於 2012/03/20 下午09:25，編輯者：techman。" in text
    assert seed.parse(text) == chinese


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "empty"),
        ("\n\n[Tag] A title\n\nBody.\n", 3, "header"),
        ("techman / Someday 20, 2012 09:20PM\n\n[T] Title\n\nBody\n", 1, "publication time"),
        ("techman / March 32, 2012 09:20PM\n\n[T] Title\n\nBody\n", 1, "publication time"),
        ("techman / March 20, 2012 13:20PM\n\n[T] Title\n\nBody\n", 1, "12-hour"),
        ("techman / March 20, 2012 09:20PM\n\n[T] Title\n", 4, "no body"),
        (
            "techman / March 20, 2012 09:20PM\n\n[T] Title\n\nBody\n\n"
            "Related Historical Messages:\n\nnot a link\n",
            9,
            "unexpected line",
        ),
        (
            "techman / March 20, 2012 09:20PM\n\n[T] Title\n\nBody\n\nFurther Information:\n\n"
            "[Click me](javascript:alert(1))\n",
            9,
            "",
        ),
        (
            "techman / March 20, 2012 09:20PM\n\n[T] Title\n\nBody\n\nFurther Information:\n\n"
            "[Click me](data:text/html,x)\n",
            9,
            "http",
        ),
        ("techman / March 20, 2012 09:20PM\n\n[T] Title\n\nBody\x00\n", 5, "NUL"),
        (
            "techman / March 20, 2012 09:20PM\n\n[T] Title\n\nBody\n\n"
            "Edited 2 time(s). Last edit at 13/45/2012 09:25PM by techman.\n",
            7,
            "edit time",
        ),
    ],
)
def test_malformed_pages_name_the_line(text, line, message):
    with pytest.raises(FormatError) as caught:
        seed.parse(text)
    if line:
        assert caught.value.line == line
    assert message in caught.value.message


def test_body_without_source_line_is_kept_whole():
    page = seed.parse("ann / March 1, 2012 10:00AM\n\n[T] Title\n\nJust a body.\n")
    assert (page.source_name, page.source_date, page.body) == ("", None, "Just a body.")


# --- the property: writing a page and reading it back gives the same brief ----------------

words = st.text(
    alphabet=st.characters(
        codec="utf-8",
        categories=("L", "N", "P", "S"),
        exclude_characters="[]()\\\x85",
    ),
    min_size=1,
    max_size=12,
)
line_text = st.lists(words, min_size=1, max_size=8).map(" ".join)
minute_times = st.datetimes(
    min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2099, 12, 31)
).map(lambda d: d.replace(second=0, microsecond=0, tzinfo=dt.UTC))
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))
names = st.from_regex(r"[A-Za-z][A-Za-z0-9_.]{0,15}", fullmatch=True)


def _plain(text: str) -> bool:
    """Text a page can carry unambiguously (not mistaken for a label, date or rule)."""
    return not (
        seed._is_section(text.strip())
        or seed._RULE.match(text.strip())
        or seed._TRAILING_DATE.fullmatch(text)
        or seed._SOURCE.fullmatch(text)
        or any(p.fullmatch(text.strip()) for p in seed._TRAIL)
        or text.strip().startswith(("[", "("))
    )


titles = line_text.filter(_plain)
tags = st.lists(words.map(str.strip).filter(bool), max_size=3, unique=True).map(tuple)
paragraphs = st.lists(line_text.filter(_plain), min_size=1, max_size=4).map("\n\n".join)


@st.composite
def contents(draw) -> BriefContent:
    language = draw(st.sampled_from(["en", "zh-hant"]))
    trail = draw(st.none() | st.builds(EditTrail, st.integers(1, 99), minute_times, names))
    has_source = draw(st.booleans())
    return BriefContent(
        uid=draw(st.uuids()),
        translation_key=draw(st.uuids()),
        board=draw(line_text.filter(_plain)).strip(),
        language=language,
        author=draw(names),
        published_at=draw(minute_times),
        title=" ".join(draw(titles).split()),
        tags=tuple(" ".join(t.split()) for t in draw(tags)),
        source_name=" ".join(draw(words).split()) if has_source else "",
        source_date=draw(dates) if has_source else None,
        body=draw(paragraphs),
        links=tuple(
            draw(
                st.lists(
                    st.builds(
                        Link,
                        titles.map(lambda t: " ".join(t.split())),
                        st.sampled_from(["", "https://example.org/a?b=1", "http://x.test/"]),
                        st.none() | dates,
                    ),
                    max_size=3,
                )
            )
        ),
        related=tuple(
            draw(
                st.lists(
                    st.builds(
                        Citation,
                        titles.map(lambda t: " ".join(t.split())),
                        tags,
                        st.none() | dates,
                        st.none() | st.uuids(),
                    ),
                    max_size=3,
                )
            )
        ),
        trail=trail,
    )


def _same_instant(content: BriefContent) -> BriefContent:
    trail = content.trail and EditTrail(content.trail.count, content.trail.at, content.trail.by)
    return BriefContent(**{**content.__dict__, "trail": trail})


@given(contents())
def test_render_then_parse_is_identity(content):
    parsed = seed.parse(seed.render(content, "Asia/Taipei"), "Asia/Taipei")
    assert parsed == _same_instant(content)


def test_uid_urns_are_read_back():
    uid = uuid.uuid4()
    text = (
        f"ann / March 1, 2012 10:00AM\n\n[\\[T\\] Title]({seed.BRIEF_URN}{uid})\n\n"
        "[T] Title\n\nBody.\n"
    )
    assert seed.parse(text).uid == uid


HEADER = "ann / March 1, 2012 10:00AM\n\n"
# Pieces of real pages, shuffled into pages that are almost right.
FRAGMENTS = [
    HEADER, "[T] ", "Title", " ([Chinese Version](#))", "\n\n", "\n", "CENS.com (2012/03/19) ",
    "Body text.", "Related Historical Messages:", "Further Information:",
    "[\\[T\\] A 2011/09/05](#)", "[CENS.com 2012/03/19](https://example.org/)", "-----  ",
    "[Board](#)",
    "Edited 2 time(s). Last edit at 03/20/2012 09:25PM by techman.", "---", "相關歷史訊息：", "(",
    "]", "[", "\\", "2012年3月20日 下午09:20", "\x00", "\ufeff", "\r\n",
]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        HEADER + "[T] a" + " " * 200_000 + "b\n\nBody\n",
        HEADER + "[T] " + "([" * 100_000 + "\n\nBody\n",
        HEADER + "[T] t\n\nx" + " " * 200_000 + "y (2012/01/01) z\n",
        HEADER + "[T] t\n\nBody\n\nEdited 1 time(s). Last edit at " + "1 by " * 40_000 + "\n",
        HEADER + "[T] t\n\nBody\n\n已編輯 1 次。最後編輯於 " + "1，編輯者：" * 40_000 + "\n",
        HEADER + "[T] t\n\nBody\n\nFurther Information:\n\n[a" + " " * 200_000 + "b](#)\n",
    ],
    ids=["heading", "version", "source", "trail", "zh-trail", "link"],
)
def test_hostile_lines_are_read_in_linear_time(text):
    """Each of these took from 10 s to minutes with backtracking patterns; linear is ~10 ms."""
    started = time.perf_counter()
    with contextlib.suppress(FormatError):
        seed.parse(text)
    assert time.perf_counter() - started < 5


@given(st.text(max_size=400) | st.builds("".join, st.lists(st.sampled_from(FRAGMENTS))))
def test_any_text_is_a_brief_or_a_format_error(text):
    try:
        page = seed.parse(text)
    except FormatError as exc:
        assert exc.line >= 0 and exc.message
    else:
        assert page.title and page.body and page.author
