// documents: list documents with optional filters, in uid order, one page at a time
// (keyset pagination: pass the last uid of a page as $after). Null parameters do not
// filter. $terms keeps the documents a text search finds (a Lucene query in which every
// term is required, as for `search`: the API builds it from the user's words); $uids
// restricts to a set.
// Parameters: terms, code_key, type, issuer, status, uids, after, limit.
// :param terms => null
// :param code_key => '52-nq-tw'
// :param type => null
// :param issuer => null
// :param status => null
// :param uids => null
// :param after => null
// :param limit => 50
// The candidates come from an index when $terms, $uids or $code_key is given (in that
// order), else a label scan; every parameter then filters them.
CALL () {
  WITH $terms AS terms WHERE terms IS NOT NULL
  CALL db.index.fulltext.queryNodes('kg_search', terms) YIELD node
  WITH node AS d WHERE d:Document
  RETURN d
  UNION
  WITH $terms AS terms WHERE terms IS NULL
  UNWIND coalesce($uids, []) AS u
  MATCH (d:Document {uid: u}) RETURN d
  UNION
  WITH $terms AS terms, $uids AS uids, $code_key AS key WHERE terms IS NULL AND uids IS NULL AND key IS NOT NULL
  MATCH (d:Document {code_key: key}) RETURN d
  UNION
  WITH $terms AS terms, $uids AS uids, $code_key AS key WHERE terms IS NULL AND uids IS NULL AND key IS NULL
  MATCH (d:Document) RETURN d
}
WITH d
WHERE ($uids IS NULL OR d.uid IN $uids)
  AND ($code_key IS NULL OR d.code_key = $code_key)
  AND ($type IS NULL OR d.type = $type)
  AND ($issuer IS NULL OR d.issuer = $issuer)
  AND ($status IS NULL OR d.status = $status)
  AND ($after IS NULL OR d.uid > $after)
WITH d ORDER BY d.uid LIMIT $limit
// A joint document has several issuers: the one with the least uid stands for them.
CALL (d) {
  OPTIONAL MATCH (d)-[:ISSUED_BY]->(i:Institution)
  WITH i ORDER BY i.uid LIMIT 1
  RETURN i
}
RETURN d.uid AS uid, d.code AS code, d.type AS type, d.title AS title,
       d.issued_on AS issued_on, d.status AS status, d.conflicts AS conflicts,
       d.owner AS owner, d.due AS due, i.uid AS issuer, i.name AS issuer_name
ORDER BY uid
