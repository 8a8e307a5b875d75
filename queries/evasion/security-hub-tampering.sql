-- Security Hub switched off or cut down: the hub disabled, standards or controls disabled,
-- product integrations stopped, member accounts removed; with --include-suppressions,
-- findings marked SUPPRESSED by hand.
SELECT
  {{> event_columns}},
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
WHERE {{window "cloudtrail"}}
  AND eventsource = 'securityhub.amazonaws.com'
  AND (eventname IN ('DisableSecurityHub', 'BatchDisableStandards', 'DisableImportFindingsForProduct', 'DeleteMembers',
                     'DisassociateMembers', 'DisassociateFromMasterAccount', 'DisassociateFromAdministratorAccount',
                     'DisableOrganizationAdminAccount')
    OR (eventname = 'UpdateStandardsControl' AND json_extract_scalar(requestparameters, '$.ControlStatus') = 'DISABLED')
    OR (eventname = 'BatchUpdateStandardsControlAssociations' AND regexp_like(requestparameters, '"AssociationStatus"\s*:\s*"DISABLED"'))
{{#if include_suppressions}}
    OR (eventname IN ('BatchUpdateFindings', 'UpdateFindings') AND regexp_like(requestparameters, '"Status"\s*:\s*"SUPPRESSED"'))
{{/if}}
  )
{{#unless include_failed}}
  AND errorcode IS NULL
{{/unless}}
ORDER BY eventtime, eventid
LIMIT {{limit}}
