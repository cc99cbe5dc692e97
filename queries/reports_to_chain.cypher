// reports_to_chain: who reports to whom, upward from an institution: every REPORTS_TO
// line reachable from it, with its cadence and its hop from the start (depth 1 = the
// institution's own reporting lines).
// Parameters: institution (uid).
// :param institution => 'ban-can-su-dang-uy-ban-nhan-dan-thanh-pho-ho-chi-minh'
MATCH path = (:Institution {uid: $institution})-[:REPORTS_TO*1..20]->(:Institution)
UNWIND range(0, length(path) - 1) AS i
WITH relationships(path)[i] AS r, i + 1 AS hop
WITH startNode(r) AS a, endNode(r) AS b, r, min(hop) AS depth
RETURN a.uid AS source, a.name AS source_name, b.uid AS target, b.name AS target_name,
       r.cadence AS cadence, depth
ORDER BY depth, source, target
