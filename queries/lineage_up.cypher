// lineage_up: where does this document come from? Follows IMPLEMENTS and GUIDES
// upward from the document to its roots (the resolutions it ultimately carries out).
// One row per edge reached within $depth hops: source, target, type and the hop at
// which the edge is first reached (depth 1 = an edge leaving the document).
// The `path` column (the edge as a one-hop path; together they draw the lineage) is for
// Neo4j Browser's graph view; the API ignores it. An edge's depth is one more than its near
// end's distance, from one breadth-first walk (min(length(path)) plans as a pruning BFS
// expand): listing every path first never finished on nine documents with dense cycles.
// Parameters: document (uid), depth (1..20).
// :param document => '15-kh-bcsd.ban-can-su-dang-bo-cong-thuong.2020'
// :param depth => 5
// The hint pins the walk's start: a plan cached on another graph scanned the far ends and
// matched every trail back to the document instead (minutes on dense cycles).
MATCH walk = (root:Document {uid: $document})-[:IMPLEMENTS|GUIDES*0..19]->(near:Document)
USING INDEX root:Document(uid)
WITH near, min(length(walk)) AS hops WHERE hops < $depth
MATCH path = (near)-[r:IMPLEMENTS|GUIDES]->(far:Document)
RETURN near.uid AS source, far.uid AS target, type(r) AS type, hops + 1 AS depth, path
ORDER BY depth, source, target, type
