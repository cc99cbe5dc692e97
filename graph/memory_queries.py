"""The named queries of ``queries/``, implemented over networkx.

Each function returns exactly the rows its ``.cypher`` twin returns, so that the
two stores answer identically (the contract suite checks it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx

Row = dict[str, Any]
QueryFn = Callable[[nx.MultiDiGraph, dict[str, Any]], list[Row]]

QUERIES: dict[str, QueryFn] = {}


def named(name: str) -> Callable[[QueryFn], QueryFn]:
    def register(fn: QueryFn) -> QueryFn:
        QUERIES[name] = fn
        return fn

    return register


def run(graph: nx.MultiDiGraph, name: str, params: dict[str, Any]) -> list[Row]:
    try:
        fn = QUERIES[name]
    except KeyError:
        raise KeyError(f"no named query {name!r}") from None
    return fn(graph, params)
