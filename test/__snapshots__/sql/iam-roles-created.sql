-- casebook render iam-roles-created (example parameters, 2024-03-01 to 2024-03-15)
-- IAM roles created, with who may assume them: the accounts named in the trust policy
-- (those other than the role's own account are external), whether any AWS principal
-- ("*") may assume it, and the services trusted.
WITH created AS (
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
    COALESCE(json_extract_scalar(responseelements, '$.role.roleName'), json_extract_scalar(requestparameters, '$.roleName')) AS role_name,
    json_extract_scalar(responseelements, '$.role.arn') AS role_arn,
    json_extract_scalar(requestparameters, '$.assumeRolePolicyDocument') AS trust_policy,
    json_extract_scalar(requestparameters, '$.aWSServiceName') AS service_name,
    eventid
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 'iam.amazonaws.com'
    AND (eventname = 'CreateRole')
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode, recipientaccountid, awsregion,
  role_name,
  role_arn,
  array_join(array_sort(filter(
    array_distinct(regexp_extract_all(trust_policy, '(?:arn:aws[a-z-]*:iam::|")([0-9]{12})(?::|")', 1)),
    a -> a <> recipientaccountid)), ', ') AS external_accounts,
  regexp_like(COALESCE(trust_policy, ''), '"AWS"\s*:\s*(\[[^\]]*)?"\*"') AS any_principal,
  array_join(array_sort(array_distinct(regexp_extract_all(COALESCE(trust_policy, service_name, ''), '([a-z0-9.-]+\.amazonaws\.com(\.cn)?)', 1))), ', ') AS trusted_services,
  trust_policy,
  eventid
FROM created
ORDER BY eventtime, eventid
