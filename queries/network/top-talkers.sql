-- Top talkers: source/destination address pairs by bytes, largest first.
SELECT
  srcaddr,
  dstaddr,
  sum(bytes) AS bytes,
  sum(packets) AS packets,
  count(*) AS flows
FROM vpc_flow_logs
WHERE {{window "vpc_flow_logs"}}
  AND log_status = 'OK'
  AND srcaddr IS NOT NULL
GROUP BY srcaddr, dstaddr
ORDER BY bytes DESC, packets DESC, flows DESC, srcaddr, dstaddr
LIMIT {{limit}}
