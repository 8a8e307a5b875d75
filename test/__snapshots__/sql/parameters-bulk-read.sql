-- casebook render parameters-bulk-read (example parameters, 2024-03-01 to 2024-03-15)
-- SSM Parameter Store values read in bulk, per principal and account: GetParameter (one
-- name), GetParameters (up to 10 names) and GetParametersByPath (a whole path, whose
-- parameters the log does not name). With --decrypted-only (the default) only calls with
-- withDecryption true, the ones that return SecureString values in clear text. Parameter
-- ARNs are reduced to the parameter name.
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
      CASE eventname
        WHEN 'GetParameter' THEN filter(ARRAY[json_extract_scalar(requestparameters, '$.name')], n -> n IS NOT NULL)
        WHEN 'GetParameters' THEN COALESCE(regexp_extract_all(json_format(json_extract(requestparameters, '$.names')), '"([^"]+)"', 1), ARRAY[])
        ELSE ARRAY[]
      END,
      n -> COALESCE(NULLIF(regexp_extract(n, '^arn:[^:]+:ssm:[^:]*:[0-9]*:parameter(/.*)$', 1), ''), n)) AS names,
    CASE WHEN eventname = 'GetParametersByPath' THEN json_extract_scalar(requestparameters, '$.path') END AS path
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 'ssm.amazonaws.com'
    AND eventname IN ('GetParameter', 'GetParameters', 'GetParametersByPath')
    AND json_extract_scalar(requestparameters, '$.withDecryption') = 'true'
),
per_principal AS (
  SELECT
    principal,
    recipientaccountid,
    max(principal_type) AS principal_type,
    count(*) AS read_calls,
    count_if(eventname = 'GetParametersByPath') AS by_path_calls,
    count_if(errorcode IS NOT NULL) AS failed_calls,
    min(eventtime) AS first_seen,
    max(eventtime) AS last_seen,
    array_join(slice(array_sort(array_distinct(array_agg(sourceipaddress))), 1, 10), ', ') AS source_ips,
    NULLIF(array_join(slice(array_sort(array_distinct(filter(array_agg(path), p -> p IS NOT NULL))), 1, 5), ', '), '') AS paths
  FROM reads
  GROUP BY principal, recipientaccountid
),
per_parameter AS (
  SELECT principal, recipientaccountid, count(DISTINCT name) AS distinct_parameters,
         array_join(slice(array_sort(array_agg(DISTINCT name)), 1, 5), ', ') AS sample_parameters
  FROM reads
  CROSS JOIN UNNEST(names) AS t (name)
  GROUP BY principal, recipientaccountid
)
SELECT
  p.principal,
  p.principal_type,
  p.recipientaccountid,
  COALESCE(s.distinct_parameters, 0) AS distinct_parameters,
  p.read_calls,
  p.by_path_calls,
  p.failed_calls,
  p.first_seen,
  p.last_seen,
  p.source_ips,
  p.paths,
  s.sample_parameters
FROM per_principal p
LEFT JOIN per_parameter s ON s.principal = p.principal AND s.recipientaccountid = p.recipientaccountid
WHERE COALESCE(s.distinct_parameters, 0) >= 10
ORDER BY distinct_parameters DESC, p.read_calls DESC, p.principal, p.recipientaccountid
LIMIT 100
