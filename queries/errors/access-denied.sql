-- Authorization failures grouped by principal: how many calls were denied, how many
-- different actions, with which error codes, from where, and when.
SELECT
  {{> actor}} AS principal,
  useridentity.type AS principal_type,
  count(*) AS denied_calls,
  count(DISTINCT eventsource || ':' || eventname) AS distinct_actions,
  array_join(array_sort(array_agg(DISTINCT errorcode)), ', ') AS error_codes,
  array_join(slice(array_sort(array_agg(DISTINCT split_part(eventsource, '.', 1) || ':' || eventname)), 1, {{samples}}), ', ') AS sample_actions,
  array_join(slice(array_sort(array_agg(DISTINCT sourceipaddress)), 1, {{samples}}), ', ') AS source_ips,
  array_join(array_sort(array_agg(DISTINCT recipientaccountid)), ', ') AS accounts,
  min(eventtime) AS first_seen,
  max(eventtime) AS last_seen
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND {{> authorization_failure}}
GROUP BY {{> actor}}, useridentity.type
HAVING count(*) >= {{min_count}}
ORDER BY denied_calls DESC, principal, principal_type
LIMIT {{limit}}
