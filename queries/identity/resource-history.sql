-- Every event that names a resource in its request, response or resource list: the
-- resource's history as CloudTrail saw it (who created, changed, read or deleted it).
-- A denied call often names its target only in its error message (requestParameters
-- null), so that is searched for calls that failed.
SELECT
  {{> event_columns}},
  readonly,
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND (requestparameters LIKE {{like_contains resource}}
    OR responseelements LIKE {{like_contains resource}}
    OR cardinality(filter(resources, r -> r.arn LIKE {{like_contains resource}})) > 0
    OR (errorcode IS NOT NULL AND errormessage LIKE {{like_contains resource}}))
{{#if writes_only}}
  AND {{> identity_is_write}}
{{/if}}
ORDER BY eventtime, eventid
LIMIT {{limit}}
