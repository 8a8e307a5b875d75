-- casebook render top-talkers-by-packets (example parameters, 2024-03-01 to 2024-03-15, default v2 flow-log format)
-- Top talkers by packets: source/destination pairs that sent the most packets.
SELECT
  srcaddr,
  dstaddr,
  sum(packets) AS packets,
  sum(bytes) AS bytes,
  count(*) AS flows,
  CAST(sum(bytes) AS DOUBLE) / nullif(sum(packets), 0) AS avg_packet_bytes
FROM vpc_flow_logs
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND start >= 1709251200 AND start < 1710460800)
  AND log_status = 'OK'
  AND srcaddr IS NOT NULL
GROUP BY srcaddr, dstaddr
ORDER BY packets DESC, bytes DESC, flows DESC, srcaddr, dstaddr
LIMIT 20
