// institutions: list institutions in uid order, one page at a time (pass the last uid
// of a page as $after). $words keeps those whose search text holds every one of these
// folded words, as for `documents` (an empty list finds none); $uids restricts to a set.
// Null parameters do not filter.
// Parameters: words, uids, after, limit.
// :param words => null
// :param uids => ['bo-chinh-tri', 'bo-cong-thuong']
// :param after => null
// :param limit => 50
// A search with up to 10,000 full-text hits sorts its hits, and $uids alone are looked up;
// a search with more hits, or a list without either, walks the institutions in uid order,
// testing each one, until the page is full (each source is a seek whose key is null when
// it does not apply: see `documents`).
CALL () {
  WITH $words AS words WHERE size(words) > 0
  CALL db.index.fulltext.queryNodes('kg_search', reduce(q = '', w IN $words | q + ' +' + w), {limit: 10001}) YIELD node
  RETURN count(node) AS hits
}
WITH CASE WHEN hits > 10000 OR ($words IS NULL AND $uids IS NULL) THEN coalesce($after, '') END AS walk_from
CALL (walk_from) {
  WITH walk_from WHERE walk_from IS NULL AND size($words) > 0
  CALL db.index.fulltext.queryNodes('kg_search', reduce(q = '', w IN $words | q + ' +' + w)) YIELD node
  WITH node AS i WHERE i:Institution
  RETURN i
  UNION ALL
  UNWIND CASE WHEN $words IS NULL THEN coalesce($uids, []) ELSE [] END AS u
  WITH DISTINCT u
  MATCH (i:Institution {uid: u})
  RETURN i
  UNION ALL
  MATCH (i:Institution)
  WHERE i.uid > walk_from AND ($uids IS NULL OR i.uid IN $uids)
    AND all(w IN coalesce($words, []) WHERE (' ' + i.search_text + ' ') CONTAINS (' ' + w + ' '))
  WITH i ORDER BY i.uid LIMIT $limit
  RETURN i
}
WITH i
WHERE ($uids IS NULL OR i.uid IN $uids) AND ($after IS NULL OR i.uid > $after)
WITH i ORDER BY i.uid LIMIT $limit
OPTIONAL MATCH (i)-[:PART_OF]->(parent:Institution)
WITH i, parent ORDER BY parent.uid
WITH i, collect(parent.uid) AS part_of
RETURN i.uid AS uid, i.name AS name, i.short_name AS short_name, i.kind AS kind,
       i.level AS level, i.valid_from AS valid_from, i.valid_to AS valid_to,
       i.aliases AS aliases, part_of, i.conflicts AS conflicts
ORDER BY uid
