"""tantivy and bare FTS5 search the same analyzed text and agree on what matches."""

import pytest

from newsbrief.bench.peers import Fts5Peer, TantivyPeer, peer_tree

analyzer = pytest.importorskip("newsbrief.search.analyzer")

TEXTS = [
    "TSMC expands wafer capacity in Hsinchu; 晶圓代工產能 NT$3.6 billion",
    "Foundry capacity rises as 半導體產業合作 grows",
    "Solar panel makers cut prices 太陽能 面板",
    "台積電 與 ECFA 早收清單 foundries",
]
QUERIES = {
    "capacity": {1, 2},
    '"foundry capacity"': {2},
    "found*": {2, 4},
    "晶圓": {1},
    "晶圆": {1},
    "半導體產業": {2},
    "ECFA 早收清單": {4},
    "tsmc -hsinchu": set(),
    "solar OR ecfa": {3, 4},
}


@pytest.fixture(scope="module", params=[TantivyPeer, Fts5Peer])
def peer(request, tmp_path_factory):
    docs = [(i + 1, " ".join(analyzer.index_terms(t))) for i, t in enumerate(TEXTS)]
    built = request.param(tmp_path_factory.mktemp("peer") / "index")
    built.build(docs, total=len(docs), progress=False)
    built.open()
    assert built.size() > 0
    return built


@pytest.mark.parametrize("query", QUERIES)
def test_peer_matches(peer, query):
    found = peer.search(peer_tree(analyzer.parse_query(query)), limit=10)
    assert {doc_id for doc_id, _ in found} == QUERIES[query]
    assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)
