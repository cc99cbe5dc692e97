// coverage: which units under a scope were required to implement a document, which
// did, which are late? For document $document, every institution that is the scope
// or sits under it (PART_OF, transitively) and is valid on $as_of, with a status:
//   covered  - it issued (on or before $as_of) a document that IMPLEMENTS the target,
//              directly or through a chain; or a deliverable assigned to it is fulfilled
//   overdue  - an obligation from the target's implementation tree (an ASSIGNS edge, or
//              an expected document it owns or will issue) had a due date before $as_of
//   expected - such an obligation exists, not yet due (or without a due date)
//   missing  - no implementing document and no obligation
// `documents` prove coverage; `chain` is the shortest IMPLEMENTS chain from the first
// of them up to the target; `due` is the earliest due date of the unit's obligations.
// Dates are ISO strings. Parameters: document (uid), scope (institution uid), as_of.
// :param document => '52-nq-tw.bo-chinh-tri.2019'
// :param scope => 'thanh-uy-thanh-pho-ho-chi-minh'
// :param as_of => '2020-12-31'
MATCH (target:Document {uid: $document})
MATCH (scope:Institution {uid: $scope})
// The target's implementation tree, collected once: `x IN tree` below is a hash lookup
// (Cypher caches an IN list of 128+ values as a set), so a unit costs its own documents,
// not a path search from each of them (a unit issues a plan for every resolution).
CALL (target) {
  OPTIONAL MATCH (d:Document)-[:IMPLEMENTS*1..20]->(target)
  RETURN collect(DISTINCT d) AS tree
}
MATCH p = (unit:Institution)-[:PART_OF*0..20]->(scope)
WHERE (unit.valid_from IS NULL OR unit.valid_from <= $as_of)
  AND (unit.valid_to IS NULL OR unit.valid_to >= $as_of)
WITH target, tree, unit, min(length(p)) AS level
CALL (target, tree, unit) {
  OPTIONAL MATCH (unit)<-[:ISSUED_BY]-(d:Document)
  WHERE d IN tree AND d <> target AND d.status = 'issued'
    AND (d.issued_on IS NULL OR d.issued_on <= $as_of)
  OPTIONAL MATCH chain = shortestPath((d)-[:IMPLEMENTS*1..20]->(target))
  WITH d, chain WHERE chain IS NOT NULL
  WITH d, chain ORDER BY length(chain), d.uid
  WITH collect(d.uid) AS issued, collect([n IN nodes(chain) | n.uid]) AS chains
  RETURN issued, head(chains) AS issued_chain
}
CALL (target, tree, unit) {
  OPTIONAL MATCH (a:Document)-[t:ASSIGNS]->(unit)
  WHERE a.status = 'issued' AND (a.issued_on IS NULL OR a.issued_on <= $as_of)
    AND (a = target OR a IN tree)
  OPTIONAL MATCH (real:Document)-[:FULFILS]->(:Document {uid: t.deliverable})
  WHERE real.status = 'issued' AND (real.issued_on IS NULL OR real.issued_on <= $as_of)
  WITH t, real ORDER BY real.uid
  RETURN count(DISTINCT t) AS n_tasks, [x IN collect(DISTINCT t) | x.due] AS task_dues,
         collect(DISTINCT real.uid) AS delivered
}
CALL (tree, unit) {
  OPTIONAL MATCH (e:Document)
  WHERE (e.owner = unit.uid OR e.issuer = unit.uid) AND e.status IN ['expected', 'fulfilled']
    AND e IN tree
  OPTIONAL MATCH (real:Document)-[:FULFILS]->(e)
  WHERE real.status = 'issued' AND (real.issued_on IS NULL OR real.issued_on <= $as_of)
  WITH e, real ORDER BY real.uid
  RETURN [x IN collect(DISTINCT e) | x.due] AS expected_dues, count(DISTINCT e) AS n_expected,
         collect(DISTINCT real.uid) AS expected_delivered
}
WITH unit, level, issued, issued_chain,
     task_dues + expected_dues AS dues,
     n_tasks + n_expected AS obligations,
     reduce(acc = [], x IN delivered + expected_delivered |
            CASE WHEN x IN acc OR x IN issued THEN acc ELSE acc + x END) AS delivered
WITH unit, level, issued, issued_chain, dues, obligations, delivered,
     reduce(m = null, d IN dues | CASE WHEN d IS NOT NULL AND (m IS NULL OR d < m) THEN d ELSE m END) AS due
WITH unit, level, due,
     issued + delivered AS documents,
     issued_chain AS chain,
     CASE
       WHEN size(issued) > 0 OR size(delivered) > 0 THEN 'covered'
       WHEN obligations > 0 AND due IS NOT NULL AND due < $as_of THEN 'overdue'
       WHEN obligations > 0 THEN 'expected'
       ELSE 'missing'
     END AS status
RETURN unit.uid AS institution, unit.name AS name, level, status,
       documents, coalesce(chain, []) AS chain, due
ORDER BY level, name, institution
