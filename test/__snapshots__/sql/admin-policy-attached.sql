-- casebook render admin-policy-attached (example parameters, 2024-03-01 to 2024-03-15)
-- Administrator access granted: an administrator managed policy (AdministratorAccess by
-- default) attached to a user, role or group, or an inline or customer managed policy
-- written with a statement that allows every action ("*" or "*:*") on every resource.
-- Statements are read one by one (nested Condition and Principal blocks included), so a
-- Deny of everything next to a narrow Allow is not mistaken for a grant.
WITH changes AS (
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
    CASE
      WHEN eventname LIKE '%User%' THEN 'user'
      WHEN eventname LIKE '%Role%' THEN 'role'
      WHEN eventname LIKE '%Group%' THEN 'group'
      ELSE 'policy'
    END AS target_type,
    COALESCE(json_extract_scalar(requestparameters, '$.userName'), json_extract_scalar(requestparameters, '$.roleName'),
      json_extract_scalar(requestparameters, '$.groupName'), json_extract_scalar(requestparameters, '$.policyArn'),
      json_extract_scalar(responseelements, '$.policy.arn'), json_extract_scalar(requestparameters, '$.policyName')) AS target,
    json_extract_scalar(requestparameters, '$.policyArn') AS policy_arn,
    json_extract_scalar(requestparameters, '$.policyName') AS policy_name,
    json_extract_scalar(requestparameters, '$.policyDocument') AS policy_document,
    eventid
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 'iam.amazonaws.com'
    AND eventname IN ('AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy',
      'PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy', 'CreatePolicy', 'CreatePolicyVersion')
),
graded AS (
  SELECT
    eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode, recipientaccountid, awsregion,
    target_type,
    target,
    COALESCE(policy_arn, policy_name) AS policy,
    CASE
      WHEN policy_arn IN ('arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws-us-gov:iam::aws:policy/AdministratorAccess', 'arn:aws-cn:iam::aws:policy/AdministratorAccess') THEN 'managed administrator policy'
      WHEN cardinality(filter(
          regexp_extract_all(policy_document, '\{(?:[^{}]|\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\})*"Effect"(?:[^{}]|\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\})*\}'),
          s -> regexp_like(s, '"Effect"\s*:\s*"Allow"')
            AND regexp_like(s, '"Action"\s*:\s*(\[[^\]]*)?"\*(:\*)?"')
            AND regexp_like(s, '"Resource"\s*:\s*(\[[^\]]*)?"\*"'))) > 0 THEN 'policy allows * on *'
    END AS grant_kind,
    eventid
  FROM changes
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode, recipientaccountid, awsregion,
  target_type, target, policy, grant_kind, eventid
FROM graded
WHERE grant_kind IS NOT NULL
ORDER BY eventtime, eventid
