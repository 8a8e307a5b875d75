-- casebook render guardduty-tampering (example parameters, 2024-03-01 to 2024-03-15)
-- GuardDuty blinded or muted: detectors deleted or disabled (wholly or one protection
-- plan), findings export removed or redirected, member accounts cut off, trusted IP lists
-- added (no findings for those addresses), threat lists deleted, auto-archive filters.
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
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND eventsource = 'guardduty.amazonaws.com'
  AND (eventname IN ('DeleteDetector', 'DeletePublishingDestination', 'UpdatePublishingDestination', 'DeleteMembers',
                     'DisassociateMembers', 'DisassociateFromMasterAccount', 'DisassociateFromAdministratorAccount',
                     'StopMonitoringMembers', 'CreateIPSet', 'UpdateIPSet', 'DeleteThreatIntelSet')
    -- Detector or one of its protection plans switched off.
    OR (eventname = 'UpdateDetector' AND regexp_like(requestparameters, '"enable"\s*:\s*false|"[Ss]tatus"\s*:\s*"DISABLED"'))
    -- Suppression rules: findings that match are archived as they arrive.
    OR (eventname IN ('CreateFilter', 'UpdateFilter') AND json_extract_scalar(requestparameters, '$.action') = 'ARCHIVE'))
ORDER BY eventtime, eventid
LIMIT 1000
