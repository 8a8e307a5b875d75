-- casebook render principal-activity (example parameters, 2024-03-01 to 2024-03-15)
-- Everything one principal did: every event whose caller is the principal, named
-- by any of the spellings CloudTrail records for it (user or role ARN, IAM user
-- name, role session name, role name, unique principal id, access key id).
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
  readonly,
  useridentity.accesskeyid AS access_key_id,
  array_join(transform(resources, r -> r.arn), ', ') AS resource_arns,
  eventid
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND (useridentity.arn = 'mallory'
    OR useridentity.username = 'mallory'
    OR element_at(split(useridentity.arn, '/'), -1) = 'mallory'
    OR useridentity.principalid = 'mallory'
    OR useridentity.principalid LIKE '%:mallory' ESCAPE '\'
    OR useridentity.sessioncontext.sessionissuer.arn = 'mallory'
    OR useridentity.sessioncontext.sessionissuer.username = 'mallory'
    OR useridentity.accesskeyid = 'mallory'
    OR useridentity.invokedby = 'mallory')
ORDER BY eventtime, eventid
LIMIT 1000
