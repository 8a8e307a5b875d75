-- casebook render config-recorder-tampering (example parameters, 2024-03-01 to 2024-03-15)
-- AWS Config blinded: recorder stopped, deleted or narrowed to some resource types,
-- delivery channel deleted, rules, conformance packs or aggregators deleted.
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
    json_extract_scalar(requestparameters, '$.configurationRecorderName'),
    json_extract_scalar(requestparameters, '$.configurationRecorder.name'),
    json_extract_scalar(requestparameters, '$.deliveryChannelName'),
    json_extract_scalar(requestparameters, '$.configRuleName'),
    json_extract_scalar(requestparameters, '$.organizationConfigRuleName'),
    json_extract_scalar(requestparameters, '$.conformancePackName'),
    json_extract_scalar(requestparameters, '$.organizationConformancePackName'),
    json_extract_scalar(requestparameters, '$.configurationAggregatorName'),
    json_extract_scalar(requestparameters, '$.arn')) AS target,
  eventid
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND eventsource = 'config.amazonaws.com'
  AND (eventname IN ('StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteServiceLinkedConfigurationRecorder',
                     'DeleteDeliveryChannel', 'DeleteConfigRule', 'DeleteOrganizationConfigRule', 'DeleteConformancePack',
                     'DeleteOrganizationConformancePack', 'DeleteConfigurationAggregator')
    -- A recorder redefined to record only some resource types, or no global ones.
    OR (eventname = 'PutConfigurationRecorder'
        AND (json_extract_scalar(requestparameters, '$.configurationRecorder.recordingGroup.allSupported') = 'false'
          OR json_extract_scalar(requestparameters, '$.configurationRecorder.recordingGroup.recordingStrategy.useOnly') = 'EXCLUSION_BY_RESOURCE_TYPES')))
ORDER BY eventtime, eventid
LIMIT 1000
