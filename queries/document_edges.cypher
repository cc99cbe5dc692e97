// document_edges: every relationship of one document, in both directions, for the API's
// document page (one round trip instead of one per relationship type and direction).
// One row per edge and direction: direction ('out': the document is the source, 'in': the
// target), type, source, target (uids) and the edge's properties. Parameters: uid.
// :param uid => '52-nq-tw.bo-chinh-tri.2019'
MATCH (n:Document {uid: $uid})
CALL (n) {
  MATCH (n)-[r]->()
  RETURN 'out' AS direction, r
  UNION ALL
  MATCH (n)<-[r]-()
  RETURN 'in' AS direction, r
}
RETURN direction, type(r) AS type, startNode(r).uid AS source, endNode(r).uid AS target,
       properties(r) AS properties
ORDER BY direction DESC, type, source, target, r.key
