// lineage_down: what grew out of this document? The implementation tree under it:
// every document that IMPLEMENTS or GUIDES it, directly or through a chain.
// One row per edge reached within $depth hops: source (the lower document), target,
// type and depth (1 = documents that implement/guide it directly). The API derives the
// counts per level from `depth`; `path` is for Neo4j Browser's graph view.
// Parameters: document (uid), depth (1..20).
// :param document => '52-nq-tw.bo-chinh-tri.2019'
// :param depth => 5
MATCH path = (:Document {uid: $document})<-[:IMPLEMENTS|GUIDES*1..20]-(:Document)
WHERE length(path) <= $depth
UNWIND range(0, length(path) - 1) AS i
WITH path, relationships(path)[i] AS r, i + 1 AS hop
WITH startNode(r).uid AS source, endNode(r).uid AS target, type(r) AS type,
     min(hop) AS depth, collect(path)[0] AS path
RETURN source, target, type, depth, path
ORDER BY depth, source, target, type
