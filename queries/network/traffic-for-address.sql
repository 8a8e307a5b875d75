-- Traffic from or to one address: every flow with it as source or destination,
-- per direction, peer, port, protocol and action, and the field the address was found in.
-- When the table's format has the packet-level addresses (pkt-srcaddr, pkt-dstaddr),
-- those are matched too: traffic through a NAT gateway shows the internet address only
-- there on the NAT gateway interface's side facing the instance.
WITH matched AS (
  SELECT
    CASE
      WHEN CAST(srcaddr AS IPADDRESS) = CAST({{ip}} AS IPADDRESS) THEN 'srcaddr'
      WHEN CAST(dstaddr AS IPADDRESS) = CAST({{ip}} AS IPADDRESS) THEN 'dstaddr'
{{#if (has_column "vpc_flow_logs" "pkt_srcaddr")}}
      WHEN CAST(pkt_srcaddr AS IPADDRESS) = CAST({{ip}} AS IPADDRESS) THEN 'pkt_srcaddr'
{{/if}}
{{#if (has_column "vpc_flow_logs" "pkt_dstaddr")}}
      WHEN CAST(pkt_dstaddr AS IPADDRESS) = CAST({{ip}} AS IPADDRESS) THEN 'pkt_dstaddr'
{{/if}}
    END AS matched_field,
    srcaddr,
    dstaddr,
    srcport,
    dstport,
    protocol,
    action,
    packets,
    bytes,
    start,
    "end"
  FROM vpc_flow_logs
  WHERE {{window "vpc_flow_logs"}}
    AND log_status = 'OK'
)
SELECT
  CASE WHEN matched_field IN ('srcaddr', 'pkt_srcaddr') THEN 'from address' ELSE 'to address' END AS direction,
  matched_field,
  srcaddr,
  dstaddr,
  srcport,
  dstport,
  protocol,
  action,
  count(*) AS flows,
  sum(packets) AS packets,
  sum(bytes) AS bytes,
  from_unixtime(min(start)) AS first_seen,
  from_unixtime(max("end")) AS last_seen
FROM matched
WHERE matched_field IS NOT NULL
GROUP BY 1, matched_field, srcaddr, dstaddr, srcport, dstport, protocol, action
ORDER BY bytes DESC, flows DESC, direction, matched_field, srcaddr, dstaddr, srcport, dstport, protocol, action
LIMIT {{limit}}
