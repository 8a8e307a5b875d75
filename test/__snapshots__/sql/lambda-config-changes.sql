-- casebook render lambda-config-changes (example parameters, 2024-03-01 to 2024-03-15)
-- Lambda functions created or changed: code, configuration (layers, role, handler),
-- resource policy (AddPermission: who may invoke), function URLs, event source mappings,
-- aliases, concurrency, layers shared. CloudTrail names most Lambda API calls with an
-- API-version suffix (UpdateFunctionCode20150331v2, AddPermission20150331v2,
-- CreateEventSourceMapping20150331); the suffix is dropped to give the change.
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
    regexp_replace(eventname, '[0-9]{4}_?[0-9]{2}_?[0-9]{2}(v[0-9]+)?$', '') AS change,
    COALESCE(json_extract_scalar(requestparameters, '$.functionName'),
             json_extract_scalar(responseelements, '$.functionArn'),
             json_extract_scalar(requestparameters, '$.layerName')) AS function_ref,
    requestparameters,
    responseelements,
    eventid
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 'lambda.amazonaws.com'
    AND regexp_like(eventname, '^(CreateFunction|UpdateFunctionCode|UpdateFunctionConfiguration|DeleteFunction|AddPermission|RemovePermission|CreateFunctionUrlConfig|UpdateFunctionUrlConfig|DeleteFunctionUrlConfig|CreateEventSourceMapping|UpdateEventSourceMapping|DeleteEventSourceMapping|CreateAlias|UpdateAlias|PutFunctionConcurrency|PublishLayerVersion|AddLayerVersionPermission)([0-9]{4}_?[0-9]{2}_?[0-9]{2}(v[0-9]+)?)?$')
),
described AS (
  SELECT *,
    COALESCE(NULLIF(regexp_extract(function_ref, ':(?:function|layer):([^:]+)', 1), ''), function_ref) AS function_name,
    CASE
      WHEN change IN ('AddPermission', 'AddLayerVersionPermission')
        THEN concat_ws(' ', 'principal=' || json_extract_scalar(requestparameters, '$.principal'),
                       'action=' || json_extract_scalar(requestparameters, '$.action'),
                       'sourceArn=' || json_extract_scalar(requestparameters, '$.sourceArn'),
                       'sourceAccount=' || json_extract_scalar(requestparameters, '$.sourceAccount'),
                       'organizationId=' || json_extract_scalar(requestparameters, '$.organizationId'),
                       'functionUrlAuthType=' || json_extract_scalar(requestparameters, '$.functionUrlAuthType'))
      WHEN change IN ('CreateFunctionUrlConfig', 'UpdateFunctionUrlConfig')
        THEN 'authType=' || json_extract_scalar(requestparameters, '$.authType')
      WHEN change IN ('CreateEventSourceMapping', 'UpdateEventSourceMapping')
        THEN 'eventSource=' || COALESCE(json_extract_scalar(requestparameters, '$.eventSourceArn'), json_extract_scalar(responseelements, '$.eventSourceArn'), '?')
      WHEN change IN ('UpdateFunctionConfiguration', 'CreateFunction')
        THEN NULLIF(concat_ws(' ',
               'layers=' || NULLIF(array_join(regexp_extract_all(json_format(json_extract(requestparameters, '$.layers')), '"([^"]+)"', 1), ','), ''),
               'role=' || json_extract_scalar(requestparameters, '$.role'),
               'handler=' || json_extract_scalar(requestparameters, '$.handler'),
               'runtime=' || json_extract_scalar(requestparameters, '$.runtime')), '')
      WHEN change = 'PutFunctionConcurrency'
        THEN 'reservedConcurrentExecutions=' || json_extract_scalar(requestparameters, '$.reservedConcurrentExecutions')
      WHEN change IN ('CreateAlias', 'UpdateAlias')
        THEN concat_ws(' ', 'alias=' || json_extract_scalar(requestparameters, '$.name'),
                       'version=' || json_extract_scalar(requestparameters, '$.functionVersion'))
    END AS detail,
    -- Anyone may invoke: a permission for principal "*" with no source or organization
    -- condition, or a function URL without IAM authentication.
    (change IN ('AddPermission', 'AddLayerVersionPermission')
       AND json_extract_scalar(requestparameters, '$.principal') = '*'
       AND json_extract_scalar(requestparameters, '$.sourceArn') IS NULL
       AND json_extract_scalar(requestparameters, '$.sourceAccount') IS NULL
       AND json_extract_scalar(requestparameters, '$.organizationId') IS NULL)
    OR (change IN ('CreateFunctionUrlConfig', 'UpdateFunctionUrlConfig')
       AND json_extract_scalar(requestparameters, '$.authType') = 'NONE') AS public_access
  FROM changes
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode,
  recipientaccountid, awsregion, function_name, change, detail,
  COALESCE(public_access, false) AS public_access,
  eventid
FROM described
WHERE true
  AND function_name IN ('billing-export')
ORDER BY eventtime, eventid
LIMIT 1000
