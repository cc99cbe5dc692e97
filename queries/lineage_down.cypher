// lineage_down: what grew out of this document? The implementation tree under it:
// every document that IMPLEMENTS or GUIDES it, directly or through a chain.
// One row per edge reached within $depth hops: source (the lower document), target,
// type and depth (1 = documents that implement/guide it directly). The API derives the
// counts per level from `depth`. (No `path` column: on a national tree, shipping every
// path costs ten times the query; use lineage_up, or add `RETURN path`, for a graph view.)
// Parameters: document (uid), depth (1..20).
// :param document => '52-nq-tw.bo-chinh-tri.2019'
// :param depth => 5
// An edge's depth is that of the shortest path it ends: one more than its near end's
// distance (one breadth-first walk, not every path: see `lineage`).
// The hint pins the walk's start (see `lineage_up`).
MATCH path = (root:Document {uid: $document})<-[:IMPLEMENTS|GUIDES*0..19]-(near:Document)
USING INDEX root:Document(uid)
WITH near, min(length(path)) AS hops WHERE hops < $depth
MATCH (near)<-[r:IMPLEMENTS|GUIDES]-(far:Document)
RETURN far.uid AS source, near.uid AS target, type(r) AS type, hops + 1 AS depth
ORDER BY depth, source, target, type
