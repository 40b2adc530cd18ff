WITH RECURSIVE
  -- Near-duplicate images of the latest thumbnail run: every image with the images whose 64-bit
  -- dHash differs from its own in at most 6 bits (distance in brackets). The Hamming distance
  -- is computed over the 16 hex digits: XOR of two digits as (a | b) - (a & b), its bit count
  -- looked up in '0112122312232334'. All pairs are compared: fine for a few thousand images.
  nib(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM nib WHERE i < 16),
  img AS (
    SELECT idx, path, dhash FROM thumbnail
    WHERE run_id = (SELECT max(id) FROM runs WHERE model = 'thumbnail') AND dhash IS NOT NULL),
  digit AS (
    SELECT idx, i, instr('0123456789abcdef', substr(dhash, i, 1)) - 1 AS d FROM img, nib),
  pair AS (
    SELECT a.idx AS a, b.idx AS b,
           sum(CAST(substr('0112122312232334', (a.d | b.d) - (a.d & b.d) + 1, 1) AS INTEGER)) AS distance
    FROM digit a JOIN digit b ON a.i = b.i AND a.idx < b.idx
    GROUP BY a.idx, b.idx)
SELECT ia.path AS image, group_concat(ib.path || ' (' || p.distance || ')', ', ') AS near_duplicates
FROM pair p JOIN img ia ON ia.idx = p.a JOIN img ib ON ib.idx = p.b
WHERE p.distance <= 6
GROUP BY p.a
ORDER BY ia.path;
