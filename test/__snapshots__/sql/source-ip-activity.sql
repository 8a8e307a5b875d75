-- casebook render source-ip-activity (example parameters, 2024-03-01 to 2024-03-15)
-- Everything done from one address or network: every event whose source IP address
-- falls in the block. Source "addresses" that are not addresses (AWS Internal, service
-- host names such as config.amazonaws.com) never match.
SELECT
  eventtime,
  COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) AS principal,
  useridentity.type AS principal_type,
  eventsource,
  eventname,
  sourceipaddress,
  useragent,
  errorcode,
  recipientaccountid,
  awsregion,
  useridentity.accesskeyid AS access_key_id,
  eventid
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND regexp_like(sourceipaddress, '^[0-9A-Fa-f.:]+$')
  AND contains('203.0.113.66/32', TRY_CAST(sourceipaddress AS IPADDRESS))
ORDER BY eventtime, eventid
LIMIT 1000
