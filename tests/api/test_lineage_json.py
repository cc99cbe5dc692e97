"""The lineage JSON is built without the response model: it must be the model's own JSON, byte for byte."""

from __future__ import annotations

import orjson

from api import schemas as s
from api import service
from graph.queries import LINEAGE_NODE
from graph.store import GraphStore


def test_the_querys_node_columns_are_the_models_fields() -> None:
    assert tuple(s.LineageNode.model_fields) == LINEAGE_NODE


def test_lineage_bytes_are_the_response_models_json(demo_store: GraphStore) -> None:
    docs = sorted(n["uid"] for n in demo_store.dump()[0] if "Document" in n["labels"])
    seen_conflicts = seen_due = seen_null_code = False
    for uid in docs:
        for direction in ("up", "down", "both"):
            for depth in (1, 5, service.MAX_DEPTH):
                body = service.lineage(demo_store, uid, direction, depth)
                model = s.Lineage.model_validate_json(body)
                assert body == model.model_dump_json().encode(), (uid, direction, depth)
                seen_conflicts |= any(n.conflicts for n in model.nodes)
                seen_due |= any(n.due for n in model.nodes)
                seen_null_code |= any(n.code is None for n in model.nodes)
                assert list(orjson.loads(body)["nodes"][0]) == list(s.LineageNode.model_fields)
    # the sweep went through the optional fields' both cases
    assert seen_conflicts and seen_due and seen_null_code
