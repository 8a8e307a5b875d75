-- casebook render who-created (example parameters, 2024-03-01 to 2024-03-15)
-- Who created a resource: creation-style API calls (Create*, Run*, Put*, Register*,
-- Import*, Allocate*, Copy*, Request*, Issue*, Upload*, Publish*, Launch*) whose request
-- parameters, response or resources name it. Failed attempts are kept: they are evidence
-- too, and a denied call often names its target only in its error message
-- (requestParameters null), so that is searched for calls that failed.
SELECT
  eventtime,
  COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type) AS principal,
  useridentity.type AS principal_type,
  eventsource,
  eventname,
  sourceipaddress,
  useragent,
  errorcode,
  recipientaccountid,
  awsregion,
  eventid
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND regexp_like(eventname, '^(Create|Run|Put|Register|Import|Allocate|Copy|Request|Issue|Upload|Publish|Launch)')
  AND (requestparameters LIKE '%svc-backup2%' ESCAPE '\'
    OR responseelements LIKE '%svc-backup2%' ESCAPE '\'
    OR cardinality(filter(resources, r -> r.arn LIKE '%svc-backup2%' ESCAPE '\')) > 0
    OR (errorcode IS NOT NULL AND errormessage LIKE '%svc-backup2%' ESCAPE '\'))
ORDER BY eventtime, eventid
LIMIT 1000
