-- casebook render top-talkers (example parameters, 2024-03-01 to 2024-03-15, default v2 flow-log format)
-- Top talkers: source/destination address pairs by bytes, largest first.
SELECT
  srcaddr,
  dstaddr,
  sum(bytes) AS bytes,
  sum(packets) AS packets,
  count(*) AS flows
FROM vpc_flow_logs
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND start >= 1709251200 AND start < 1710460800)
  AND log_status = 'OK'
  AND srcaddr IS NOT NULL
GROUP BY srcaddr, dstaddr
ORDER BY bytes DESC, packets DESC, flows DESC, srcaddr, dstaddr
LIMIT 20
