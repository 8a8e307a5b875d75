-- Who created a resource: creation-style API calls (Create*, Run*, Put*, Register*,
-- Import*, Allocate*, Copy*, Request*, Issue*, Upload*, Publish*, Launch*) whose request
-- parameters, response or resources name it. Failed attempts are kept: they are evidence
-- too, and a denied call often names its target only in its error message
-- (requestParameters null), so that is searched for calls that failed.
SELECT
  {{> event_columns}},
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND regexp_like(eventname, '^(Create|Run|Put|Register|Import|Allocate|Copy|Request|Issue|Upload|Publish|Launch)')
  AND (requestparameters LIKE {{like_contains resource}}
    OR responseelements LIKE {{like_contains resource}}
    OR cardinality(filter(resources, r -> r.arn LIKE {{like_contains resource}})) > 0
    OR (errorcode IS NOT NULL AND errormessage LIKE {{like_contains resource}}))
ORDER BY eventtime, eventid
LIMIT {{limit}}
