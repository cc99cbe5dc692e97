// documents: list documents with optional filters, in uid order, one page at a time
// (keyset pagination: pass the last uid of a page as $after). Null parameters do not
// filter. $words keeps the documents whose search text holds every one of these words,
// folded as the API folds the user's text ("Nghị quyết 52" -> ['nghi', 'quyet', '52']);
// an empty list finds none. $uids restricts to a set.
// Parameters: words, code_key, type, issuer, status, uids, after, limit.
// :param words => null
// :param code_key => '52-nq-tw'
// :param type => null
// :param issuer => null
// :param status => null
// :param uids => null
// :param after => null
// :param limit => 50
// $issuer keeps the documents it issued, alone or jointly (a joint document is listed
// under each issuer, and shown with the one of least uid).
// The candidates come from the full-text index when $words is given, else from $uids,
// the code_key index or the issuer's ISSUED_BY edges; with none of these, or with more
// than 10,000 full-text hits (a word in most titles: the hits are counted first, up to
// 10,001), the query walks the documents in uid order, testing each one, until the page
// is full, rather than sorting every document or hit. Each source is a seek whose key is
// null when its branch does not apply: the planner puts a parameter-only filter after the
// scan it guards, so a WHERE would not skip the scan (a procedure call keeps its filter
// in front of it).
CALL () {
  WITH $words AS words WHERE size(words) > 0
  CALL db.index.fulltext.queryNodes('kg_search', reduce(q = '', w IN $words | q + ' +' + w), {limit: 10001}) YIELD node
  RETURN count(node) AS hits
}
WITH CASE WHEN hits > 10000 OR ($words IS NULL AND $uids IS NULL AND $code_key IS NULL AND $issuer IS NULL)
          THEN coalesce($after, '') END AS walk_from
CALL (walk_from) {
  WITH walk_from WHERE walk_from IS NULL AND size($words) > 0
  CALL db.index.fulltext.queryNodes('kg_search', reduce(q = '', w IN $words | q + ' +' + w)) YIELD node
  WITH node AS d WHERE d:Document
  RETURN d
  UNION ALL
  UNWIND CASE WHEN $words IS NULL THEN coalesce($uids, []) ELSE [] END AS u
  WITH DISTINCT u
  MATCH (d:Document {uid: u})
  RETURN d
  UNION ALL
  MATCH (d:Document {code_key: CASE WHEN $words IS NULL AND $uids IS NULL THEN $code_key END})
  RETURN d
  UNION ALL
  MATCH (:Institution {uid: CASE WHEN $words IS NULL AND $uids IS NULL AND $code_key IS NULL THEN $issuer END})
        <-[:ISSUED_BY]-(d:Document)
  RETURN DISTINCT d
  UNION ALL
  MATCH (d:Document)
  WHERE d.uid > walk_from
    AND ($type IS NULL OR d.type = $type)
    AND ($issuer IS NULL OR EXISTS { (d)-[:ISSUED_BY]->(:Institution {uid: $issuer}) })
    AND ($status IS NULL OR d.status = $status)
    AND ($uids IS NULL OR d.uid IN $uids)
    AND ($code_key IS NULL OR d.code_key = $code_key)
    AND all(w IN coalesce($words, []) WHERE (' ' + d.search_text + ' ') CONTAINS (' ' + w + ' '))
  WITH d ORDER BY d.uid LIMIT $limit
  RETURN d
}
WITH d
WHERE ($uids IS NULL OR d.uid IN $uids)
  AND ($code_key IS NULL OR d.code_key = $code_key)
  AND ($type IS NULL OR d.type = $type)
  AND ($issuer IS NULL OR EXISTS { (d)-[:ISSUED_BY]->(:Institution {uid: $issuer}) })
  AND ($status IS NULL OR d.status = $status)
  AND ($after IS NULL OR d.uid > $after)
WITH d ORDER BY d.uid LIMIT $limit
// A joint document has several issuers: the one with the least uid stands for them (its
// shown_issuer, kept by the writer).
OPTIONAL MATCH (i:Institution {uid: d.shown_issuer})
RETURN d.uid AS uid, d.code AS code, d.type AS type, d.title AS title,
       d.issued_on AS issued_on, d.status AS status, d.conflicts AS conflicts,
       d.owner AS owner, d.due AS due, i.uid AS issuer, i.name AS issuer_name
ORDER BY uid
