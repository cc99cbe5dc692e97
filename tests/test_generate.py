"""The synthetic national data set: ingestible into both stores, and the coverage
query returns exactly the statuses of its ground truth; deterministic for a seed."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from graph.schema import InstKind
from graph.store import GraphStore
from ingest.generate import GroundTruth, generate, load_ground_truth
from ingest.loader import ingest_path

SMALL = {"provinces": 3, "communes_per_province": 4, "resolutions": 2, "coverage": 0.8}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GroundTruth]:
    out = tmp_path_factory.mktemp("generated")
    return out, generate(out, seed=7, **SMALL)


def test_ground_truth_file_matches_return_value(dataset: tuple[Path, GroundTruth]) -> None:
    out, truth = dataset
    assert load_ground_truth(out / "ground_truth.json") == json.loads(json.dumps(truth.to_json()))
    assert len(truth.resolutions) == 2
    assert set(truth.resolutions[0].scopes) == {truth.root, *truth.provinces}
    statuses = Counter(s for r in truth.resolutions for s in r.scopes[truth.root].values())
    assert set(statuses) == {"covered", "overdue", "expected", "missing"}
    late = [unit for r in truth.resolutions for unit in r.late]
    assert late and all(truth.resolutions[0].scopes[truth.root].get(u, "covered") == "covered"
                        for u in truth.resolutions[0].late)  # some covered units were late


def test_coverage_matches_ground_truth(store: GraphStore, dataset: tuple[Path, GroundTruth]) -> None:
    out, truth = dataset
    for name in truth.files:
        ingest_path(store, out / name)
    checked = 0
    for res in truth.resolutions:
        for scope, expected in res.scopes.items():
            rows = store.run("coverage", {"document": res.uid, "scope": scope, "as_of": res.as_of})
            got = {row["institution"]: row["status"] for row in rows}
            assert got == expected, (res.uid, scope)
            assert sorted(row["institution"] for row in rows if row["late"]) == \
                [unit for unit in res.late if unit in expected], (res.uid, scope)
            checked += len(got)
        lineage = store.run("lineage_up", {"document": res.deepest, "depth": 12})
        assert (lineage[-1]["target"], lineage[-1]["depth"]) == (res.uid, 3)
    assert checked == 2 * (3 * 6 + 3 + 3 * 6)  # 3 provinces x 6 units, root: 3 central + the same


def test_ingest_is_idempotent(store: GraphStore, dataset: tuple[Path, GroundTruth]) -> None:
    out, truth = dataset
    for name in truth.files:
        ingest_path(store, out / name)
    before = store.stats().as_dict()
    ingest_path(store, out / truth.files[-1])
    assert store.stats().as_dict() == before


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    generate(tmp_path / "a", seed=3, **SMALL)
    generate(tmp_path / "b", seed=3, **SMALL)
    generate(tmp_path / "c", seed=4, **SMALL)
    a, b, c = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert a == b
    assert a != c
    assert "ground_truth.json" in a and "data/00-central.json" in a


def test_names_are_nfc_and_codes_repeat_across_issuers(dataset: tuple[Path, GroundTruth]) -> None:
    import unicodedata

    out, truth = dataset
    text = (out / truth.files[-1]).read_text(encoding="utf-8")
    assert text == unicodedata.normalize("NFC", text)
    docs = json.loads(text)["documents"]
    programmes = [d for d in docs if d["code"].endswith("-CTr/TU")]
    assert len(programmes) == 3 and len({d["id"] for d in programmes}) == 3
    assert len({d["code"] for d in programmes}) == 1


def test_every_institution_kind_is_declared(dataset: tuple[Path, GroundTruth]) -> None:
    """The generator wrote 'peoples_committee' where the demo and the schema say 'people_committee'."""
    kinds = {inst.get("kind") for path in (dataset[0] / "data").glob("*.json")
             for inst in json.loads(path.read_text(encoding="utf-8")).get("institutions", [])}
    assert kinds and kinds <= {k.value for k in InstKind}


def test_a_run_into_an_earlier_runs_folder_replaces_its_files_and_refuses_foreign_ones(tmp_path: Path) -> None:
    """An earlier run of more resolutions left its files in data/, which `kg ingest OUT/data` then read
    with this run's (and failed, or changed the graph under the ground truth silently)."""
    out = tmp_path / "g"
    generate(out, provinces=2, communes_per_province=1, resolutions=3, seed=1)
    fewer = generate(out, provinces=1, communes_per_province=1, resolutions=1, seed=1)
    assert sorted(f"data/{p.name}" for p in (out / "data").iterdir()) == sorted(fewer.files)
    (out / "data" / "mine.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match=r"holds files no earlier run listed \(mine.json\)"):
        generate(out, provinces=1, communes_per_province=1, resolutions=1, seed=1)
    assert (out / "data" / "mine.json").exists()
