-- Every event that names a resource in its request, response or resource list: the
-- resource's history as CloudTrail saw it (who created, changed, read or deleted it).
SELECT
  {{> event_columns}},
  readonly,
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND (requestparameters LIKE {{like_contains resource}}
    OR responseelements LIKE {{like_contains resource}}
    OR cardinality(filter(resources, r -> r.arn LIKE {{like_contains resource}})) > 0)
{{#if writes_only}}
  AND {{> identity_is_write}}
{{/if}}
ORDER BY eventtime, eventid
LIMIT {{limit}}
