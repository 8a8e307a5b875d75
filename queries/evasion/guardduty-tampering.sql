-- GuardDuty blinded or muted: detectors deleted or disabled (wholly or one protection
-- plan), findings export removed or redirected, member accounts cut off, trusted IP lists
-- added (no findings for those addresses), threat lists deleted, auto-archive filters.
SELECT
  {{> event_columns}},
  json_extract_scalar(requestparameters, '$.detectorId') AS detector_id,
  COALESCE(
    json_extract_scalar(requestparameters, '$.destinationId'),
    NULLIF(array_join(regexp_extract_all(json_format(json_extract(requestparameters, '$.accountIds')), '"([^"]+)"', 1), ', '), ''),
    CASE WHEN eventname IN ('CreateIPSet', 'UpdateIPSet')
      THEN concat_ws(' ', COALESCE(json_extract_scalar(requestparameters, '$.name'), json_extract_scalar(requestparameters, '$.ipSetId')),
                     json_extract_scalar(requestparameters, '$.location')) END,
    json_extract_scalar(requestparameters, '$.threatIntelSetId'),
    json_extract_scalar(requestparameters, '$.filterName'),
    json_extract_scalar(requestparameters, '$.name')) AS target,
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND eventsource = 'guardduty.amazonaws.com'
  AND (eventname IN ('DeleteDetector', 'DeletePublishingDestination', 'UpdatePublishingDestination', 'DeleteMembers',
                     'DisassociateMembers', 'DisassociateFromMasterAccount', 'DisassociateFromAdministratorAccount',
                     'StopMonitoringMembers', 'CreateIPSet', 'UpdateIPSet', 'DeleteThreatIntelSet')
    -- Detector or one of its protection plans switched off.
    OR (eventname = 'UpdateDetector' AND regexp_like(requestparameters, '"enable"\s*:\s*false|"[Ss]tatus"\s*:\s*"DISABLED"'))
    -- Suppression rules: findings that match are archived as they arrive.
    OR (eventname IN ('CreateFilter', 'UpdateFilter') AND json_extract_scalar(requestparameters, '$.action') = 'ARCHIVE'))
{{#unless include_failed}}
  AND errorcode IS NULL
{{/unless}}
ORDER BY eventtime, eventid
LIMIT {{limit}}
