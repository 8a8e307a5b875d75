-- casebook render ioc-traffic (example parameters, 2024-03-01 to 2024-03-15)
-- Traffic to or from indicators of compromise: flows whose source or destination lies
-- in one of the --iocs addresses or CIDR blocks (IPv4 and IPv6), with the field it was
-- found in. When the table's format has the packet-level addresses (pkt-srcaddr,
-- pkt-dstaddr), those are tested too: traffic through a NAT gateway shows the internet
-- address only there on the NAT gateway interface's side facing the instance.
-- Each membership test is guarded by an address-family check, so an IPv4 block is never
-- tested against an IPv6 address (some Trino releases raise an error for that).
WITH flows AS (
  SELECT
    srcaddr,
    dstaddr,
    dstport,
    protocol,
    action,
    packets,
    bytes,
    start,
    "end",
    CASE
      WHEN (CASE WHEN (strpos('203.0.113.200/32', ':') > 0) = (strpos(srcaddr, ':') > 0) THEN contains('203.0.113.200/32', CAST(srcaddr AS IPADDRESS)) ELSE false END) THEN '203.0.113.200/32'
      WHEN (CASE WHEN (strpos('198.51.100.0/24', ':') > 0) = (strpos(srcaddr, ':') > 0) THEN contains('198.51.100.0/24', CAST(srcaddr AS IPADDRESS)) ELSE false END) THEN '198.51.100.0/24'
      WHEN (CASE WHEN (strpos('2001:db8:bad::/48', ':') > 0) = (strpos(srcaddr, ':') > 0) THEN contains('2001:db8:bad::/48', CAST(srcaddr AS IPADDRESS)) ELSE false END) THEN '2001:db8:bad::/48'
    END AS src_ioc,
    CASE
      WHEN (CASE WHEN (strpos('203.0.113.200/32', ':') > 0) = (strpos(dstaddr, ':') > 0) THEN contains('203.0.113.200/32', CAST(dstaddr AS IPADDRESS)) ELSE false END) THEN '203.0.113.200/32'
      WHEN (CASE WHEN (strpos('198.51.100.0/24', ':') > 0) = (strpos(dstaddr, ':') > 0) THEN contains('198.51.100.0/24', CAST(dstaddr AS IPADDRESS)) ELSE false END) THEN '198.51.100.0/24'
      WHEN (CASE WHEN (strpos('2001:db8:bad::/48', ':') > 0) = (strpos(dstaddr, ':') > 0) THEN contains('2001:db8:bad::/48', CAST(dstaddr AS IPADDRESS)) ELSE false END) THEN '2001:db8:bad::/48'
    END AS dst_ioc,
    CASE
      WHEN (CASE WHEN (strpos('203.0.113.200/32', ':') > 0) = (strpos(pkt_srcaddr, ':') > 0) THEN contains('203.0.113.200/32', CAST(pkt_srcaddr AS IPADDRESS)) ELSE false END) THEN '203.0.113.200/32'
      WHEN (CASE WHEN (strpos('198.51.100.0/24', ':') > 0) = (strpos(pkt_srcaddr, ':') > 0) THEN contains('198.51.100.0/24', CAST(pkt_srcaddr AS IPADDRESS)) ELSE false END) THEN '198.51.100.0/24'
      WHEN (CASE WHEN (strpos('2001:db8:bad::/48', ':') > 0) = (strpos(pkt_srcaddr, ':') > 0) THEN contains('2001:db8:bad::/48', CAST(pkt_srcaddr AS IPADDRESS)) ELSE false END) THEN '2001:db8:bad::/48'
    END AS pkt_src_ioc,
    CASE
      WHEN (CASE WHEN (strpos('203.0.113.200/32', ':') > 0) = (strpos(pkt_dstaddr, ':') > 0) THEN contains('203.0.113.200/32', CAST(pkt_dstaddr AS IPADDRESS)) ELSE false END) THEN '203.0.113.200/32'
      WHEN (CASE WHEN (strpos('198.51.100.0/24', ':') > 0) = (strpos(pkt_dstaddr, ':') > 0) THEN contains('198.51.100.0/24', CAST(pkt_dstaddr AS IPADDRESS)) ELSE false END) THEN '198.51.100.0/24'
      WHEN (CASE WHEN (strpos('2001:db8:bad::/48', ':') > 0) = (strpos(pkt_dstaddr, ':') > 0) THEN contains('2001:db8:bad::/48', CAST(pkt_dstaddr AS IPADDRESS)) ELSE false END) THEN '2001:db8:bad::/48'
    END AS pkt_dst_ioc
  FROM vpc_flow_logs
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND start >= 1709251200 AND start < 1710460800)
    AND log_status = 'OK'
),
matched AS (
  SELECT
    flows.*,
    CASE
      WHEN src_ioc IS NOT NULL THEN 'srcaddr'
      WHEN dst_ioc IS NOT NULL THEN 'dstaddr'
      WHEN pkt_src_ioc IS NOT NULL THEN 'pkt_srcaddr'
      WHEN pkt_dst_ioc IS NOT NULL THEN 'pkt_dstaddr'
    END AS matched_field
  FROM flows
)
SELECT
  coalesce(src_ioc, dst_ioc, pkt_src_ioc, pkt_dst_ioc) AS ioc,
  CASE WHEN matched_field IN ('srcaddr', 'pkt_srcaddr') THEN 'from ioc' ELSE 'to ioc' END AS direction,
  matched_field,
  srcaddr,
  dstaddr,
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
GROUP BY 1, 2, matched_field, srcaddr, dstaddr, dstport, protocol, action
ORDER BY first_seen, ioc, direction, matched_field, srcaddr, dstaddr, dstport, protocol, action
LIMIT 500
