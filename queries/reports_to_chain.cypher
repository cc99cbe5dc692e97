// reports_to_chain: who reports to whom, upward from an institution: every REPORTS_TO
// line reachable from it, with its cadence and its hop from the start (depth 1 = the
// institution's own reporting lines).
// Parameters: institution (uid).
// :param institution => 'ban-can-su-dang-uy-ban-nhan-dan-thanh-pho-ho-chi-minh'
// A line's depth is one more than its start's distance, from one breadth-first walk
// (min(length(walk)) plans as a pruning BFS expand), not from every chain of up to 20 lines.
// The hint pins the walk's start (see `lineage_up`).
MATCH walk = (start:Institution {uid: $institution})-[:REPORTS_TO*0..19]->(a:Institution)
USING INDEX start:Institution(uid)
WITH a, min(length(walk)) AS hops
MATCH (a)-[r:REPORTS_TO]->(b:Institution)
RETURN a.uid AS source, a.name AS source_name, b.uid AS target, b.name AS target_name,
       r.cadence AS cadence, hops + 1 AS depth
ORDER BY depth, source, target
