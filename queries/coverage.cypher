// coverage: which units under a scope were required to implement a document, which
// did, which are late? For document $document, every institution that is the scope
// or sits under it (PART_OF, transitively) and is valid on $as_of, with a status:
//   covered  - it issued (on or before $as_of) a document that IMPLEMENTS the target,
//              directly or through a chain; or a deliverable assigned to it is fulfilled
//   overdue  - an obligation from the target's implementation tree (an ASSIGNS edge of a
//              document issued by $as_of, or an expected document it owns or will issue,
//              owed once the target is issued) had a due date before $as_of
//   expected - such an obligation exists, not yet due (or without a due date)
//   missing  - no implementing document and no obligation
// A unit answers for the bodies it superseded that no longer exist on $as_of (their
// documents and obligations count as its own).
// `documents` prove coverage; `chain` is the shortest IMPLEMENTS chain from the first
// of them up to the target (of several, the one through the least uids); `due` is the
// earliest due date of the unit's obligations; `covered_on` the earliest issue date of
// its documents, and `late` whether a covered unit was covered after its due date.
// Dates are ISO strings. Parameters: document (uid), scope (institution uid), as_of.
// :param document => '52-nq-tw.bo-chinh-tri.2019'
// :param scope => 'thanh-uy-thanh-pho-ho-chi-minh'
// :param as_of => '2020-12-31'
MATCH (target:Document {uid: $document})
MATCH (scope:Institution {uid: $scope})
// The audit is driven from the target's implementation tree, not from the units: a unit
// issues a plan for every resolution (and is assigned by each), so reading each unit's
// documents costs units x resolutions; the tree's own facts cost the tree's size.
// The valid units under the scope, collected once: `u IN units` is a hash lookup (Cypher
// caches an IN list of 128+ values as a set).
CALL (scope) {
  MATCH (unit:Institution)-[:PART_OF*0..20]->(scope)
  WHERE (unit.valid_from IS NULL OR unit.valid_from <= $as_of)
    AND (unit.valid_to IS NULL OR unit.valid_to >= $as_of)
  RETURN collect(DISTINCT unit) AS units
}
// A unit inherits the record of the bodies it superseded (SUPERSEDES, transitively) that
// no longer exist on $as_of: today's body answers for the plans of the one it replaced.
CALL (units) {
  UNWIND units AS heir
  MATCH (heir)-[:SUPERSEDES*1..20]->(old:Institution)
  WHERE NOT ((old.valid_from IS NULL OR old.valid_from <= $as_of)
             AND (old.valid_to IS NULL OR old.valid_to >= $as_of))
  RETURN collect(DISTINCT [old, heir]) AS succession
}
WITH target, scope, units, succession, [pair IN succession | pair[0]] AS olds
// The tree: every document with an IMPLEMENTS chain to the target, as
// [document, hops to the target, status]. Issue dates are read below, only for the few
// documents that touch the scope's units (not for the whole national tree).
CALL (target) {
  OPTIONAL MATCH p = (d:Document)-[:IMPLEMENTS*1..20]->(target)
  WITH d, min(length(p)) AS hops
  WHERE d IS NOT NULL AND d <> target
  RETURN collect([d, hops, d.status]) AS tree
}
// The tree by distance: levels[h] holds the documents h hops below the target (levels[0] is
// the target; a breadth-first walk leaves no level empty below the deepest).
CALL (tree) {
  UNWIND tree AS item
  WITH item[1] AS hops, collect(item[0]) AS ds ORDER BY hops
  RETURN collect(ds) AS below
}
WITH *, [[target]] + below AS levels
// Per unit of the scope with any fact: the tree documents it issued (nearest the target
// first), how many obligations it has, their earliest due date, and the documents that
// fulfil them (the sorted, distinct deliveries of its tasks, then of its expectations).
CALL (target, tree, units, succession, olds) {
  // One row per fact: kind 0, a tree document the unit issued by $as_of; kind 1, a task
  // that the target or a tree document (issued by $as_of) assigns it; kind 2, an expected
  // document of the tree it owns or will issue. Obligations carry what fulfils them.
  CALL (target, tree, units, olds) {
    UNWIND tree AS item
    WITH item[0] AS d, item[1] AS hops WHERE item[2] = 'issued'
    MATCH (d)-[:ISSUED_BY]->(u:Institution)
    WHERE u IN units OR u IN olds
    WITH d, hops, u, d.issued_on AS issued_on
    WHERE issued_on IS NULL OR issued_on <= $as_of
    RETURN u, 0 AS kind, [hops, d.uid] AS issued, null AS due, [] AS delivered
    UNION ALL
    UNWIND CASE WHEN target.status = 'issued'
                      AND (target.issued_on IS NULL OR target.issued_on <= $as_of)
                THEN [target] ELSE [] END + [item IN tree WHERE item[2] = 'issued' | item[0]] AS a
    MATCH (a)-[t:ASSIGNS]->(u:Institution)
    WHERE u IN units OR u IN olds
    WITH target, a, t, u, a.issued_on AS issued_on
    WHERE a = target OR issued_on IS NULL OR issued_on <= $as_of
    CALL (t) {
      OPTIONAL MATCH (real:Document)-[:FULFILS]->(:Document {uid: t.deliverable})
      WHERE real.status = 'issued' AND (real.issued_on IS NULL OR real.issued_on <= $as_of)
      RETURN collect(real.uid) AS delivered
    }
    RETURN u, 1 AS kind, null AS issued, t.due AS due, delivered
    UNION ALL
    // an expectation is owed from the day the target was issued (nothing is owed under a document
    // that does not exist yet), as the target's own tasks are
    UNWIND CASE WHEN target.status = 'issued' AND (target.issued_on IS NULL OR target.issued_on <= $as_of)
                THEN tree ELSE [] END AS item
    WITH item[0] AS e WHERE item[2] IN ['expected', 'fulfilled']
    UNWIND [key IN CASE WHEN e.owner = e.issuer THEN [e.owner] ELSE [e.owner, e.issuer] END
            WHERE key IS NOT NULL] AS key
    MATCH (u:Institution {uid: key})
    WHERE u IN units OR u IN olds
    CALL (e) {
      OPTIONAL MATCH (real:Document)-[:FULFILS]->(e)
      WHERE real.status = 'issued' AND (real.issued_on IS NULL OR real.issued_on <= $as_of)
      RETURN collect(real.uid) AS delivered
    }
    RETURN u, 2 AS kind, null AS issued, e.due AS due, delivered
  }
  // a superseded body's fact is its heir's (or its heirs', when it was split)
  UNWIND CASE WHEN u IN units THEN [u] ELSE [pair IN succession WHERE pair[0] = u | pair[1]] END AS heir
  WITH heir AS u, kind, issued, due, delivered
  WITH u,
       collect(issued) AS issued_pairs,
       sum(CASE WHEN kind > 0 THEN 1 ELSE 0 END) AS obligations,
       collect(due) AS dues,
       collect(CASE WHEN kind = 1 THEN delivered END) AS task_delivered,
       collect(CASE WHEN kind = 2 THEN delivered END) AS expected_delivered
  CALL (issued_pairs) {
    UNWIND issued_pairs AS pair
    WITH DISTINCT pair ORDER BY pair[0], pair[1]
    RETURN collect(pair[1]) AS issued, collect(pair[0])[0] AS nearest
  }
  CALL (task_delivered) {
    UNWIND task_delivered AS list
    UNWIND list AS uid
    WITH DISTINCT uid ORDER BY uid
    RETURN collect(uid) AS by_task
  }
  CALL (expected_delivered) {
    UNWIND expected_delivered AS list
    UNWIND list AS uid
    WITH DISTINCT uid ORDER BY uid
    RETURN collect(uid) AS by_expected
  }
  RETURN collect({unit: u, issued: issued, nearest: nearest, obligations: obligations,
                  due: reduce(m = null, d IN dues | CASE WHEN m IS NULL OR d < m THEN d ELSE m END),
                  delivered: reduce(acc = [], x IN by_task + by_expected |
                                    CASE WHEN x IN acc OR x IN issued THEN acc ELSE acc + x END)}) AS facts
}
// Units of the scope without any fact are missing.
WITH scope, target, levels, units, facts, [f IN facts | f.unit] AS with_facts
UNWIND facts + [unit IN units WHERE NOT unit IN with_facts |
                {unit: unit, issued: [], obligations: 0, due: null, delivered: []}] AS f
WITH scope, target, levels, f, f.unit AS unit
CALL (unit, scope) {
  MATCH up = shortestPath((unit)-[:PART_OF*0..20]->(scope))
  RETURN length(up) AS level
}
// The chain from the nearest issued document up to the target: of the equally short chains, the
// one through the least uid at each step (as the memory store). A step goes to the least-uid
// document one level nearer; taking it step by step costs the chain's length, where listing
// every shortest chain doubles with each level of plans that implement two plans each.
CALL (f, levels) {
  OPTIONAL MATCH (first:Document {uid: f.issued[0]})
  RETURN CASE WHEN first IS NULL THEN [] ELSE
           [x IN reduce(acc = [first], i IN range(f.nearest - 1, 0, -1) |
              acc + [near IN [last(acc)] |
                     reduce(m = null, c IN [(near)-[:IMPLEMENTS]->(c) WHERE c IN levels[i] | c] |
                            CASE WHEN m IS NULL OR c.uid < m.uid THEN c ELSE m END)]) | x.uid]
         END AS chain
}
WITH unit, level, f.due AS due, f.issued + f.delivered AS documents, chain,
     CASE
       WHEN size(f.issued) > 0 OR size(f.delivered) > 0 THEN 'covered'
       WHEN f.obligations > 0 AND f.due IS NOT NULL AND f.due < $as_of THEN 'overdue'
       WHEN f.obligations > 0 THEN 'expected'
       ELSE 'missing'
     END AS status
// when it was covered: the earliest issue date of its documents; late if after its due date
CALL (documents) {
  UNWIND documents AS uid
  MATCH (d:Document {uid: uid})
  RETURN min(d.issued_on) AS covered_on
}
RETURN unit.uid AS institution, unit.name AS name, level, status,
       documents, chain, due, covered_on,
       status = 'covered' AND due IS NOT NULL AND covered_on IS NOT NULL AND covered_on > due AS late
ORDER BY level, name, institution
