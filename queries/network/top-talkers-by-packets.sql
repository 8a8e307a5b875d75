-- Top talkers by packets: source/destination pairs that sent the most packets.
SELECT
  srcaddr,
  dstaddr,
  sum(packets) AS packets,
  sum(bytes) AS bytes,
  count(*) AS flows,
  CAST(sum(bytes) AS DOUBLE) / nullif(sum(packets), 0) AS avg_packet_bytes
FROM vpc_flow_logs
WHERE {{window "vpc_flow_logs"}}
  AND log_status = 'OK'
  AND srcaddr IS NOT NULL
GROUP BY srcaddr, dstaddr
ORDER BY packets DESC, bytes DESC, flows DESC, srcaddr, dstaddr
LIMIT {{limit}}
