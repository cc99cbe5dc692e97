"""Keep Python's cyclic garbage collector away from a large loaded graph.

A national graph in the memory store is tens of millions of long-lived objects (1M documents:
~9M tracked objects). The collector's full collections scan every tracked object: measured at 1M documents, a
2.5 s pause in the middle of a coverage request, and several of them during the load itself.
So the store loads with the collector paused, then *freezes* what it loaded (``gc.freeze``: the
objects move to a permanent generation that collections skip). Objects created later (writes,
memoised query data, requests) are collected as usual.

A replaced graph (another process rewrote the file) is a reference cycle (networkx caches views
that point back at the graph), so it is freed only by a collection of unfrozen objects: a load
first unfreezes, and the collection before the next freeze frees the old graph.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

# Below this many nodes a full collection costs milliseconds: leave the collector alone.
FREEZE_MIN_NODES = 100_000


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collections inside: for work that builds millions of acyclic objects (a load, an
    export), which refcounting frees anyway and the collector would rescan again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_frozen = False  # whether this module froze the heap (and a replaced graph may sit there)


def settle(nodes: int, replaced: bool = True) -> bool:
    """After loading a graph of ``nodes`` nodes: for a large one, collect once (freeing the graph it
    ``replaced``, if any) and freeze everything alive. A small one only gives back to the collector what an
    earlier large load froze. Returns whether it froze.

    Call it with the collector still paused (inside :func:`collector_paused`): the load's millions
    of objects sit in the youngest generation, and the first collection after re-enabling would
    scan them all (0.7 s at 1M documents) only to find them alive. A first load replaced nothing
    and freezes without that scan."""
    global _frozen
    if nodes < FREEZE_MIN_NODES:
        if _frozen:
            gc.unfreeze()  # a replaced large graph becomes collectable again
            _frozen = False
        return False
    if replaced:
        gc.unfreeze()
        gc.collect()
    gc.freeze()
    _frozen = True
    return True
