"""The ranker on hand-made profiles: what counts as earlier, what is excluded, each feature's
say, and ranking without an embedding."""

import datetime as dt
from collections import Counter

import numpy as np
import pytest

from newsbrief.related.features import Profile, entities
from newsbrief.related.lexical import LexicalIndex
from newsbrief.related.ranking import (
    DEFAULT_WEIGHTS,
    RELATED_FLOOR,
    Archive,
    counterparts,
    rank,
)


def item(key, text, day, language="en", tags=()):
    title, _, body = text.partition("\n")
    return Profile.of(
        key, title=title, body=body, language=language, date=dt.date(2012, 3, day), tags=tags
    )


@pytest.fixture
def archive():
    return Archive(
        [
            item("wind", "Offshore wind farms\nTaiwan and Denmark build offshore wind farms.", 1),
            item("chips", "Chip processes\nIMEC and TSMC extend joint research on chips.", 2),
            item("wind2", "More wind\nDenmark offers offshore wind turbines to Taiwan.", 3),
            item("space", "Satellites\nFORMOSAT-7 launch set for 2016 with NOAA.", 4),
            item("later", "Offshore wind again\nTaiwan wind farms, Denmark, offshore.", 9),
        ]
    )


def keys(archive, hits):
    return [archive.profiles[h.index].key for h in hits]


def test_only_earlier_items_are_ranked(archive):
    query = item("q", "Offshore wind\nDenmark and Taiwan sign an offshore wind agreement.", 5)
    found = keys(archive, rank(query, archive, before=query.date))
    assert set(found[:2]) == {"wind2", "wind"}
    assert "later" not in found
    assert "chips" not in found[:2]


def test_same_day_is_not_earlier(archive):
    query = item("q", "Satellites\nFORMOSAT-7 and NOAA.", 4)
    assert "space" not in keys(archive, rank(query, archive, before=query.date))


def test_whole_archive_without_before(archive):
    query = item("q", "Wind\noffshore wind Denmark", 1)
    assert "later" in keys(archive, rank(query, archive, before=None))


def test_exclude(archive):
    query = item("q", "Offshore wind\nDenmark Taiwan offshore wind", 5)
    found = keys(archive, rank(query, archive, before=query.date, exclude={"wind2"}))
    assert "wind2" not in found and found[0] == "wind"


def test_tags_and_recency_break_lexical_ties():
    profiles = [
        item("old", "Report\nsemiconductor report", 1, tags=["chips"]),
        item("new", "Report\nsemiconductor report", 20, tags=["chips"]),
        item("untagged", "Report\nsemiconductor report", 20),
    ]
    archive = Archive(profiles)
    query = item("q", "Report\nsemiconductor report", 21, tags=["chips"])
    assert keys(archive, rank(query, archive, before=query.date)) == ["new", "old", "untagged"]


def test_names_and_numbers_link_languages():
    archive = Archive(
        [
            item("ecfa", "ECFA early harvest\nThe ECFA early harvest list covers 539 items.", 1),
            item("other", "Wind\nOffshore wind farms in Denmark.", 1),
        ]
    )
    query = item("q", "ECFA 早收清單\n兩岸 ECFA 早收清單共 539 項。", 2, language="zh-hant")
    hits = rank(query, archive, before=query.date)
    assert keys(archive, hits)[0] == "ecfa"
    assert hits[0].features["entities"] == 1.0


def test_embedding_is_a_feature_and_optional(archive):
    vectors = np.eye(len(archive), 8, dtype=np.float32)
    with_vectors = Archive(archive.profiles, vectors)
    query = item("q", "Nothing in common\nzzz", 10)
    hit = rank(query, with_vectors, vector=vectors[3], before=query.date)[0]
    assert with_vectors.profiles[hit.index].key == "space"
    assert hit.features["embedding"] == pytest.approx(1.0)
    # Without a vector (no model), the same call ranks on the other features, no error.
    assert rank(query, with_vectors, vector=None, before=query.date) == []


def test_counterparts_rank_other_language_versions():
    english = Archive(
        [
            item(
                "a", "ITRI and Fraunhofer\nITRI signs with Fraunhofer on flexible electronics.", 1
            ),
            item("b", "IMEC\nIMEC extends research with TSMC.", 1),
        ]
    )
    query = item(
        "q", "工研院與 Fraunhofer 簽署備忘錄\nITRI 與 Fraunhofer 合作軟性電子。", 1, "zh-hant"
    )
    assert keys(english, counterparts(query, english))[0] == "a"


def test_entities():
    found = entities(
        "The Ministry of Economic Affairs and ITRI met on 2012/03/19 in Taipei, 1,500."
    )
    assert {"ministry", "economic affairs", "itri", "2012", "03", "19", "taipei", "1500"} <= found
    assert "the" not in found


def test_lexical_index_saves_and_loads(tmp_path):
    docs = [Counter({"wind": 2, "taiwan": 1}), Counter({"chip": 1}), Counter({"wind": 1, "x": 2})]
    index = LexicalIndex.build(docs)
    index.save(tmp_path / "lexical")
    loaded = LexicalIndex.load(tmp_path / "lexical")
    query = Counter({"wind": 1, "chip": 1})
    assert np.allclose(index.scores(query, 3), loaded.scores(query, 3))
    assert index.scores(query, 3)[0] > index.scores(query, 3)[2] > 0  # tf counts


def test_default_weights_are_documented_numbers():
    assert DEFAULT_WEIGHTS.standardise and DEFAULT_WEIGHTS.embedding == 1.0
    assert DEFAULT_WEIGHTS.without_embedding().lexical == DEFAULT_WEIGHTS.lexical_alone


def test_archive_saves_and_loads_memory_mapped_with_an_ann_index(archive, tmp_path):
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((len(archive), 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    built = Archive(archive.profiles, vectors)
    built.save(tmp_path / "archive", ann=True)
    loaded = Archive.load(tmp_path / "archive")
    assert loaded.ann is not None and loaded.profiles is None
    query = item("q", "Offshore wind\nDenmark and Taiwan offshore wind.", 10, tags=["x"])
    for vector in (None, vectors[1]):
        expected = rank(query, built, vector=vector, before=query.date)
        got = rank(query, loaded, vector=vector, before=query.date)
        assert [loaded.keys[h.index] for h in got] == [built.keys[h.index] for h in expected]
        assert [h.score for h in got] == pytest.approx([h.score for h in expected], abs=1e-2)


def test_streamed_archive_equals_the_built_one(archive):
    streamed = Archive.stream(archive.profiles)
    query = item("q", "Offshore wind\nDenmark Taiwan", 10)
    assert [h.index for h in rank(query, streamed, before=query.date)] == [
        h.index for h in rank(query, archive, before=query.date)
    ]


def test_the_floor_keeps_true_history_and_drops_filler():
    # A follow-up sharing words and tags clears the floor; a text sharing one common word
    # does not, though without a floor it is still the best of what there is.
    archive = Archive(
        [
            item(
                "wind",
                "Offshore wind farms\nTaiwan and Denmark build offshore wind.",
                1,
                tags=["energy"],
            ),
            item(
                "chips",
                "Chip processes\nIMEC and TSMC extend research on chips.",
                2,
                tags=["chips"],
            ),
        ]
    )
    again = item(
        "q", "Offshore wind farms\nTaiwan and Denmark build offshore wind.", 3, tags=["energy"]
    )
    hits = rank(again, archive, before=again.date, floor=RELATED_FLOOR)
    assert keys(archive, hits) == ["wind"] and hits[0].confidence >= RELATED_FLOOR
    filler = item("f", "Hockey tonight\nThe research team plays hockey tonight.", 30)
    assert rank(filler, archive, before=filler.date)
    assert rank(filler, archive, before=filler.date, floor=RELATED_FLOOR) == []


def test_confidence_is_absolute_while_the_score_is_relative(archive):
    """The best candidate always has the top lexical value 1.0; its confidence need not."""
    weak = item("w", "Hockey\nhockey and farms", 30)
    hit = rank(weak, archive, before=weak.date)[0]
    assert hit.features["lexical"] == 1.0
    assert hit.confidence < RELATED_FLOOR
    assert 0 < hit.features["lexical_share"] < 1


def test_contributions_add_up_to_the_score(archive):
    query = item("q", "Offshore wind\nDenmark and Taiwan sign an offshore wind agreement.", 5)
    for hit in rank(query, archive, before=query.date):
        assert sum(hit.contributions.values()) == pytest.approx(hit.score)


def test_the_embedding_carries_a_translation_over_the_floor():
    english = item("en", "Offshore wind\nTaiwan and Denmark build offshore wind farms.", 1)
    archive = Archive([english], np.array([[1.0, 0.0]], np.float32))
    chinese = item("zh", "離岸風電\n臺灣與丹麥建造離岸風場。", 3, language="zh-hant")
    assert rank(chinese, archive, before=chinese.date, floor=RELATED_FLOOR) == []
    vector = np.array([0.95, np.sqrt(1 - 0.95**2)], np.float32)
    hits = rank(chinese, archive, vector=vector, before=chinese.date, floor=RELATED_FLOOR)
    assert keys(archive, hits) == ["en"]
