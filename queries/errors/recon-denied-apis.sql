-- One principal denied many different APIs in a short period: the pattern of a stolen
-- credential being tried against everything to learn what it may do. Denied calls are
-- counted in fixed periods laid twice, the second layer shifted by half a period, so a
-- burst shorter than half a period always falls whole into one of them; each principal
-- is listed once, with its busiest period.
WITH denied AS (
  SELECT
    {{> actor}} AS principal,
    useridentity.type AS principal_type,
    eventsource,
    eventname,
    sourceipaddress,
    eventtime,
    to_unixtime(from_iso8601_timestamp(eventtime)) AS t
  FROM cloudtrail
  WHERE {{window "cloudtrail"}}
    AND {{> authorization_failure}}
),
periods AS (
  SELECT
    principal,
    principal_type,
    layer,
    floor((t - layer * {{period}} / 2.0) / {{period}}) AS period_index,
    count(*) AS denied_calls,
    count(DISTINCT eventsource || ':' || eventname) AS distinct_actions,
    count(DISTINCT eventsource) AS distinct_services,
    min(eventtime) AS first_seen,
    max(eventtime) AS last_seen,
    array_join(slice(array_sort(array_agg(DISTINCT split_part(eventsource, '.', 1) || ':' || eventname)), 1, {{samples}}), ', ') AS sample_actions,
    array_join(slice(array_sort(array_agg(DISTINCT sourceipaddress)), 1, {{samples}}), ', ') AS source_ips
  FROM denied
  CROSS JOIN (VALUES (0), (1)) AS layers (layer)
  GROUP BY principal, principal_type, layer, floor((t - layer * {{period}} / 2.0) / {{period}})
  HAVING count(DISTINCT eventsource || ':' || eventname) >= {{min_distinct}}
    AND count(DISTINCT eventsource) >= {{min_services}}
),
ranked AS (
  SELECT
    principal, principal_type, distinct_actions, distinct_services, denied_calls, first_seen, last_seen, sample_actions, source_ips,
    row_number() OVER (PARTITION BY principal, principal_type
      ORDER BY distinct_actions DESC, denied_calls DESC, first_seen, layer) AS rn
  FROM periods
)
SELECT
  principal,
  principal_type,
  distinct_actions,
  distinct_services,
  denied_calls,
  first_seen,
  last_seen,
  sample_actions,
  source_ips
FROM ranked
WHERE rn = 1
ORDER BY distinct_actions DESC, denied_calls DESC, principal, principal_type
LIMIT {{limit}}
