"""The first write of a node or edge takes a fast path in graph.model; it must give what the
general claim merge gives."""

from __future__ import annotations

from typing import Any

import pytest

from graph import model
from graph.model import _first, merge_node, resolve_claims
from graph.schema import Label


def _general(props: dict[str, Any], claims: dict[str, Any], source: str, evidence: tuple[str, ...]) -> dict[str, Any]:
    """The general path of model._merge, spelled out for an empty existing node."""
    merged: dict[str, Any] = {}
    for key, value in props.items():
        if value is None:
            continue
        merged[key] = model._append_unique([], value) if key in model.UNION_PROPS else value
    merged["sources"] = [source]
    merged["claims"] = model._append_unique([], [model._claim(k, v, source) for k, v in claims.items()
                                                  if v is not None])
    merged["evidence"] = model._append_unique([], evidence)
    typed = {(k, model._claim_value(v)): v for k, v in claims.items() if v is not None}
    chosen, conflicts = resolve_claims(merged["claims"], typed)
    merged.update(chosen)
    merged["conflicts"] = conflicts
    return merged


@pytest.mark.parametrize(("props", "claims", "evidence"), [
    ({"uid": "a", "aliases": ["X", "Y", "X"], "kind": None}, {"name": "Bộ Chính trị", "level": None}, ()),
    ({"uid": "b", "illustrative": True}, {"name": "A", "short_name": "A", "valid_from": "2020-01-01"}, ("e1", "e1")),
    ({"uid": "c"}, {}, ("e2",)),
    ({"uid": "d", "aliases": []}, {"name": "0", "kind": False}, ()),
])
def test_first_write_equals_general_merge(props: dict[str, Any], claims: dict[str, Any],
                                          evidence: tuple[str, ...]) -> None:
    assert _first(props, claims, "src-1", evidence) == _general(props, claims, "src-1", evidence)


def test_second_source_still_records_a_conflict() -> None:
    first = merge_node(None, model.NodeWrite(Label.INSTITUTION, "x", source="s1", claims={"name": "A"}))
    assert first["conflicts"] == [] and first["name"] == "A"
    second = merge_node(first, model.NodeWrite(Label.INSTITUTION, "x", source="s2", claims={"name": "B"}))
    assert second["name"] == "A"  # a tie keeps the first claim
    assert second["conflicts"] == ["name"]
    assert second["sources"] == ["s1", "s2"]


def test_a_field_made_claimable_later_keeps_its_value_against_a_new_source() -> None:
    """Graphs written when owner was a plain property hold it without a claim: a new owner is a conflict."""
    from graph.model import NodeWrite, merge_node
    from graph.schema import Label

    old = {"uid": "exp-a", "type": "programme", "status": "expected", "owner": "bcsd-a", "sources": ["s1"],
           "claims": [], "conflicts": []}
    merged = merge_node(old, NodeWrite(Label.DOCUMENT, "exp-a", source="s2", claims={"owner": "bcsd-b"}))
    assert (merged["owner"], merged["conflicts"]) == ("bcsd-a", ["owner"])
    assert merged["claims"] == ["owner\tbcsd-a\ts1", "owner\tbcsd-b\ts2"]
