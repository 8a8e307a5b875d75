-- casebook render nodata-skipdata-gaps (example parameters, 2024-03-01 to 2024-03-15, default v2 flow-log format)
-- Logging gaps: flow-log records whose log-status is not OK. SKIPDATA means records
-- were dropped (capacity limit or internal error): the interface was not watched for
-- that interval. NODATA means the interface had no traffic at all.
SELECT
  account_id,
  region,
  interface_id,
  log_status,
  CASE log_status
    WHEN 'SKIPDATA' THEN 'records skipped: traffic in these intervals is not in the logs'
    WHEN 'NODATA' THEN 'no traffic to or from the interface in these intervals'
    ELSE 'unknown log-status'
  END AS meaning,
  count(*) AS records,
  sum("end" - start) AS interval_seconds,
  from_unixtime(min(start)) AS first_seen,
  from_unixtime(max("end")) AS last_seen
FROM vpc_flow_logs
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND start >= 1709251200 AND start < 1710460800)
  AND log_status <> 'OK'
GROUP BY account_id, region, interface_id, log_status
ORDER BY log_status DESC, records DESC, account_id, region, interface_id
LIMIT 200
