// lineage_up: where does this document come from? Follows IMPLEMENTS and GUIDES
// upward from the document to its roots (the resolutions it ultimately carries out).
// One row per edge reached within $depth hops: source, target, type and the hop at
// which the edge is first reached (depth 1 = an edge leaving the document).
// The `path` column is for Neo4j Browser's graph view; the API ignores it.
// Parameters: document (uid), depth (1..20).
// :param document => '15-kh-bcsd.ban-can-su-dang-bo-cong-thuong.2020'
// :param depth => 5
MATCH path = (:Document {uid: $document})-[:IMPLEMENTS|GUIDES*1..20]->(:Document)
WHERE length(path) <= $depth
UNWIND range(0, length(path) - 1) AS i
WITH path, relationships(path)[i] AS r, i + 1 AS hop
WITH startNode(r).uid AS source, endNode(r).uid AS target, type(r) AS type,
     min(hop) AS depth, collect(path)[0] AS path
RETURN source, target, type, depth, path
ORDER BY depth, source, target, type
