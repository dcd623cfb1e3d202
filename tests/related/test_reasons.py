"""Reasons are true: names only (never dates or numbers), only what counted in the score, and
days between the two briefs' own dates."""

import datetime as dt

import pytest

from newsbrief.related.features import Profile
from newsbrief.related.ranking import Scored
from newsbrief.related.reasons import contributed, is_name, reasons


def profile(key, date, body, language="en"):
    return Profile.of(key, title=body, body=body, language=language, date=date)


@pytest.fixture
def pair():
    found = profile("old", dt.date(2012, 1, 7), "ITRI report 2011, issue 11, on 2012/06/01.")
    query = profile("new", dt.date(2012, 3, 20), "ITRI follow-up to 2011 issue 11, 2012/06/01.")
    return query, found


def hit(**contributions):
    return Scored(0, sum(contributions.values()), {}, contributions, 0.5)


@pytest.mark.parametrize("entity", ["2011", "11", "2012/06/01", "3.5", "1,500", "1990s", "11th"])
def test_numbers_and_dates_are_not_names(entity):
    assert not is_name(entity)


@pytest.mark.parametrize("entity", ["itri", "f-16", "formosat-7", "economic affairs"])
def test_names_are_names(entity):
    assert is_name(entity)


def test_shared_names_list_names_only(pair):
    query, found = pair
    assert {"2011", "11", "2012"} <= query.entities & found.entities
    said = reasons(query, found, hit(entities=1.0, lexical=1.0), {})
    assert "shared names: itri" in said


def test_a_reason_only_for_what_counted(pair):
    query, found = pair
    said = reasons(query, found, hit(lexical=5.0, entities=0.1, recency=-0.2), {})
    assert said == ("similar wording",)
    assert contributed(hit(lexical=5.0, entities=0.1, recency=1.0)) == {"lexical", "recency"}


def test_days_count_between_the_two_briefs(pair):
    """73 days apart, whatever today is."""
    query, found = pair
    said = reasons(query, found, hit(lexical=1.0, recency=1.0), {})
    assert said[-1] == "73 days earlier"
