// documents: list documents with optional filters, in uid order, one page at a time
// (keyset pagination: pass the last uid of a page as $after). Null parameters do not
// filter. $uids restricts to a set (the API passes the hits of a text search).
// Parameters: code_key, type, issuer, status, uids, after, limit.
// :param code_key => '52-nq-tw'
// :param type => null
// :param issuer => null
// :param status => null
// :param uids => null
// :param after => null
// :param limit => 50
// The candidates come from an index when $uids or $code_key is given, else a label scan.
CALL () {
  UNWIND coalesce($uids, []) AS u
  MATCH (d:Document {uid: u}) RETURN d
  UNION
  WITH $uids AS uids, $code_key AS key WHERE uids IS NULL AND key IS NOT NULL
  MATCH (d:Document {code_key: key}) RETURN d
  UNION
  WITH $uids AS uids, $code_key AS key WHERE uids IS NULL AND key IS NULL
  MATCH (d:Document) RETURN d
}
WITH d
WHERE ($code_key IS NULL OR d.code_key = $code_key)
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
