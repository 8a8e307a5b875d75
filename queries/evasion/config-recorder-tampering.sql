-- AWS Config blinded: recorder stopped, deleted or narrowed to some resource types,
-- delivery channel deleted, rules, conformance packs or aggregators deleted.
SELECT
  {{> event_columns}},
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
WHERE {{window "cloudtrail"}}
  AND eventsource = 'config.amazonaws.com'
  AND (eventname IN ('StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteServiceLinkedConfigurationRecorder',
                     'DeleteDeliveryChannel', 'DeleteConfigRule', 'DeleteOrganizationConfigRule', 'DeleteConformancePack',
                     'DeleteOrganizationConformancePack', 'DeleteConfigurationAggregator')
    -- A recorder redefined to record only some resource types, or no global ones.
    OR (eventname = 'PutConfigurationRecorder'
        AND (json_extract_scalar(requestparameters, '$.configurationRecorder.recordingGroup.allSupported') = 'false'
          OR json_extract_scalar(requestparameters, '$.configurationRecorder.recordingGroup.recordingStrategy.useOnly') = 'EXCLUSION_BY_RESOURCE_TYPES')))
{{#unless include_failed}}
  AND errorcode IS NULL
{{/unless}}
ORDER BY eventtime, eventid
LIMIT {{limit}}
