"""Counterparts on profiles (no database, no embedding): the floor, the dictionary evidence,
one-to-one assignment and ties by date."""

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

import newsbrief
from newsbrief.formats.seed import parse
from newsbrief.related import pairing
from newsbrief.related.features import Profile
from newsbrief.related.ranking import Archive, Scored, counterparts
from newsbrief.search.analyzer import analyze

PAGES = Path(newsbrief.__file__).parent / "demo" / "pages"


def demo(name: str) -> Profile:
    """A demo page as the board profiles it, its source line ("Taipei Times (2011/11/02)")
    in the body, as on the brief page."""
    page = parse((PAGES / f"{name}.txt").read_text(encoding="utf-8"))
    source = f"{page.source_name} ({page.source_date:%Y/%m/%d})" if page.source_date else ""
    return Profile.of(
        name,
        title=page.title,
        body=f"{source} {page.body}",
        language=page.language,
        date=page.published_at.date(),
        tags=page.tags,
    )


def test_the_floor_rejects_the_demo_offshore_wind_and_satellite_briefs():
    wind, satellite = demo("20111102_en_offshore-wind"), demo("20111118_zh_formosat-7")
    archive = Archive([satellite])
    hits = pairing.scored(wind, archive)
    # Ranked (it is the only candidate, it shares "2011" and "11"), but not proposed.
    assert hits and not pairing.FLOOR.passes(hits[0])
    assert hits[0].features["evidence"] < pairing.FLOOR.evidence
    assert counterparts(wind, archive) == []
    assert counterparts(satellite, Archive([wind])) == []


@pytest.mark.parametrize("topic", ["forum", "imec", "regenerative-medicine"])
def test_the_floor_accepts_a_true_pair_among_others(topic):
    others = [demo("20111025_zh_metal"), demo("20110722_zh_biotech-israel")]
    archive = Archive([demo(f"{day(topic)}_zh_{topic}"), *others])
    hits = counterparts(demo(f"{day(topic)}_en_{topic}"), archive)
    assert [archive.keys[h.index] for h in hits] == [f"{day(topic)}_zh_{topic}"]


def day(topic: str) -> str:
    return {"forum": "20110905", "imec": "20120112", "regenerative-medicine": "20120508"}[topic]


def test_dictionary_evidence_translates_chinese_words():
    assert "chip" in pairing.translate("晶片")
    assert pairing.translate("的") == frozenset()  # one character: not looked up
    chinese = Counter(analyze("台積電晶片").words)
    assert pairing.dictionary_coverage(chinese, analyze("TSMC chips").words) > 0.3
    assert pairing.dictionary_coverage(chinese, analyze("offshore wind").words) == 0.0


def test_bare_years_are_weak_evidence():
    chinese = Counter(analyze("2011 年 11 月 NOAA").words)
    assert pairing.latin_coverage(chinese, analyze("In 2011, on 11 May").words) == 0.5 / 1.5
    assert pairing.latin_coverage(chinese, analyze("NOAA").words) == 1 / 1.5


def hit(index, score):
    return Scored(index, score, {})


def test_one_to_one_assignment_gives_a_candidate_to_its_best_query():
    rows = {"a": [hit(0, 2.0), hit(1, 1.0)], "b": [hit(0, 2.5), hit(2, 0.5)]}
    chosen = pairing.assign(rows)
    assert chosen["b"].index == 0 and chosen["a"].index == 1


def test_a_rival_that_matches_better_takes_the_candidate():
    english = "ITRI and Fraunhofer\nITRI signs with Fraunhofer on flexible electronics, 2012."
    chinese = "工研院與 Fraunhofer 合作\nITRI 與 Fraunhofer 簽署軟性電子合作，2012。"
    query = Profile.of("q", title="ITRI and Fraunhofer", body="They meet.", language="en")
    rival = Profile.of("r", title=english.split("\n")[0], body=english, language="en")
    title, _, body = chinese.partition("\n")
    archive = Archive([Profile.of("z", title=title, body=body, language="zh-hant")])
    assert counterparts(rival, archive) and counterparts(query, archive, rivals=[])
    assert counterparts(query, archive, rivals=[(rival, None)]) == []


def test_identical_texts_tie_and_the_nearer_date_comes_first():
    text = ("IMEC and TSMC", "IMEC and TSMC extend joint research on 3 nm chips (晶片) to 2015.")
    far, near = (
        Profile.of(k, title=text[0], body=text[1], language="en", date=dt.date(2012, 1, d))
        for k, d in (("far", 2), ("near", 20))
    )
    query = Profile.of(
        "q",
        title="IMEC 與 TSMC",
        body="IMEC 與 TSMC 延長 3 nm 晶片聯合研究至 2015 年。",
        language="zh-hant",
        date=dt.date(2012, 1, 21),
    )
    archive = Archive([far, near])
    hits = pairing.scored(query, archive)
    assert hits[0].score == pytest.approx(hits[1].score)
    assert [archive.keys[h.index] for h in hits] == ["near", "far"]
    # A copy is the same text, not a rival: the margin is over a different text.
    assert hits[0].features["margin"] == pytest.approx(hits[0].score)
