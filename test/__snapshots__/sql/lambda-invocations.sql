-- casebook render lambda-invocations (example parameters, 2024-03-01 to 2024-03-15)
-- Lambda invocations per principal and function, from Lambda data events (Invoke,
-- InvokeWithResponseStream, InvokeAsync). The function is taken from the event's
-- resources (its ARN) or the request, and reduced to its name.
WITH calls AS (
  SELECT
    COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) AS principal,
    useridentity.type AS principal_type,
    recipientaccountid,
    eventtime,
    errorcode,
    sourceipaddress,
    COALESCE(element_at(filter(resources, r -> r.arn LIKE 'arn:%:lambda:%:function:%'), 1).arn,
             json_extract_scalar(requestparameters, '$.functionName')) AS function_ref
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 'lambda.amazonaws.com'
    AND eventname IN ('Invoke', 'InvokeWithResponseStream', 'InvokeAsync')
),
named AS (
  SELECT *, COALESCE(NULLIF(regexp_extract(function_ref, ':function:([^:]+)', 1), ''), function_ref) AS function_name
  FROM calls
)
SELECT
  principal,
  max(principal_type) AS principal_type,
  recipientaccountid,
  function_name,
  count(*) AS invocations,
  count_if(errorcode IS NOT NULL) AS failed_invocations,
  min(eventtime) AS first_seen,
  max(eventtime) AS last_seen,
  array_join(slice(array_sort(array_distinct(array_agg(sourceipaddress))), 1, 10), ', ') AS source_ips
FROM named
WHERE function_name IN ('billing-export')
GROUP BY principal, recipientaccountid, function_name
HAVING count(*) >= 1
ORDER BY count(*) DESC, principal, recipientaccountid, function_name
LIMIT 100
