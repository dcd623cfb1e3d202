"""Tag suggestion from any archive: a memory-mapped one has no profiles, so neighbours' tags
come from ``tags_of`` and the centroids from the saved model."""

import datetime as dt

import numpy as np

from newsbrief.related.features import Profile
from newsbrief.related.ranking import Archive
from newsbrief.related.tags import TagModel, TagSuggester

TEXTS = [
    ("Offshore wind farms", "Denmark offshore wind turbines and farms", "energy"),
    ("Wind power", "offshore wind turbines for Taiwan", "energy"),
    ("Chip research", "TSMC and IMEC research on chips", "chips"),
    ("New chips", "chips processes at TSMC", "chips"),
]


def profiles():
    return [
        Profile.of(i, title=t, body=b, language="en", date=dt.date(2012, 3, i + 1), tags=[tag])
        for i, (t, b, tag) in enumerate(TEXTS)
    ]


def test_centroids_are_trained_saved_and_used_without_profiles(tmp_path):
    vectors = np.array([[1, 0, 0], [0.9, 0.1, 0], [0, 1, 0], [0, 0.9, 0.1]], np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    items = profiles()
    model = TagModel.train(((p.terms, p.tags) for p in items), vectors)
    assert model.centroids.shape == (2, 3)
    model.save(tmp_path / "tags.npz")
    loaded_model = TagModel.load(tmp_path / "tags.npz")
    assert np.allclose(loaded_model.centroids, model.centroids)

    Archive(items, vectors).save(tmp_path / "archive")
    archive = Archive.load(tmp_path / "archive")
    assert archive.profiles is None
    suggester = TagSuggester(loaded_model, archive)
    query = Profile.of(None, title="Wind", body="offshore wind turbines", language="en")
    assert suggester.suggest(query, vectors[0])[0][0] == "energy"
    assert suggester.votes(query, vectors[0])[loaded_model.tags.index("energy")] > 0


def test_untagged_examples_do_not_shift_the_vectors():
    items = profiles()
    untagged = Profile.of(9, title="x", body="y", language="en")
    vectors = np.eye(5, 3, dtype=np.float32)
    model = TagModel.train(((p.terms, p.tags) for p in [untagged, *items]), vectors)
    assert np.allclose(
        model.centroids[model.tags.index("energy")], np.array([0, 1, 1]) / np.sqrt(2)
    )
