-- Everything done from one address or network: every event whose source IP address
-- falls in the block. Source "addresses" that are not addresses (AWS Internal, service
-- host names such as config.amazonaws.com) never match.
SELECT
  {{> event_columns}},
  useridentity.accesskeyid AS access_key_id,
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND regexp_like(sourceipaddress, '^[0-9A-Fa-f.:]+$')
  AND contains({{source_ip}}, TRY_CAST(sourceipaddress AS IPADDRESS))
ORDER BY eventtime, eventid
LIMIT {{limit}}
