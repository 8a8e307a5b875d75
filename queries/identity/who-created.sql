-- Who created a resource: creation-style API calls (Create*, Run*, Put*, Register*,
-- Import*, Allocate*, Copy*, Request*, Issue*, Upload*, Publish*, Launch*) whose request
-- parameters, response or resources name it. Failed attempts are kept: they are evidence
-- too.
SELECT
  {{> event_columns}},
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND regexp_like(eventname, '^(Create|Run|Put|Register|Import|Allocate|Copy|Request|Issue|Upload|Publish|Launch)')
  AND (requestparameters LIKE {{like_contains resource}}
    OR responseelements LIKE {{like_contains resource}}
    OR cardinality(filter(resources, r -> r.arn LIKE {{like_contains resource}})) > 0)
ORDER BY eventtime, eventid
LIMIT {{limit}}
