// obligations: what an institution owes. Tasks assigned to it (ASSIGNS) with deadline
// text, due date and whether fulfilled (a task with a deliverable in the graph: when the
// deliverable is fulfilled; any other: when the institution issued a document
// implementing the assigning document or what that document implements); expected
// documents it owns or will issue; its reporting lines.
// `kind` is 'task', 'expected' or 'reports_to'.
// Parameters: institution (uid).
// :param institution => 'ban-can-su-dang-uy-ban-nhan-dan-thanh-pho-ho-chi-minh'
MATCH (inst:Institution {uid: $institution})
CALL (inst) {
  MATCH (a:Document)-[t:ASSIGNS]->(inst)
  OPTIONAL MATCH (a)-[:IMPLEMENTS]->(up:Document)
  WITH inst, a, t, [a] + collect(up) AS bases,
       t.deliverable IS NOT NULL AND EXISTS { MATCH (:Document {uid: t.deliverable}) } AS by_deliverable
  WITH inst, collect([a, t, bases, by_deliverable]) AS tasks
  // what the documents it issued implement, within 20 hops, read once and only for a task without
  // a deliverable: one breadth-first walk from each (min(length(path)) plans as a pruning BFS
  // expand; testing each task's bases against every IMPLEMENTS path instead was exponential in
  // diamonds of plans). Without a grouping key the aggregation is one row, [] when skipped.
  CALL (inst, tasks) {
    WITH inst WHERE any(task IN tasks WHERE NOT task[3])
    OPTIONAL MATCH (x:Document {status: 'issued'})-[:ISSUED_BY]->(inst)
    OPTIONAL MATCH path = (x)-[:IMPLEMENTS*1..20]->(b:Document)
    WITH x, b, min(length(path)) AS hops
    RETURN collect(DISTINCT b) AS reach
  }
  UNWIND tasks AS task
  WITH task[0] AS a, task[1] AS t, task[2] AS bases, task[3] AS by_deliverable, reach
  RETURN 'task' AS kind, a.uid AS document, a.code AS code, t.task AS task,
         t.deadline AS deadline, t.due AS due, t.cadence AS cadence,
         t.deliverable AS counterpart,
         CASE WHEN by_deliverable THEN EXISTS { MATCH (:Document {uid: t.deliverable, status: 'fulfilled'}) }
              ELSE any(b IN bases WHERE b IN reach) END AS fulfilled
  UNION ALL
  // the expected documents it owns, then those it will issue and does not own (two index seeks)
  MATCH (e:Document {owner: inst.uid})
  WHERE e.status IN ['expected', 'fulfilled']
  RETURN 'expected' AS kind, e.uid AS document, e.code AS code, e.title AS task,
         e.deadline AS deadline, e.due AS due, null AS cadence, e.issuer AS counterpart,
         e.status = 'fulfilled' AS fulfilled
  UNION ALL
  MATCH (e:Document {issuer: inst.uid})
  WHERE e.status IN ['expected', 'fulfilled'] AND coalesce(e.owner, '') <> inst.uid
  RETURN 'expected' AS kind, e.uid AS document, e.code AS code, e.title AS task,
         e.deadline AS deadline, e.due AS due, null AS cadence, e.issuer AS counterpart,
         e.status = 'fulfilled' AS fulfilled
  UNION ALL
  MATCH (inst)-[r:REPORTS_TO]->(to:Institution)
  RETURN 'reports_to' AS kind, null AS document, null AS code, null AS task,
         null AS deadline, null AS due, r.cadence AS cadence, to.uid AS counterpart,
         null AS fulfilled
}
RETURN kind, document, code, task, deadline, due, cadence, counterpart, fulfilled
ORDER BY kind, due, document, counterpart, task
