-- Principals active in the window that made no call at all in a lookback period just
-- before it: new users and roles, dormant identities woken up, stolen credentials used
-- for the first time. Role sessions count as their role unless --sessions. One scan
-- reads the window and the lookback period; a principal with any call in the lookback
-- is known.
WITH events AS (
  SELECT
    {{#if sessions}}{{> actor}}{{else}}COALESCE(useridentity.sessioncontext.sessionissuer.arn, {{> actor}}){{/if}} AS principal,
    useridentity.type AS principal_type,
    recipientaccountid,
    eventsource,
    eventname,
    sourceipaddress,
    eventtime,
    eventtime >= {{since.iso}} AS in_window
  FROM cloudtrail
  WHERE ({{window "cloudtrail"}}
    -- the lookback period [since - lookback, since), partition-filtered like the window
    OR (day BETWEEN date_format({{since}} - {{lookback}} * INTERVAL '1' SECOND, '%Y/%m/%d') AND date_format({{since}} + INTERVAL '1' DAY, '%Y/%m/%d')
      AND from_iso8601_timestamp(eventtime) >= {{since}} - {{lookback}} * INTERVAL '1' SECOND
      AND eventtime < {{since.iso}}))
{{#unless include_services}}
    AND COALESCE(useridentity.type, '') <> 'AWSService'
{{/unless}}
)
SELECT
  principal,
  max(principal_type) FILTER (WHERE in_window) AS principal_type,
  array_join(array_sort(array_agg(DISTINCT recipientaccountid) FILTER (WHERE in_window)), ', ') AS accounts,
  count(*) FILTER (WHERE in_window) AS calls,
  count(DISTINCT eventsource || ':' || eventname) FILTER (WHERE in_window) AS distinct_actions,
  array_join(slice(array_sort(array_agg(DISTINCT split_part(eventsource, '.', 1) || ':' || eventname) FILTER (WHERE in_window)), 1, {{samples}}), ', ') AS sample_actions,
  array_join(slice(array_sort(array_agg(DISTINCT sourceipaddress) FILTER (WHERE in_window)), 1, {{samples}}), ', ') AS source_ips,
  min(eventtime) FILTER (WHERE in_window) AS first_seen,
  max(eventtime) FILTER (WHERE in_window) AS last_seen
FROM events
WHERE principal IS NOT NULL
GROUP BY principal
HAVING count(*) FILTER (WHERE NOT in_window) = 0
  AND count(*) FILTER (WHERE in_window) > 0
ORDER BY first_seen, principal
LIMIT {{limit}}
