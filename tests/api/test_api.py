"""The HTTP contract, through the ASGI app, on both stores."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import Settings
from graph.store import GraphStore
from tests.conftest import load_demo, make_store

NQ52 = "52-nq-tw.bo-chinh-tri.2019"
KH15 = "15-kh-bcsd.ban-can-su-dang-bo-cong-thuong.2020"
HD116 = "116-hd-btgtw.ban-tuyen-giao-trung-uong.2020"
TU = "thanh-uy-thanh-pho-ho-chi-minh"
BCSD_UBND = "ban-can-su-dang-uy-ban-nhan-dan-thanh-pho-ho-chi-minh"
PROBLEM = "application/problem+json"


def test_documents_list_and_filters(client: TestClient) -> None:
    body = client.get("/documents", params={"code": "52 - NQ/TW"}).json()
    assert [d["uid"] for d in body["items"]] == [NQ52]
    item = body["items"][0]
    assert item["issuer"] == {"uid": "bo-chinh-tri", "name": "Bộ Chính trị"}
    assert (item["code"], item["type"], item["issued_on"], item["status"], item["conflicts"]) == \
        ("52-NQ/TW", "resolution", "2019-09-27", "issued", ["issued_on"])
    expected = client.get("/documents", params={"status": "expected"}).json()["items"]
    assert [d["uid"] for d in expected] == ["hcmc-programme-52"]
    folded = client.get("/documents", params={"q": "nghi quyet 52"}).json()["items"]
    accented = client.get("/documents", params={"q": "Nghị quyết 52"}).json()["items"]
    assert folded == accented and NQ52 in {d["uid"] for d in folded}


def test_documents_pagination_visits_everything_once(client: TestClient) -> None:
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/documents", params=params).json()
        seen += [d["uid"] for d in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 9


def test_document_detail_has_sources_and_edges(client: TestClient) -> None:
    body = client.get(f"/documents/{NQ52}").json()
    assert {src["uid"] for src in body["sources"]} == {"src-primer", "src-press-2014"}
    assert {(e["type"], e["source"]) for e in body["incoming"]} >= {("GUIDES", HD116), ("IMPLEMENTS", KH15)}
    assert {"field": "issued_on", "value": "2014-09-27", "source": "src-press-2014"} in body["claims"]


def test_lineage(client: TestClient) -> None:
    down = client.get(f"/documents/{NQ52}/lineage", params={"direction": "down"}).json()
    uids = {n["uid"] for n in down["nodes"]}
    assert {HD116, KH15, NQ52} <= uids
    assert {"source": HD116, "target": NQ52, "type": "GUIDES"} in down["edges"]
    assert down["truncated"] is False
    up = client.get(f"/documents/{KH15}/lineage", params={"direction": "up"}).json()
    assert {n["uid"] for n in up["nodes"]} == {KH15, NQ52}
    shallow = client.get(f"/documents/{NQ52}/lineage", params={"direction": "down", "depth": 1}).json()
    assert shallow["truncated"] is True
    assert "quan-1-plan-52" not in {n["uid"] for n in shallow["nodes"]}


def test_coverage_after_q2_2020(client: TestClient) -> None:
    body = client.get("/coverage", params={"document": NQ52, "scope": TU, "as_of": "2020-12-31"}).json()
    status = {u["institution"]["uid"]: u["status"] for u in body["units"]}
    assert status[BCSD_UBND] == "overdue" and status[TU] == "overdue"
    assert status["quan-uy-quan-1"] == "covered" and status["quan-uy-binh-thanh"] == "expected"
    assert status["ban-tuyen-giao-thanh-uy-thanh-pho-ho-chi-minh"] == "missing"
    assert body["summary"] == {"covered": 4, "expected": 1, "overdue": 3, "missing": 1, "total": 9, "late": 1}
    late = [u for u in body["units"] if u["late"]]
    assert [(u["institution"]["uid"], u["due"], u["covered_on"]) for u in late] == [
        ("huyen-uy-can-gio", "2020-09-30", "2020-10-15")]
    before = client.get("/coverage", params={"document": NQ52, "scope": TU, "as_of": "2020-05-01"}).json()
    assert {u["institution"]["uid"]: u["status"] for u in before["units"]}[BCSD_UBND] == "expected"


def test_coverage_names_its_scope_whether_or_not_it_is_valid_on_the_day(client: TestClient) -> None:
    # valid: the scope is its own level-0 unit; dissolved on 2025-06-30: not among the units, named all the same
    valid = client.get("/coverage", params={"document": NQ52, "scope": "quan-uy-quan-1", "as_of": "2020-12-31"}).json()
    assert valid["scope"] == {"uid": "quan-uy-quan-1", "name": "Quận ủy Quận 1"}
    assert valid["units"][0]["institution"]["uid"] == "quan-uy-quan-1" and valid["units"][0]["level"] == 0
    gone = client.get("/coverage", params={"document": NQ52, "scope": "quan-uy-quan-1", "as_of": "2025-12-31"}).json()
    assert gone["scope"] == {"uid": "quan-uy-quan-1", "name": "Quận ủy Quận 1"}
    assert "quan-uy-quan-1" not in {u["institution"]["uid"] for u in gone["units"]}
    assert gone["note"] == ("quan-uy-quan-1 did not exist on 2025-12-31 (it existed until 2025-06-30), so no unit "
                            "under it is audited") and valid["note"] is None
    merged = client.get("/coverage", params={"document": NQ52, "scope": "ban-tuyen-giao-trung-uong",
                                             "as_of": "2025-12-31"}).json()
    assert merged["note"].endswith("(it existed until 2025-02-28), so no unit under it is audited; it was "
                                   "superseded by ban-tuyen-giao-va-dan-van-trung-uong")


def test_units_under_a_scope_gone_on_the_day_are_audited_without_a_note(write_client: TestClient) -> None:
    """A scope dissolved before the day with a unit under it still valid: that unit is audited, so the
    note (which says no unit is) is absent; it used to be sent beside the unit it denied."""
    body = ("source: t\nsources: [{id: t, title: t}]\ninstitutions:\n"
            "  - {id: top, name: Top, kind: party_committee, level: provincial, valid_to: 2020-12-31}\n"
            "  - {id: kid, name: Kid, kind: party_committee, level: district, part_of: top}\n"
            "documents:\n"
            "  - {code: 1-NQ/TU, issuer: top, issued_on: 2020-03-01, type: resolution,\n"
            "     assigns: [{to: kid, task: Xây dựng kế hoạch, deadline: 2020-06-30}]}\n")
    ok = write_client.post("/ingest", content=body.encode(),
                           headers={"Content-Type": "application/yaml", "X-API-Key": "test-key"})
    assert ok.status_code == 201, ok.text
    cov = write_client.get("/coverage", params={"document": "1-nq-tu.top.2020", "scope": "top",
                                                "as_of": "2021-06-01"}).json()
    assert [(u["institution"]["uid"], u["status"]) for u in cov["units"]] == [("kid", "overdue")]
    assert cov["scope"] == {"uid": "top", "name": "Top"} and cov["note"] is None


def test_coverage_csv_has_the_same_rows(client: TestClient) -> None:
    params = {"document": NQ52, "scope": TU, "as_of": "2020-12-31"}
    body = client.get("/coverage", params=params).json()
    response = client.get("/coverage", params={**params, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["institution"], r["status"]) for r in rows] == \
        [(u["institution"]["uid"], u["status"]) for u in body["units"]]
    # one CSV for an audit, whichever route gives it
    assert response.content == client.get("/reports/coverage", params={**params, "format": "csv"}).content
    assert client.get("/coverage", params={**params, "scope": "nobody", "format": "csv"}).status_code == 404


def test_institutions_and_obligations(client: TestClient) -> None:
    hits = client.get("/institutions", params={"q": "thanh uy"}).json()["items"]
    assert TU in {i["uid"] for i in hits}
    detail = client.get(f"/institutions/{TU}").json()
    assert "quan-uy-quan-1" in {m["uid"] for m in detail["members"]}
    ob = client.get(f"/institutions/{BCSD_UBND}/obligations").json()
    assert [(t["deadline"], t["due"], t["fulfilled"]) for t in ob["tasks"]] == \
        [("trong quý II năm 2020", "2020-06-30", False)]
    assert [r["counterpart"] for r in ob["reports_to"]] == ["ban-thuong-vu-thanh-uy-thanh-pho-ho-chi-minh"]
    assert [r["cadence"] for r in ob["reports_to"]] == ["yearly"]


def test_search_takes_as_many_words_and_as_long_a_word_as_the_index_does(client: TestClient) -> None:
    words = "nghi quyet 52 " + " ".join(f"w{i}" for i in range(61))
    assert client.get("/search", params={"q": words}).json()["items"] == []
    assert client.get("/documents", params={"q": "nghi quyet 52 " + "a" * 255}).json()["items"] == []
    repeated = client.get("/search", params={"q": "nghi nghi quyet " * 200 + "52"}).json()["items"]
    assert NQ52 in {h["uid"] for h in repeated}  # distinct words are counted


def test_a_code_of_thousands_of_digits_is_a_code_that_names_no_document(client: TestClient) -> None:
    """Its key once went through int(), which Python refuses beyond 4,300 digits: a 500."""
    response = client.get("/documents", params={"code": "5" * 5000 + "-NQ/TW"})
    assert response.status_code == 200 and response.json()["items"] == []


def test_search_and_conflicts(client: TestClient) -> None:
    hits = client.get("/search", params={"q": "nghi quyet 52"}).json()["items"]
    assert NQ52 in {h["uid"] for h in hits}
    conflicts = client.get("/conflicts").json()
    assert conflicts == [{
        "subject": NQ52, "kind": "Document", "field": "issued_on",
        "values": [
            {"value": "2019-09-27", "sources": [conflicts[0]["values"][0]["sources"][0]]},
            {"value": "2014-09-27", "sources": [conflicts[0]["values"][1]["sources"][0]]},
        ]}]
    assert conflicts[0]["values"][0]["sources"][0]["uid"] == "src-primer"
    assert conflicts[0]["values"][1]["sources"][0]["uid"] == "src-press-2014"


@pytest.mark.parametrize(("url", "status"), [
    ("/documents/no-such-doc", 404),
    ("/documents/no-such-doc/lineage", 404),
    (f"/documents/{NQ52}/lineage?depth=21", 422),
    (f"/documents/{NQ52}/lineage?direction=sideways", 422),
    ("/documents?code=not-a-code", 422),
    ("/documents?cursor=%%%", 422),
    (f"/coverage?document={NQ52}&scope=nowhere", 404),
    (f"/coverage?document=no-such-doc&scope={TU}", 404),
    (f"/coverage?document={NQ52}&scope={NQ52}", 404),  # a document is not a scope
    (f"/coverage?document={TU}&scope={TU}", 404),  # nor an institution a document
    (f"/coverage?document={NQ52}&scope={TU}&as_of=2020-13-01", 422),
    ("/institutions/nowhere/obligations", 404),
    # more words than a full-text query takes, and a word longer than the index holds whole (both were 500s)
    ("/search?q=" + "+".join(f"w{i}" for i in range(65)), 422),
    ("/documents?q=" + "+".join(f"w{i}" for i in range(2000)), 422),
    ("/institutions?q=" + "a" * 256, 422),
])
def test_errors_are_problem_json(client: TestClient, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["detail"]


def test_ingest_requires_a_configured_key(client: TestClient) -> None:
    response = client.post("/ingest", content=b"documents: []", headers={"Content-Type": "application/yaml"})
    assert response.status_code == 403 and response.headers["content-type"] == PROBLEM


def test_ingest_with_key(write_client: TestClient) -> None:
    body = "code,issuer,issued_on,implements\n11-KH/QU,quan-uy-binh-thanh,2020-08-01,52-NQ/TW\n"
    headers = {"Content-Type": "text/csv"}
    assert write_client.post("/ingest", content=body, headers=headers).status_code == 401
    assert write_client.post("/ingest", content=body, headers={**headers, "X-API-Key": "wrong"}).status_code == 401
    ok = write_client.post("/ingest", content=body, headers={**headers, "X-API-Key": "test-key"})
    assert ok.status_code == 201, ok.text
    cov = write_client.get("/coverage", params={"document": NQ52, "scope": TU, "as_of": "2020-12-31"}).json()
    assert {u["institution"]["uid"]: u["status"] for u in cov["units"]}["quan-uy-binh-thanh"] == "covered"
    bad = write_client.post("/ingest", content="code,issuer\n12-KH/QU,nobody\n",
                            headers={**headers, "X-API-Key": "test-key"})
    assert bad.status_code == 422 and "line 2" in bad.json()["detail"]


@pytest.mark.parametrize(("name", "path"), [("plans", "plans.csv"), ("plans.csv", "plans.csv"),
                                          ("PLANS.CSV", "PLANS.CSV"), ("plans.yaml", "plans.yaml.csv")])
def test_an_upload_is_named_with_its_format_extension_once(write_client: TestClient, name: str, path: str) -> None:
    body = "code,issuer,issued_on,implements\n13-KH/QU,quan-uy-binh-thanh,2020-08-01,52-NQ/TW\n"
    response = write_client.post("/ingest", params={"name": name}, content=body,
                                 headers={"Content-Type": "text/csv", "X-API-Key": "test-key"})
    assert response.status_code == 201, response.text
    assert response.json()["path"] == path


@pytest.mark.parametrize("chunked", [False, True])
def test_an_upload_over_the_size_limit_is_a_413_and_writes_nothing(demo_store: GraphStore, chunked: bool) -> None:
    """Refused from its Content-Length, or while a chunked body streams in, before it is held whole."""
    body = b"code,issuer,issued_on,implements\n14-KH/QU,quan-uy-binh-thanh,2020-08-01,52-NQ/TW\n"
    settings = Settings(kg_api_key="test-key", kg_api_max_upload_bytes=len(body) - 1)
    headers = {"Content-Type": "text/csv", "X-API-Key": "test-key"}
    before = demo_store.stats()
    with TestClient(create_app(store=demo_store, settings=settings)) as c:
        content = (body[i:i + 16] for i in range(0, len(body), 16)) if chunked else body
        response = c.post("/ingest", content=content, headers=headers)
        assert response.status_code == 413, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert "KG_API_MAX_UPLOAD_BYTES" in response.json()["detail"]
        assert demo_store.stats() == before
    with TestClient(create_app(store=demo_store, settings=Settings(kg_api_key="test-key",
                                                                   kg_api_max_upload_bytes=len(body)))) as c:
        assert c.post("/ingest", content=body, headers=headers).status_code == 201  # the limit itself is fine


def test_a_yaml_value_that_cannot_be_built_is_a_422(write_client: TestClient) -> None:
    """"!!bool maybe" made PyYAML raise KeyError: a 500 from the route."""
    body = "source: s\nsources: [{id: s, title: S}]\ndocuments:\n  - {code: 15-KH/QU, title: !!bool maybe}\n"
    response = write_client.post("/ingest", content=body.encode(),
                                 headers={"Content-Type": "application/yaml", "X-API-Key": "test-key"})
    assert response.status_code == 422, response.text
    assert "line 4" in response.json()["detail"] and "'maybe' (bool) cannot be read" in response.json()["detail"]


def test_an_upload_of_many_bad_rows_gets_a_bounded_error(write_client: TestClient) -> None:
    """20,000 rows each with a bad date: the 422 listed every problem, twice (detail and list), at ~25x the
    upload's size (a 64 MiB upload would have made ~1.6 GB). It lists the first 100 and counts the rest."""
    rows = "".join(f"{i}-KH/QU,quan-uy-binh-thanh,2020-13-{i % 28 + 1:02d}\n" for i in range(1, 20001))
    body = ("code,issuer,issued_on\n" + rows).encode()
    response = write_client.post("/ingest", content=body, headers={"Content-Type": "text/csv", "X-API-Key": "test-key"})
    assert response.status_code == 422, response.text[:300]
    problem = response.json()
    assert problem["problem_count"] >= 20000 and len(problem["problems"]) == 100
    assert f"and {problem['problem_count'] - 100:,} more problems" in problem["detail"]
    assert len(response.content) < len(body)


@pytest.mark.parametrize("name", ["../../x", "/etc/passwd", "a\x00b", "", "x" * 129, ".hidden"])
def test_an_upload_name_is_a_plain_file_name(write_client: TestClient, name: str) -> None:
    """?name= is recorded as the source's path: '../../x' or '/etc/passwd' let an uploader spoof provenance."""
    response = write_client.post("/ingest", params={"name": name}, content=b"code,issuer\n",
                                 headers={"Content-Type": "text/csv", "X-API-Key": "test-key"})
    assert response.status_code == 422, response.text


def test_conflicts_of_two_tasks_to_one_unit_are_two_subjects(write_client: TestClient) -> None:
    """Two tasks of one plan for one unit, each dated differently by two sources: one conflict per task,
    its subject naming the edge's key (the rows of the two edges were merged or repeated before)."""
    headers = {"Content-Type": "application/yaml", "X-API-Key": "test-key"}
    unit = "uy-ban-nhan-dan-quan-1"
    for source, quarter in (("a", "II"), ("b", "III")):
        body = (f"source: {source}\nsources: [{{id: {source}, title: {source}}}]\ndocuments:\n"
                "  - {code: 77-KH/QU, issuer: quan-uy-quan-1, issued_on: 2020-03-01,\n"
                f"     assigns: [{{to: {unit}, task: Tuyên truyền, deadline: trong quý {quarter} năm 2020}},\n"
                f"               {{to: {unit}, task: Sơ kết, deadline: trong quý {quarter} năm 2020}}]}}\n")
        response = write_client.post("/ingest", content=body.encode(), headers=headers)
        assert response.status_code == 201, response.text
    plan = "77-kh-qu.quan-uy-quan-1.2020"
    edges = [c for c in write_client.get("/conflicts").json() if c["kind"] == "ASSIGNS"]
    subjects = sorted({c["subject"] for c in edges})
    assert len(subjects) == 2
    assert all(s.startswith(f"{plan} -ASSIGNS[") and s.endswith(f"]-> {unit}") for s in subjects)
    assert [(c["subject"], c["field"]) for c in edges] == [(s, f) for s in subjects for f in ("deadline", "due")]
    for c in edges:
        assert [[src["uid"] for src in v["sources"]] for v in c["values"]] == [["src-a"], ["src-b"]]


def test_ingest_key_with_non_ascii_characters(demo_store: GraphStore) -> None:
    """A key holding non-ASCII characters, right or wrong, is compared (compare_digest refuses such str)."""
    app = create_app(store=demo_store, settings=Settings(kg_api_key="khóa-bí-mật"))
    body = "code,issuer,issued_on,implements\n11-KH/QU,quan-uy-binh-thanh,2020-08-01,52-NQ/TW\n"
    with TestClient(app) as c:
        wrong = c.post("/ingest", content=body,
                       headers=[(b"content-type", b"text/csv"), (b"x-api-key", "sécret".encode())])
        assert wrong.status_code == 401 and wrong.headers["content-type"] == PROBLEM
        right = c.post("/ingest", content=body,
                       headers=[(b"content-type", b"text/csv"), (b"x-api-key", "khóa-bí-mật".encode())])
        assert right.status_code == 201, right.text


def test_an_upload_name_in_nfd_names_the_same_source_as_in_nfc(write_client: TestClient) -> None:
    import unicodedata

    body = "code,issuer,issued_on,implements\n11-KH/QU,quan-uy-binh-thanh,2020-08-01,52-NQ/TW\n"
    headers = {"Content-Type": "text/csv", "X-API-Key": "test-key"}
    composed = write_client.post("/ingest", content=body, headers=headers, params={"name": "Kế hoạch Bình Thạnh"})
    decomposed = write_client.post("/ingest", content=body, headers=headers,
                                   params={"name": unicodedata.normalize("NFD", "Kế hoạch Bình Thạnh")})
    assert composed.status_code == decomposed.status_code == 201
    assert composed.json()["path"] == decomposed.json()["path"] == "Kế hoạch Bình Thạnh.csv"
    assert composed.json()["sources"] == decomposed.json()["sources"]


# one body per layer that refuses (reading, shapes, the writer); the cases themselves are in
# tests/test_files.py, tests/test_ingest_errors.py and the contract suite
@pytest.mark.parametrize(("ctype", "body", "detail"), [
    ("text/csv", b"code,title\n1/NQ-TW,x\xff\n", "line 2: not UTF-8: byte 0xff"),
    ("application/yaml", b"documents:\n  - {code: 99-NQ/TW, issuer: bo-chinh-tri, title: [1]}\n",
     "line 2: 'title' must be text, not a list"),
    ("application/yaml", b"documents:\n  - {uid: bo-chinh-tri, type: plan, title: X}\n",
     "line 2: uid 'bo-chinh-tri' is already an Institution in the graph"),
    # a parser's recursion per level of nesting was a 500
    ("application/json", b'{"documents": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "values nested too deeply"),
    ("application/yaml", b"documents: " + b"[" * 50_000 + b"]" * 50_000 + b"\n", "values nested too deeply"),
])
def test_ingest_of_a_bad_body_is_a_422_and_writes_nothing(write_client: TestClient, demo_store: GraphStore,
                                                          ctype: str, body: bytes, detail: str) -> None:
    before = demo_store.dump()
    bad = write_client.post("/ingest", content=body, headers={"Content-Type": ctype, "X-API-Key": "test-key"})
    assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM, bad.text
    assert detail in bad.json()["detail"]
    assert demo_store.dump() == before
    assert write_client.get("/institutions/bo-chinh-tri").status_code == 200


def test_text_filtered_lists_are_complete(write_client: TestClient) -> None:
    """More hits than any search pool: every page of /documents?q= is walked, and institutions are not
    crowded out of /institutions?q= by the documents that share their words."""
    rows = "\n".join(f"{i:04d}-KH/QU,quan-uy-quan-1,2020-08-01,Kế hoạch {i} Thành phố Hồ Chí Minh"
                     for i in range(1, 1006))
    ok = write_client.post("/ingest", content=f"code,issuer,issued_on,title\n{rows}\n".encode(),
                           headers={"Content-Type": "text/csv", "X-API-Key": "test-key"})
    assert ok.status_code == 201, ok.text
    seen, cursor = [], None
    while True:
        page = write_client.get("/documents", params={"q": "ho chi minh ke hoach", "limit": 500,
                                                      **({"cursor": cursor} if cursor else {})}).json()
        seen += [d["uid"] for d in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert len(seen) == len(set(seen)) >= 1005 and seen == sorted(seen)
    institutions = write_client.get("/institutions", params={"q": "ho chi minh"}).json()["items"]
    assert TU in [i["uid"] for i in institutions]
    assert write_client.get("/documents", params={"q": "!!!"}).json()["items"] == []


def test_openapi_declares_the_problems_the_api_sends(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    lineage = spec["paths"]["/documents/{uid}/lineage"]["get"]["responses"]
    assert lineage["404"]["content"] == lineage["422"]["content"] == lineage["503"]["content"] == problem
    assert {"401", "403", "415", "422"} <= set(spec["paths"]["/ingest"]["post"]["responses"])
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert set(spec["components"]["schemas"]["Problem"]["required"]) == {"title", "status", "detail", "instance"}
    # and what is sent matches it
    bad = client.get("/documents/x/lineage", params={"depth": 0})
    assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM
    assert {"title", "status", "detail", "instance", "errors"} <= set(bad.json())


def test_small_contract_points(client: TestClient) -> None:
    wrong = client.post("/documents")
    assert wrong.status_code == 405 and wrong.headers["allow"] == "GET"
    assert client.get("/documents", params={"type": "bogus"}).status_code == 422
    assert client.get("/documents", params={"type": "plan"}).json()["items"]
    params = {"document": NQ52, "scope": TU}
    for route in ("/coverage", "/reports/coverage"):
        assert client.get(route, params={**params, "as_of": "86400"}).status_code == 422  # not a Unix time
        assert client.get(route, params={**params, "as_of": "2020-W53-1"}).status_code == 422  # nor a week date
        assert client.get(route, params={**params, "as_of": "31/12/2020"}).status_code == 422
    assert client.get("/coverage", params={**params, "as_of": "20201231"}).json()["as_of"] == "2020-12-31"
    nfd = "Cu\u0309 Chi"
    assert client.get("/search", params={"q": nfd}).json()["query"] == "Củ Chi"


URLS = [
    "/documents", "/documents?q=nghi%20quyet%2052", "/documents?status=expected", f"/documents/{NQ52}",
    f"/documents/{NQ52}/lineage?direction=both&depth=3", f"/documents/{KH15}/lineage?direction=up",
    f"/coverage?document={NQ52}&scope={TU}&as_of=2020-12-31", "/institutions", "/institutions?q=uy%20ban",
    f"/institutions/{TU}", f"/institutions/{BCSD_UBND}/obligations", "/search?q=thanh%20uy", "/conflicts",
    "/documents/hcmc-btv-letter-52-2020", "/documents/hcmc-reminder-52-2020",  # edges with several properties
]


@pytest.fixture(scope="module")
def two_clients(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[tuple[TestClient, TestClient]]:
    tmp = tmp_path_factory.mktemp("api-both")
    clients = []
    for kind in ("memory", "neo4j"):
        store = make_store(kind, request, tmp)
        load_demo(store)
        clients.append(TestClient(create_app(store=store, settings=Settings())))
    with clients[0] as a, clients[1] as b:
        yield a, b


@pytest.mark.parametrize("url", URLS)
def test_both_stores_give_identical_json(two_clients: tuple[TestClient, TestClient], url: str) -> None:
    memory, neo = two_clients
    a, b = memory.get(url), neo.get(url)
    assert a.status_code == b.status_code == 200
    assert a.content == b.content  # the same bytes: key order too (an edge's properties differed in it)


def test_coverage_report_html_and_lineage_svg(client: TestClient) -> None:
    params = {"document": NQ52, "scope": TU, "as_of": "2020-12-31"}
    html = client.get("/reports/coverage", params=params)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "quan-uy-quan-1" in html.text and "http://" not in html.text
    # only the report's own script may run: its hash is in the policy (the browser test runs it under it)
    import base64
    import hashlib
    import re as _re

    script = _re.search(r"<script>(.*?)</script>", html.text, _re.S)
    assert script is not None and html.text.count("<script") == 1
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in html.headers["content-security-policy"]
    assert html.headers["x-content-type-options"] == "nosniff"
    csv_bytes = client.get("/reports/coverage", params={**params, "format": "csv"}).content
    assert csv_bytes.startswith("\ufeff".encode())
    svg = client.get(f"/documents/{NQ52}/lineage.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.headers["content-security-policy"].startswith("default-src 'none'")
    import xml.etree.ElementTree as ET

    ET.fromstring(svg.content)
    assert client.get("/documents/nope/lineage.svg").status_code == 404


def test_an_unexpected_error_is_a_500_in_problem_json(demo_store: GraphStore,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug's 500 was text/plain, outside the API's problem+json contract."""
    def bug(name: str, params: dict[str, object]) -> list[dict[str, object]]:
        raise RuntimeError("a bug")

    monkeypatch.setattr(demo_store, "run", bug)  # a fault injected into the store's reads
    with TestClient(create_app(store=demo_store, settings=Settings(kg_api_key=None)),
                    raise_server_exceptions=False) as c:
        response = c.get("/documents")
    assert response.status_code == 500 and response.headers["content-type"] == PROBLEM
    assert response.json()["detail"] == "an unexpected RuntimeError: the server's log has the details"
