-- casebook render secrets-bulk-read (example parameters, 2024-03-01 to 2024-03-15)
-- Secrets Manager values read in bulk, per principal and account: GetSecretValue calls
-- (one secret each) and BatchGetSecretValue calls (a list of secret ids, or filters that
-- match up to 20 secrets per call, whose names the log does not give). Secret ARNs are
-- reduced to the secret name (the six-character suffix dropped) so that a secret read by
-- name and by ARN counts once.
WITH reads AS (
  SELECT
    COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) AS principal,
    useridentity.type AS principal_type,
    recipientaccountid,
    eventtime,
    eventname,
    errorcode,
    sourceipaddress,
    transform(
      CASE WHEN eventname = 'GetSecretValue'
        THEN filter(ARRAY[json_extract_scalar(requestparameters, '$.secretId')], s -> s IS NOT NULL)
        ELSE COALESCE(regexp_extract_all(json_format(json_extract(requestparameters, '$.secretIdList')), '"([^"]+)"', 1), ARRAY[])
      END,
      s -> COALESCE(NULLIF(regexp_extract(s, '^arn:[^:]+:secretsmanager:[^:]*:[0-9]*:secret:(.+)-[A-Za-z0-9]{6}$', 1), ''), s)) AS secrets,
    eventname = 'BatchGetSecretValue' AND json_extract(requestparameters, '$.filters') IS NOT NULL AS by_filter
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 'secretsmanager.amazonaws.com'
    AND eventname IN ('GetSecretValue', 'BatchGetSecretValue')
),
per_principal AS (
  SELECT
    principal,
    recipientaccountid,
    max(principal_type) AS principal_type,
    count(*) AS read_calls,
    count_if(by_filter) AS filtered_batch_calls,
    count_if(errorcode IS NOT NULL) AS failed_calls,
    min(eventtime) AS first_seen,
    max(eventtime) AS last_seen,
    array_join(slice(array_sort(array_distinct(array_agg(sourceipaddress))), 1, 10), ', ') AS source_ips
  FROM reads
  GROUP BY principal, recipientaccountid
),
per_secret AS (
  SELECT principal, recipientaccountid, count(DISTINCT secret) AS distinct_secrets,
         array_join(slice(array_sort(array_agg(DISTINCT secret)), 1, 5), ', ') AS sample_secrets
  FROM reads
  CROSS JOIN UNNEST(secrets) AS t (secret)
  GROUP BY principal, recipientaccountid
)
SELECT
  p.principal,
  p.principal_type,
  p.recipientaccountid,
  COALESCE(s.distinct_secrets, 0) AS distinct_secrets,
  p.read_calls,
  p.filtered_batch_calls,
  p.failed_calls,
  p.first_seen,
  p.last_seen,
  p.source_ips,
  s.sample_secrets
FROM per_principal p
LEFT JOIN per_secret s ON s.principal = p.principal AND s.recipientaccountid = p.recipientaccountid
WHERE COALESCE(s.distinct_secrets, 0) >= 10
   OR p.filtered_batch_calls > 0
ORDER BY distinct_secrets DESC, p.read_calls DESC, p.principal, p.recipientaccountid
LIMIT 100
