import datetime as dt
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsbrief.briefs import dates

TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
SEED_TIME = dt.datetime(2012, 3, 20, 21, 20, tzinfo=TAIPEI)


@pytest.mark.parametrize(
    ("language", "style", "text"),
    [
        ("en", "long", "March 20, 2012 09:20PM"),
        ("en", "short", "03/20/2012 09:20PM"),
        ("zh-hant", "long", "2012年3月20日 下午09:20"),
        ("zh-hant", "short", "2012/03/20 下午09:20"),
    ],
)
def test_formats_per_language(language, style, text):
    assert dates.format_datetime(SEED_TIME, language, style) == text
    assert dates.parse_datetime(text, TAIPEI) == SEED_TIME


def test_noon_and_midnight_on_a_twelve_hour_clock():
    noon, midnight = SEED_TIME.replace(hour=12, minute=0), SEED_TIME.replace(hour=0, minute=5)
    assert dates.format_datetime(noon, "en") == "March 20, 2012 12:00PM"
    assert dates.format_datetime(midnight, "en") == "March 20, 2012 12:05AM"
    assert dates.format_datetime(noon, "zh-hant") == "2012年3月20日 下午12:00"
    assert dates.format_datetime(midnight, "zh-hant") == "2012年3月20日 上午12:05"


def test_months_and_dates():
    assert dates.format_month(2012, 3, "en") == "March 2012"
    assert dates.format_month(2012, 3, "zh-hant") == "2012年3月"
    assert dates.format_date(dt.date(2012, 3, 19)) == "2012/03/19"
    assert dates.parse_date("2012/3/19") == dates.parse_date("2012-03-19") == dt.date(2012, 3, 19)


@pytest.mark.parametrize(
    "text", ["Marchember 20, 2012 09:20PM", "March 20, 2012 00:20PM", "2012/02/30 上午09:00", "x"]
)
def test_rejects_what_the_board_never_writes(text):
    with pytest.raises(ValueError):
        dates.parse_datetime(text, TAIPEI)


@given(
    st.datetimes(min_value=dt.datetime(1000, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.sampled_from(["en", "zh-hant"]),
    st.sampled_from(["long", "short"]),
)
def test_format_then_parse_is_identity_to_the_minute(value, language, style):
    value = value.replace(second=0, microsecond=0, tzinfo=TAIPEI)
    assert dates.parse_datetime(dates.format_datetime(value, language, style), TAIPEI) == value
