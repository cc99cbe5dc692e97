"""The web page at / and the Neo4j Browser kit at /browser/* over HTTP (no browser needed):
what is served, the scoped CORS, and that the kit agrees with queries/ and the model."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from graph import queries
from graph.schema import DOC_LABELS, Label, Rel

KIT = queries.QUERIES_DIR / "browser"
GUIDE_QUERIES = ("search", "lineage_up", "lineage_down", "coverage", "obligations", "conflicts")
ORIGIN = "http://127.0.0.1:7474"


def test_page_and_assets(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert 'src="/ui/app.js"' in page.text and 'href="/ui/app.css"' in page.text
    # No external requests: every src/href of the page is local.
    assert not re.search(r'(src|href)="(https?:)?//', page.text)
    js = client.get("/ui/app.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert "/documents?" in js.text and "/reports/coverage?" in js.text and "lineage.svg" in js.text
    assert not re.search(r"https?://", js.text)
    assert client.get("/ui/app.css").headers["content-type"].startswith("text/css")
    assert client.get("/ui/nope.js").status_code == 404
    assert client.get("/ui/..%2Fapp.py").status_code == 404


def test_page_leaves_the_api_alone(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/" not in spec["paths"] and "/ui/{name}" not in spec["paths"]
    assert "/browser/{name}" in spec["paths"]
    assert client.get("/documents", params={"q": "nghi quyet 52"}).json()["items"]
    assert client.get("/search", params={"q": "nghi quyet 52"}).status_code == 200
    assert client.get("/health").json()["status"] == "ok"


@pytest.mark.parametrize(("name", "media"), [("style.grass", "text/plain"), ("guide.html", "text/html")])
def test_kit_files_with_cors(client: TestClient, name: str, media: str) -> None:
    got = client.get(f"/browser/{name}", headers={"Origin": ORIGIN})
    assert got.status_code == 200 and got.headers["content-type"].startswith(media)
    assert got.headers["access-control-allow-origin"] == "*"
    assert got.text == (KIT / name).read_text(encoding="utf-8")
    preflight = client.options(f"/browser/{name}", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "content-type, x-requested-with"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "GET" in preflight.headers["access-control-allow-methods"]
    assert "x-requested-with" in preflight.headers["access-control-allow-headers"].lower()
    assert client.head(f"/browser/{name}").status_code == 200


def test_no_cors_outside_the_kit(client: TestClient) -> None:
    assert client.get("/browser/nope.txt").status_code == 404
    for method, path in (("POST", "/ingest"), ("GET", "/documents"), ("GET", "/reports/coverage")):
        preflight = client.options(path, headers={"Origin": ORIGIN, "Access-Control-Request-Method": method})
        assert "access-control-allow-origin" not in preflight.headers, path
    # The write endpoint never answers cross-origin, whatever the request.
    post = client.post("/ingest", content=b"{}", headers={"Origin": ORIGIN, "Content-Type": "application/json"})
    assert post.status_code == 403 and "access-control-allow-origin" not in post.headers
    preflight = client.options("/browser/guide.html", headers={"Origin": ORIGIN,
                                                               "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 400  # the kit is read-only


class _Guide(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[dict[str, str | None], str]] = []
        self.slides = 0
        self.structure: list[str] = []
        self._pre: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("article", "carousel", "slide"):
            self.structure.append(f"{tag}.{a.get('class')}")
        if tag == "slide":
            self.slides += 1
        if tag == "pre":
            self._pre, self._text = a, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre" and self._pre is not None:
            self.blocks.append((self._pre, "".join(self._text)))
            self._pre = None

    def handle_data(self, data: str) -> None:
        if self._pre is not None:
            self._text.append(data)


def _body(name: str) -> str:
    from graph.guide import query_body

    return query_body(name)


def test_guide_matches_the_named_queries() -> None:
    guide = _Guide()
    guide.feed((KIT / "guide.html").read_text(encoding="utf-8"))
    assert guide.structure[:2] == ["article.guide", "carousel.deck container-fluid"]
    assert guide.slides == guide.structure.count("slide.row-fluid") >= len(GUIDE_QUERIES) + 1
    runnable = [(a, text) for a, text in guide.blocks if "runnable" in (a.get("class") or "").split()]
    named = {a["data-query"]: text for a, text in runnable if a.get("data-query") in queries.names()}
    params = {a["data-params"]: text for a, text in runnable if a.get("data-params")}
    assert set(GUIDE_QUERIES) <= set(named)
    for name, text in named.items():
        assert text.strip() == _body(name), f"guide.html is out of date for {name}: run `kg sync-guide`"
        examples = queries.load(name).examples
        expected = "\n".join(f":param {k} => {v};" for k, v in examples.items())
        assert params.get(name, "").strip() == expected, name
        assert set(re.findall(r"\$(\w+)", text)) <= set(examples), name
    # The write on the last slide is shown, never runnable.
    assert not any(re.search(r"\b(SET|CREATE|MERGE|DELETE|REMOVE)\b", text) for _, text in runnable)


def _grass(text: str) -> dict[str, dict[str, str]]:
    """Browser's own GraSS parsing (GraphStyle.parse): braces only protected inside '...'."""
    rules: dict[str, str] = {}
    keyword = props = ""
    inside_string = inside_props = False
    for c in text:
        if c == "{" and not inside_string:
            inside_props = True
            continue
        if c == "}" and not inside_string:
            inside_props = False
            rules[keyword], keyword, props = props, "", ""
            continue
        if c == "'":
            inside_string = not inside_string
            continue
        if inside_props:
            props += c
        elif not c.isspace():
            keyword += c
    out: dict[str, dict[str, str]] = {}
    for key, body in rules.items():
        out[key] = {}
        for prop in body.split(";"):
            parts = prop.split(":")
            if len(parts) >= 2 and parts[0].strip() and parts[1].strip():
                out[key][parts[0].strip()] = parts[1].strip()
    return out


def test_style_covers_the_model() -> None:
    text = (KIT / "style.grass").read_text(encoding="utf-8")
    assert "/*" not in text and "//" not in text  # Browser's parser knows no comments
    rules = _grass(text)
    assert all(re.fullmatch(r"(node|relationship)(\.\w+)*", key) for key in rules), list(rules)
    assert rules["node.Document"]["caption"] == "{code}"
    assert rules["node.Institution"]["caption"] in ("{short_name}", "{name}")
    for label in [*Label, *DOC_LABELS.values(), "Expected"]:
        assert "color" in rules[f"node.{label}"], label
    for rel in Rel:
        assert f"relationship.{rel}" in rules, rel
    keys = list(rules)
    assert keys.index("node.Expected") > max(keys.index(f"node.{x}") for x in DOC_LABELS.values())
