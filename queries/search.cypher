// search: documents and institutions whose names, codes or titles contain every term,
// ignoring diacritics and case ("nghi quyet 52" finds "Nghị quyết 52-NQ/TW"). Uses the
// full-text index kg_search (analyzer standard-folding). $terms is a Lucene query in
// which every term is required, e.g. '+nghi +quyet +52' (the API builds it from the
// user's words). Results: documents first, then institutions, by uid.
// Parameters: terms (Lucene query), limit.
// :param terms => '+nghi +quyet +52'
// :param limit => 20
CALL db.index.fulltext.queryNodes('kg_search', $terms) YIELD node
RETURN node.uid AS uid,
       CASE WHEN node:Document THEN 'document' ELSE 'institution' END AS kind,
       coalesce(node.code, node.name) AS label, node.title AS title, node.name AS name
ORDER BY kind, uid
LIMIT $limit
