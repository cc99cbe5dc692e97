// conflicts: every field on which sources disagree, with each value and the sources
// that assert it. `subject` is a node uid, or 'start -TYPE-> end' for an edge, with the
// edge's key when it has one ('start -ASSIGNS[key]-> end': one unit may have several tasks).
// Claims are stored as 'field<TAB>value<TAB>source' strings in the `claims` list.
// Parameters: none.
CALL () {
  MATCH (n) WHERE size(n.conflicts) > 0
  RETURN n.uid AS subject,
         CASE WHEN n:Document THEN 'Document' WHEN n:Institution THEN 'Institution'
              ELSE 'Source' END AS kind,
         n.conflicts AS fields, n.claims AS claims
  UNION ALL
  MATCH (a)-[r]->(b) WHERE size(r.conflicts) > 0
  RETURN a.uid + ' -' + type(r) + CASE WHEN coalesce(r.key, '') = '' THEN '' ELSE '[' + r.key + ']' END
         + '-> ' + b.uid AS subject, type(r) AS kind,
         r.conflicts AS fields, r.claims AS claims
}
UNWIND range(0, size(claims) - 1) AS i
WITH subject, kind, fields, i, split(claims[i], '\t') AS c
WHERE c[0] IN fields
WITH subject, kind, c[0] AS field, c[1] AS value, min(i) AS first, collect(c[2]) AS sources
RETURN subject, kind, field, value, sources
ORDER BY subject, field, first
