-- Changes to IAM permissions: managed policies attached and detached, inline policies
-- put and deleted, policies and policy versions created, deleted or made default,
-- permissions boundaries set and removed, and role trust policies replaced.
SELECT
  {{> event_columns}},
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
WHERE {{window "cloudtrail"}}
  AND eventsource = 'iam.amazonaws.com'
  AND eventname IN (
    'AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy',
    'DetachUserPolicy', 'DetachRolePolicy', 'DetachGroupPolicy',
    'PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy',
    'DeleteUserPolicy', 'DeleteRolePolicy', 'DeleteGroupPolicy',
    'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'SetDefaultPolicyVersion',
    'PutUserPermissionsBoundary', 'PutRolePermissionsBoundary', 'DeleteUserPermissionsBoundary', 'DeleteRolePermissionsBoundary',
    'UpdateAssumeRolePolicy')
{{#if successful_only}}
  AND (errorcode IS NULL OR errorcode = '')
{{/if}}
ORDER BY eventtime, eventid
LIMIT {{limit}}
