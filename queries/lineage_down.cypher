// lineage_down: what grew out of this document? The implementation tree under it:
// every document that IMPLEMENTS or GUIDES it, directly or through a chain.
// One row per edge reached within $depth hops: source (the lower document), target,
// type and depth (1 = documents that implement/guide it directly). The API derives the
// counts per level from `depth`. (No `path` column: on a national tree, shipping every
// path costs ten times the query; use lineage_up, or add `RETURN path`, for a graph view.)
// Parameters: document (uid), depth (1..20).
// :param document => '52-nq-tw.bo-chinh-tri.2019'
// :param depth => 5
MATCH path = (:Document {uid: $document})<-[:IMPLEMENTS|GUIDES*1..20]-(:Document)
WHERE length(path) <= $depth
// Every edge is the last one of some path: its depth is the shortest such path.
WITH last(relationships(path)) AS r, length(path) AS hop
WITH r, min(hop) AS depth
RETURN startNode(r).uid AS source, endNode(r).uid AS target, type(r) AS type, depth
ORDER BY depth, source, target, type
