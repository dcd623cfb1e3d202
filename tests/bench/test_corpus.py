"""The benchmark corpus, query set and peers: reproducible, realistic, consistent."""

import datetime as dt
import re
import statistics

import pytest

from newsbrief.bench import corpus, queries

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def sample() -> list[corpus.BenchBrief]:
    return list(corpus.generate(400, seed=7))


def test_same_seed_same_corpus(sample):
    assert list(corpus.generate(40, seed=7)) == sample[:40]
    assert corpus.make_brief(7, 123) == sample[123]
    assert list(corpus.generate(5, seed=7, start=3)) == sample[3:5]


def test_other_seed_other_corpus(sample):
    other = list(corpus.generate(40, seed=8))
    assert [b.title for b in other] != [b.title for b in sample[:40]]


def test_language_mix_and_lengths(sample):
    english = [b for b in sample if b.language == "en"]
    chinese = [b for b in sample if b.language == "zh-hant"]
    assert 0.3 < len(chinese) / len(sample) < 0.6
    words = [len(b.body.split()) for b in english]
    assert min(words) >= 80 and max(words) <= 450
    assert 150 < statistics.median(words) < 280
    chars = [len(b.body) for b in chinese]
    assert min(chars) >= 80 and max(chars) <= 520
    # Chinese briefs carry English names and numbers; some English ones a Chinese name
    assert sum(bool(re.search(r"[A-Za-z0-9]", b.body)) for b in chinese) > 0.9 * len(chinese)
    assert any(HAN.search(b.body) for b in english)
    assert all(len(HAN.findall(b.body)) > 0.7 * len(b.body.replace("\n", "")) for b in chinese[:1])


def test_chinese_is_traditional(sample):
    text = "".join(b.body for b in sample if b.language == "zh-hant")
    assert "這" in text or "們" in text or "個" in text  # Traditional forms
    assert text.count("这") + text.count("们") + text.count("个") == 0  # no Simplified ones


def test_metadata(sample):
    slugs = {slug for slug, _, _ in corpus.CATEGORIES}
    for brief in sample:
        assert brief.title.strip() and 1 <= len(brief.tags) <= 3
        assert set(brief.tags) <= slugs
        assert brief.author in corpus.AUTHORS
        assert dt.datetime(2008, 1, 1, tzinfo=dt.UTC) <= brief.published_at
        assert brief.published_at < dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        assert brief.source_date <= brief.published_at.date()
    years = {b.published_at.year for b in sample}
    assert len(years) > 12
    assert len({b.uid for b in sample}) == len(sample)


def test_content_validates(sample):
    for brief in sample[:20]:
        brief.to_content().validate()


def test_zipf_vocabulary():
    english = corpus.english()
    assert english.weight(0) > 10 * english.weight(100) > 10 * english.weight(2000)
    chinese = corpus.chinese()
    assert len(chinese) > 50_000
    assert chinese.weight(0) > 100 * chinese.weight(20_000)


def test_query_set_is_fixed_and_mixed():
    first = queries.query_set(3, 1000)
    assert first == queries.query_set(3, 1000)
    assert len(first) == 200
    kinds = {q.kind for q in first}
    assert kinds == set(queries.MIX)
    texts = [q.text for q in first]
    assert any(t.startswith('"') for t in texts) and any(t.endswith("*") for t in texts)
    assert any(HAN.search(t) and re.search("[A-Za-z]", t) for t in texts)
    smaller = queries.query_set(3, 1000, size=24)
    assert {q.kind for q in smaller} == kinds
