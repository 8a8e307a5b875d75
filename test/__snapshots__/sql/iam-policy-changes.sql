-- casebook render iam-policy-changes (example parameters, 2024-03-01 to 2024-03-15)
-- Changes to IAM permissions: managed policies attached and detached, inline policies
-- put and deleted, policies and policy versions created, deleted or made default,
-- permissions boundaries set and removed, and role trust policies replaced.
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
    json_extract_scalar(responseelements, '$.policy.arn')) AS target,
  COALESCE(json_extract_scalar(requestparameters, '$.policyArn'), json_extract_scalar(requestparameters, '$.permissionsBoundary'),
    json_extract_scalar(responseelements, '$.policy.arn'), json_extract_scalar(requestparameters, '$.policyName')) AS policy,
  COALESCE(json_extract_scalar(requestparameters, '$.policyDocument'), json_extract_scalar(requestparameters, '$.versionId')) AS policy_document,
  eventid
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND eventsource = 'iam.amazonaws.com'
  AND eventname IN (
    'AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy',
    'DetachUserPolicy', 'DetachRolePolicy', 'DetachGroupPolicy',
    'PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy',
    'DeleteUserPolicy', 'DeleteRolePolicy', 'DeleteGroupPolicy',
    'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'SetDefaultPolicyVersion',
    'PutUserPermissionsBoundary', 'PutRolePermissionsBoundary', 'DeleteUserPermissionsBoundary', 'DeleteRolePermissionsBoundary',
    'UpdateAssumeRolePolicy')
ORDER BY eventtime, eventid
LIMIT 1000
