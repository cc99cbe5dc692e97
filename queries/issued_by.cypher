// issued_by: every document an institution issued (or is expected to issue), oldest
// first; documents without a date come last.
// Parameters: institution (uid).
// :param institution => 'ban-can-su-dang-bo-cong-thuong'
MATCH (d:Document)-[:ISSUED_BY]->(:Institution {uid: $institution})
RETURN d.uid AS uid, d.code AS code, d.type AS type, d.title AS title,
       d.issued_on AS issued_on, d.status AS status
ORDER BY issued_on, uid
