// institutions: list institutions in uid order, one page at a time (pass the last uid
// of a page as $after). $terms keeps those a text search finds (a Lucene query, as for
// `search`); $uids restricts to a set. Null parameters do not filter.
// Parameters: terms, uids, after, limit.
// :param terms => null
// :param uids => ['bo-chinh-tri', 'bo-cong-thuong']
// :param after => null
// :param limit => 50
CALL () {
  WITH $terms AS terms WHERE terms IS NOT NULL
  CALL db.index.fulltext.queryNodes('kg_search', terms) YIELD node
  WITH node AS i WHERE i:Institution
  RETURN i
  UNION
  WITH $terms AS terms WHERE terms IS NULL
  MATCH (i:Institution) RETURN i
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
