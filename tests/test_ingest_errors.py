"""Records the loader refuses, each at its line, with nothing written (store-independent checks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.memory import MemoryStore
from ingest.files import IngestError
from tests.conftest import load_demo, refused

BAD = [
    ("documents:\n  - code: 09-KH/QU\n    issuer: quan-uy-quan-1\n    assigns:\n"
     "      - {to: uy-ban-nhan-dan-quan-1, task: x, dedline: trong quý II năm 2020}\n",
     "line 5: unknown field(s) ['dedline'] for an 'assigns' entry"),
    ("relations:\n  - {type: REPORTS_TO, from: quan-uy-quan-1, to: bo-chinh-tri, cadance: monthly}\n",
     "line 2: unknown field(s) ['cadance'] for a relation"),
    ("institutions:\n  - id: so-y-te\n    name: Sở Y tế\n    reports_to: [{to: bo-chinh-tri, cadense: yearly}]\n",
     "line 4: unknown field(s) ['cadense'] for a 'reports_to' entry"),
    ("institutions:\n  - name: '!!!'\n", "line 2: cannot make a uid of '!!!': give the institution an 'id'"),
    ("institutions:\n  - name: 中文\n", "line 2: cannot make a uid of '中文'"),
    ("documents:\n  - {id: '%%%', type: plan, issuer: quan-uy-quan-1}\n",
     "line 2: cannot make a uid of '%%%': give the document an 'id'"),
    ("documents:\n  - {id: kh, code: 01-KH/QU, issuer: quan-uy-quan-1}\n"
     "  - {id: kh, code: 02-KH/QU, issuer: quan-uy-quan-1}\n",
     "line 3: id 'kh' is already used at line 2: an id names one record"),
    ("institutions:\n  - {id: x, name: A}\n  - {id: x, name: B}\n", "line 3: id 'x' is already used at line 2"),
    # ids that become one uid: two records silently merged into one node before
    ("institutions:\n  - {id: Bo-A, name: A}\n  - {id: bo-a, name: B}\n",
     "line 3: id 'bo-a' is 'Bo-A' once made a uid, used at line 2: an id names one record"),
    ("documents:\n  - {id: Kế hoạch A, type: plan, title: A}\n  - {id: ke-hoach-a, type: plan, title: B}\n",
     "line 3: id 'ke-hoach-a' is 'Kế hoạch A' once made a uid, used at line 2"),
    ("sources:\n  - {id: Báo, title: A}\n  - {id: bao, title: B}\n", "line 3: id 'bao' is 'Báo' once made a uid"),
    # loops: a document in its own lineage, a body part of itself
    ("documents:\n  - {code: 31-KH/QU, issuer: quan-uy-quan-1, issued_on: 2020-05-05, implements: 31-KH/QU}\n",
     "line 2: IMPLEMENTS from 31-kh-qu.quan-uy-quan-1.2020 to itself: a node cannot relate to itself"),
    ("institutions:\n  - {id: x, name: A, part_of: x}\n", "line 2: PART_OF from x to itself"),
    # a day the calendar lacks: the due was the end of the month it holds
    ("documents:\n  - {code: 32-KH/QU, issuer: quan-uy-quan-1, issued_on: 2020-05-05,\n"
     "     assigns: [{to: uy-ban-nhan-dan-quan-1, task: x, deadline: 31 tháng 4 năm 2020}]}\n",
     "line 3: deadline '31 tháng 4 năm 2020': '31 tháng 4 năm 2020' is not a day of the calendar"),
    ("documents:\n  - {id: e, type: plan, status: expected, owner: quan-uy-quan-1, deadline: trước 30/2/2021}\n",
     "line 2: deadline 'trước 30/2/2021': '30/2/2021' is not a day of the calendar"),
    ("relations:\n  - {type: GUIDES, from: 52-NQ/TW, to: 52-nq-tw.bo-chinh-tri.2019}\n",
     "line 2: GUIDES from 52-nq-tw.bo-chinh-tri.2019 to itself"),
    ("institutions:\n  - {id: x, name: " + "Ủy ban " * 200 + "}\n",
     "line 2: 'name' is 1,399 characters long: at most 1,000 (it is indexed)"),
    ("documents:\n  - {code: 18-KH/QU, type: resolution, issuer: quan-uy-quan-1, issued_on: 2020-05-05}\n",
     "line 2: type 'resolution' contradicts the code '18-KH/QU', whose KH means 'plan': give type 'plan' or leave "
     "it out"),
    ("institutions:\n  - {id: x, name: A, kind: wizard}\n",
     "line 2: unknown institution kind 'wizard'; expected one of ['party_committee', 'party_standing_committee', "
     "'party_department', 'party_delegation', 'government', 'ministry', 'ministry_unit', 'people_committee']"),
    ("institutions:\n  - {id: x, name: A, valid_from: 2025-07-01, valid_to: 2020-01-01}\n",
     "line 2: valid_to 2020-01-01 is before valid_from 2025-07-01"),
    ("documents:\n  - {code: 30-KH/QU, issuer: quan-uy-quan-1, issued_on: 2020-05-05, fulfils: 116-HD/BTGTW}\n",
     "line 2: 30-kh-qu.quan-uy-quan-1.2020 cannot fulfil 116-hd-btgtw.ban-tuyen-giao-trung-uong.2020: it is an "
     "issued document"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_refused_at_the_line(tmp_path: Path, text: str, message: str) -> None:
    store = MemoryStore(tmp_path / "kg.json")
    load_demo(store)
    assert f"bad.yaml: {message}" in refused(store, tmp_path / "bad.yaml", text)


def test_an_empty_text_file_is_refused(tmp_path: Path) -> None:
    from ingest.text_loader import ingest_text_path

    store = MemoryStore(tmp_path / "kg.json")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"empty.txt: the file holds no text"):
        ingest_text_path(store, empty)
    assert store.stats().total_nodes == 0


def test_a_type_that_agrees_with_the_code_or_a_code_without_one(tmp_path: Path) -> None:
    """The code's abbreviation decides the type; a code without one (an official letter's) takes any."""
    from ingest.loader import ingest_path

    store = MemoryStore(tmp_path / "kg.json")
    load_demo(store)
    path = tmp_path / "types.yaml"
    path.write_text("documents:\n  - {code: 18-KH/QU, type: Plan, issuer: quan-uy-quan-1, issued_on: 2020-05-05}\n"
                    "  - {code: 1906/VPCP-KGVX, type: notice, issuer: quan-uy-quan-1, issued_on: 2020-05-06}\n",
                    encoding="utf-8")
    ingest_path(store, path)
    found = store.get_nodes(["18-kh-qu.quan-uy-quan-1.2020", "1906-vpcp-kgvx.quan-uy-quan-1.2020"])
    assert sorted(n["type"] for n in found.values()) == ["notice", "plan"]


def test_an_explicit_cadence_leaves_the_deadline_its_due_day(tmp_path: Path) -> None:
    """A cadence given beside the deadline stopped the deadline being read: no due."""
    from ingest.loader import ingest_path

    store = MemoryStore(tmp_path / "kg.json")
    load_demo(store)
    path = tmp_path / "cadence.yaml"
    path.write_text("documents:\n  - {code: 33-KH/QU, issuer: quan-uy-quan-1, issued_on: 2020-05-05,\n"
                    "     assigns: [{to: uy-ban-nhan-dan-quan-1, task: Báo cáo, cadence: yearly,\n"
                    "                deadline: trước ngày 15/12/2020}]}\n", encoding="utf-8")
    ingest_path(store, path)
    ob = store.run("obligations", {"institution": "uy-ban-nhan-dan-quan-1"})
    assert [(r["due"], r["cadence"]) for r in ob if r.get("document") == "33-kh-qu.quan-uy-quan-1.2020"] == \
        [("2020-12-15", "yearly")]
