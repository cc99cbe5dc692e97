"""Exports of the whole graph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from graph.store import GraphStore


def _flat(value: Any) -> Any:
    """GraphML holds scalars only: lists become '; '-joined strings."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def write_graphml(store: GraphStore, path: Path) -> tuple[int, int]:
    nodes, edges = store.dump()
    graph = nx.MultiDiGraph()
    for props in nodes:
        graph.add_node(props["uid"], **{k: _flat(v) for k, v in props.items() if k != "uid"})
    for rel, start, end, props in edges:
        attrs = {("edge_key" if k == "key" else k): _flat(v) for k, v in props.items()}
        graph.add_edge(start, end, f"{rel}|{props.get('key', '')}", type=rel, **attrs)
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(graph, path)
    return graph.number_of_nodes(), graph.number_of_edges()
