-- casebook render security-hub-tampering (example parameters, 2024-03-01 to 2024-03-15)
-- Security Hub switched off or cut down: the hub disabled, standards or controls disabled,
-- product integrations stopped, member accounts removed; with --include-suppressions,
-- findings marked SUPPRESSED by hand.
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
  COALESCE(
    NULLIF(array_join(regexp_extract_all(json_format(json_extract(requestparameters, '$.AccountIds')), '"([^"]+)"', 1), ', '), ''),
    NULLIF(array_join(regexp_extract_all(json_format(json_extract(requestparameters, '$.StandardsSubscriptionArns')), '"([^"]+)"', 1), ', '), ''),
    NULLIF(array_join(regexp_extract_all(json_format(json_extract(requestparameters, '$.StandardsControlAssociationUpdates')), '"SecurityControlId"\s*:\s*"([^"]+)"', 1), ', '), ''),
    json_extract_scalar(requestparameters, '$.StandardsControlArn'),
    json_extract_scalar(requestparameters, '$.ProductSubscriptionArn'),
    json_extract_scalar(requestparameters, '$.AdminAccountId'),
    NULLIF(array_join(regexp_extract_all(json_format(json_extract(requestparameters, '$.FindingIdentifiers')), '"Id"\s*:\s*"([^"]+)"', 1), ', '), '')) AS target,
  eventid
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND eventsource = 'securityhub.amazonaws.com'
  AND (eventname IN ('DisableSecurityHub', 'BatchDisableStandards', 'DisableImportFindingsForProduct', 'DeleteMembers',
                     'DisassociateMembers', 'DisassociateFromMasterAccount', 'DisassociateFromAdministratorAccount',
                     'DisableOrganizationAdminAccount')
    OR (eventname = 'UpdateStandardsControl' AND json_extract_scalar(requestparameters, '$.ControlStatus') = 'DISABLED')
    OR (eventname = 'BatchUpdateStandardsControlAssociations' AND regexp_like(requestparameters, '"AssociationStatus"\s*:\s*"DISABLED"'))
  )
ORDER BY eventtime, eventid
LIMIT 1000
