// search: documents and institutions whose names, codes or titles hold every word,
// ignoring diacritics and case ("nghi quyet 52" finds "Nghị quyết 52-NQ/TW"). $words are
// folded words, as the API folds the user's text ("Nghị quyết 52" -> ['nghi', 'quyet',
// '52']); the search text of each node is folded the same way when it is written, and
// the full-text index kg_search (analyzer standard-no-stop-words: no English stop words,
// which are Vietnamese words once folded, such as "an" or "the") matches them.
// Results: documents first, then institutions, by uid.
// Parameters: words, limit.
// :param words => ['nghi', 'quyet', '52']
// :param limit => 20
// A search with up to 10,000 hits sorts its hits; one with more walks each label in uid
// order, testing each node's search text, until $limit nodes are found (the walk's seek
// key is null when it does not apply: see `documents`).
CALL () {
  WITH $words AS words WHERE size(words) > 0
  CALL db.index.fulltext.queryNodes('kg_search', reduce(q = '', w IN $words | q + ' +' + w), {limit: 10001}) YIELD node
  RETURN count(node) AS hits
}
WITH CASE WHEN hits > 10000 THEN '' END AS walk_from
CALL (walk_from) {
  WITH walk_from WHERE walk_from IS NULL AND size($words) > 0
  CALL db.index.fulltext.queryNodes('kg_search', reduce(q = '', w IN $words | q + ' +' + w)) YIELD node
  RETURN node
  UNION ALL
  MATCH (d:Document)
  WHERE d.uid > walk_from AND all(w IN $words WHERE (' ' + d.search_text + ' ') CONTAINS (' ' + w + ' '))
  WITH d ORDER BY d.uid LIMIT $limit
  RETURN d AS node
  UNION ALL
  MATCH (i:Institution)
  WHERE i.uid > walk_from AND all(w IN $words WHERE (' ' + i.search_text + ' ') CONTAINS (' ' + w + ' '))
  WITH i ORDER BY i.uid LIMIT $limit
  RETURN i AS node
}
RETURN node.uid AS uid,
       CASE WHEN node:Document THEN 'document' ELSE 'institution' END AS kind,
       coalesce(node.code, node.name) AS label, node.title AS title, node.name AS name
ORDER BY kind, uid
LIMIT $limit
