"""Text search on both stores: folded words with no stop words, and the two ways the Neo4j queries
read hits (sorting up to 10,000 full-text hits, or walking uids when a search has more)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph.store import GraphStore
from graph.text import search_text, words
from ingest.loader import ingest_path
from tests.conftest import make_store

PROVINCES = ["An Giang", "Kiên Giang", "Hà Nội", "Đồng Tháp"]
BROAD = 10_050  # more full-text hits than the queries sort (10,000)


def _write(path: Path, institutions: list[dict[str, Any]], documents: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"source": "test", "sources": [{"id": "test", "title": "test data"}],
                                "institutions": institutions, "documents": documents}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def _institutions() -> list[dict[str, Any]]:
    return [{"id": f"uy-ban-nhan-dan-tinh-{i}", "name": f"Ủy ban nhân dân tỉnh {name}", "kind": "people_committee",
             "level": "province"} for i, name in enumerate(PROVINCES)]


def _documents(n: int) -> list[dict[str, Any]]:
    docs = []
    for i in range(n):
        province = i % len(PROVINCES)
        extra = " cụ thể" if i % 5 == 0 else " ổn định" if i % 5 == 1 else ""
        docs.append({"id": f"kh-{i:05d}", "type": "plan" if i % 7 else "programme",
                     "title": f"Kế hoạch số {i} của tỉnh {PROVINCES[province]}{extra}",
                     "issuer": f"uy-ban-nhan-dan-tinh-{province}", "issued_on": "2021-03-01"})
    return docs


def _docs(store: GraphStore, q: list[str] | None, **filters: Any) -> list[str]:
    """Every page of `documents`, 1,000 at a time, by cursor."""
    params: dict[str, Any] = {"words": q, "code_key": None, "type": None, "issuer": None, "status": None,
                              "uids": None, "after": None, "limit": 1000} | filters
    out: list[str] = []
    while page := [r["uid"] for r in store.run("documents", params)]:
        out += page
        params["after"] = page[-1]
    return out


def test_search_text_is_the_folded_words() -> None:
    assert words("Nghị quyết số 52-NQ/TW, TP.HCM; Đảng") == ["nghi", "quyet", "so", "52", "nq", "tw", "tp", "hcm",
                                                          "dang"]
    assert search_text("Kế hoạch  của Ủy ban\tnhân dân") == "ke hoach cua uy ban nhan dan"
    assert search_text("ke hoach cua uy ban") == "ke hoach cua uy ban"


@pytest.fixture(params=["memory", "neo4j"])
def small(request: pytest.FixtureRequest, tmp_path: Path) -> GraphStore:
    store = make_store(request.param, request, tmp_path)
    ingest_path(store, _write(tmp_path / "small.json", _institutions(), _documents(20)))
    return store


def test_folded_vietnamese_words_are_not_stop_words(small: GraphStore) -> None:
    """'standard-folding' dropped English stop words: "+an +giang" matched every "Giang", "thể" nothing."""
    def hits(q: str) -> list[str]:
        return [r["uid"] for r in small.run("search", {"words": words(q), "limit": 100})]

    an_giang = [f"kh-{i:05d}" for i in range(0, 20, 4)]
    assert hits("An Giang") == [*an_giang, "uy-ban-nhan-dan-tinh-0"]
    assert hits("cụ thể") == [f"kh-{i:05d}" for i in range(0, 20, 5)]
    assert hits("thể") == hits("cụ thể")
    assert hits("ổn định") == [f"kh-{i:05d}" for i in range(1, 20, 5)]
    assert _docs(small, words("An Giang")) == an_giang
    assert [r["uid"] for r in small.run("institutions", {"words": ["an"], "uids": None, "after": None,
                                                         "limit": 10})] == ["uy-ban-nhan-dan-tinh-0"]


def test_a_query_without_words_finds_nothing(small: GraphStore) -> None:
    assert _docs(small, []) == []
    assert small.run("search", {"words": [], "limit": 10}) == []
    assert small.run("institutions", {"words": [], "uids": None, "after": None, "limit": 10}) == []


@pytest.fixture(scope="module", params=["memory", "neo4j"])
def broad(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    tmp = tmp_path_factory.mktemp("broad")
    store = make_store(request.param, request, tmp)
    ingest_path(store, _write(tmp / "broad.json", _institutions(), _documents(BROAD)))
    return store


def test_a_search_with_more_hits_than_the_pool_pages_through_all(broad: GraphStore) -> None:
    every = [f"kh-{i:05d}" for i in range(BROAD)]
    assert _docs(broad, ["ke", "hoach"]) == every  # > 10,000 hits: the uid walk
    assert _docs(broad, ["ke", "hoach", "an", "giang"]) == every[::4]  # 2,513 hits: the sorted pool
    assert _docs(broad, ["ke", "hoach"], type="programme") == every[::7]
    assert _docs(broad, ["hoach"], issuer="uy-ban-nhan-dan-tinh-1", after="kh-09000") == \
        [f"kh-{i:05d}" for i in range(9001, BROAD) if i % 4 == 1]
    assert _docs(broad, ["ke", "hoach"], uids=["kh-00003", "kh-10049", "uy-ban-nhan-dan-tinh-0"]) == \
        ["kh-00003", "kh-10049"]
    assert _docs(broad, ["ke", "hoach", "khong"]) == []
    search = broad.run("search", {"words": ["tinh"], "limit": 3})  # documents first, then institutions
    assert [(r["uid"], r["kind"]) for r in search] == [(u, "document") for u in every[:3]]
    assert [r["uid"] for r in broad.run("institutions", {"words": ["tinh"], "uids": None, "after": None,
                                                         "limit": 10})] == \
        [f"uy-ban-nhan-dan-tinh-{i}" for i in range(4)]


def test_neo4j_graphs_indexed_with_stop_words_are_migrated(neo4j_driver: Any, request: pytest.FixtureRequest,
                                                            tmp_path: Path) -> None:
    """A graph written before search text was folded: the old index is replaced and the text folded."""
    store = make_store("neo4j", request, tmp_path)
    ingest_path(store, _write(tmp_path / "small.json", _institutions(), _documents(20)))
    neo4j_driver.execute_query("DROP INDEX kg_search")  # type: ignore[attr-defined]
    neo4j_driver.execute_query(  # type: ignore[attr-defined]
        "CREATE FULLTEXT INDEX kg_search FOR (n:Document|Institution) ON EACH [n.search_text] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}")
    neo4j_driver.execute_query(  # type: ignore[attr-defined]
        "MATCH (n:Document) SET n.search_text = 'Kế hoạch ' + n.title")
    neo4j_driver.execute_query("CALL db.awaitIndexes(60)")  # type: ignore[attr-defined]
    before = store.version()
    assert store.run("search", {"words": ["an", "giang"], "limit": 100}) != []  # only "giang" counted
    store.ensure_schema()
    analyzer = neo4j_driver.execute_query(  # type: ignore[attr-defined]
        "SHOW FULLTEXT INDEXES YIELD name, options WHERE name = 'kg_search' "
        "RETURN options.indexConfig['fulltext.analyzer'] AS a").records[0]["a"]
    assert analyzer == "standard-no-stop-words"
    assert store.version() != before
    text = store.get_nodes(["kh-00001"])["kh-00001"]["search_text"]
    assert text == "ke hoach ke hoach so 1 cua tinh kien giang on dinh"
    assert [r["uid"] for r in store.run("search", {"words": ["an", "giang"], "limit": 100})] == \
        [*(f"kh-{i:05d}" for i in range(0, 20, 4)), "uy-ban-nhan-dan-tinh-0"]
    store.ensure_schema()  # nothing left to migrate
