-- Lambda invocations per principal and function, from Lambda data events (Invoke,
-- InvokeWithResponseStream, InvokeAsync). The function is taken from the event's
-- resources (its ARN) or the request, and reduced to its name.
WITH calls AS (
  SELECT
    {{> actor}} AS principal,
    useridentity.type AS principal_type,
    recipientaccountid,
    eventtime,
    errorcode,
    sourceipaddress,
    COALESCE(element_at(filter(resources, r -> r.arn LIKE 'arn:%:lambda:%:function:%'), 1).arn,
             json_extract_scalar(requestparameters, '$.functionName')) AS function_ref
  FROM cloudtrail
  WHERE {{window "cloudtrail"}}
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
{{#if functions}}
WHERE function_name IN ({{functions}})
{{/if}}
GROUP BY principal, recipientaccountid, function_name
HAVING count(*) >= {{min_invocations}}
ORDER BY count(*) DESC, principal, recipientaccountid, function_name
LIMIT {{limit}}
