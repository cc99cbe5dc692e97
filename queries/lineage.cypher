// lineage: the lineage view of a document as the API serves it, in one round trip.
// One row (none if $document is not a document): `nodes`, the document (depth 0), those
// it comes from within $up hops (IMPLEMENTS|GUIDES upwards, depth -1, -2, ...) and those
// that grew out of it within $down hops (depth 1, 2, ...), ordered by (depth, uid), each
// as [uid, code, type, title, status, issued_on, issuer, due, conflicts, depth]; `edges`,
// the lineage edges reached (upwards ones first), each once, by (depth, source, target,
// type), each as [source, target, type]; `truncated`, whether a bound cut edges off (an
// edge one hop further exists). A node reached both ways keeps its upward depth. 0 skips
// a direction. Same edges as lineage_up / lineage_down, without the Browser's path column.
// Lists, not maps: Neo4j writes and the driver reads a map's keys with every value, and
// at 1M documents maps made a 170-document view ~1.3 ms slower (docs/benchmarks.md).
// Parameters: document (uid), up (0..20), down (0..20).
// :param document => '15-kh-bcsd.ban-can-su-dang-bo-cong-thuong.2020'
// :param up => 5
// :param down => 5
MATCH (root:Document {uid: $document})
USING INDEX root:Document(uid)
// An edge's depth is that of the shortest path it ends: one more than its near end's
// distance, which min(length(path)) gets from one breadth-first walk (Neo4j plans it as a
// pruning BFS expand; enumerating every path instead was exponential in diamonds: 1.1-1.8 s
// for 18 levels of two plans each implementing both of the level above, 10-17 ms now).
// A node's distance is the least depth of the edges that reach it. An edge e of `ups` /
// `downs` is [source, target, type, depth, far], far being the node it reaches.
CALL (root) {
  WITH root WHERE $up > 0
  MATCH path = (root)-[:IMPLEMENTS|GUIDES*0..19]->(near:Document)
  WITH near, min(length(path)) AS hops WHERE hops < $up
  MATCH (near)-[r:IMPLEMENTS|GUIDES]->(far:Document)
  WITH far, hops + 1 AS depth, near.uid AS source, far.uid AS target, type(r) AS type
  ORDER BY depth, source, target, type
  RETURN collect([source, target, type, depth, far]) AS ups
}
CALL (root) {
  WITH root WHERE $down > 0
  MATCH path = (root)<-[:IMPLEMENTS|GUIDES*0..19]-(near:Document)
  WITH near, min(length(path)) AS hops WHERE hops < $down
  MATCH (near)<-[r:IMPLEMENTS|GUIDES]-(far:Document)
  WITH far, hops + 1 AS depth, far.uid AS source, near.uid AS target, type(r) AS type
  ORDER BY depth, source, target, type
  RETURN collect([source, target, type, depth, far]) AS downs
}
// Cut off: a node exactly at the bound (no nearer) with a lineage edge one hop further.
WITH root, ups, downs,
     [e IN ups WHERE e[3] = $up | e[4]] AS up_rim, [e IN ups WHERE e[3] < $up | e[4]] AS up_inner,
     [e IN downs WHERE e[3] = $down | e[4]] AS down_rim,
     [e IN downs WHERE e[3] < $down | e[4]] AS down_inner
WITH root, ups, downs,
     any(x IN up_rim WHERE x <> root AND NOT x IN up_inner
             AND EXISTS { (x)-[:IMPLEMENTS|GUIDES]->(:Document) }) AS cut_up,
     any(x IN down_rim WHERE x <> root AND NOT x IN down_inner
             AND EXISTS { (x)<-[:IMPLEMENTS|GUIDES]-(:Document) }) AS cut_down
CALL (root, ups, downs) {
  UNWIND [[root, 0]] + [e IN ups | [e[4], -e[3]]] + [e IN downs | [e[4], e[3]]] AS reached
  WITH reached[0] AS n, reached[1] AS depth
  WITH n, max(CASE WHEN depth <= 0 THEN depth END) AS above, min(depth) AS below
  WITH n, coalesce(above, below) AS depth
  // shown_issuer: the least uid of its ISSUED_BY ends, kept by the writer (a property read here,
  // where expanding each node's ISSUED_BY cost ~0.6 ms of a 170-document view).
  WITH n, depth ORDER BY depth, n.uid
  RETURN collect([n.uid, n.code, n.type, n.title, n.status, n.issued_on, n.shown_issuer, n.due,
                  n.conflicts, depth]) AS nodes
}
// Each edge once: an edge reached both ways (a cycle) is listed with the upward ones.
WITH nodes, cut_up, cut_down,
     [e IN ups | [e[0], e[1], e[2]]] AS up_edges,
     [e IN downs | [e[0], e[1], e[2]]] AS down_edges
RETURN nodes, up_edges + [e IN down_edges WHERE NOT e IN up_edges] AS edges,
       (cut_up OR cut_down) AS truncated
