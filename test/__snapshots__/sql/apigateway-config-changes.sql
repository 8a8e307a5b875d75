-- casebook render apigateway-config-changes (example parameters, 2024-03-01 to 2024-03-15)
-- API Gateway APIs created or changed (REST APIs and HTTP/WebSocket APIs alike): every
-- Create*, Update*, Delete*, Put* and Import* call. The detail is read from the request:
-- route key or HTTP method, authorization type, integration target, stage. A route or
-- method with authorization type NONE can be called by anyone.
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
    COALESCE(json_extract_scalar(requestparameters, '$.restApiId'),
             json_extract_scalar(requestparameters, '$.apiId'),
             json_extract_scalar(responseelements, '$.apiId'),
             json_extract_scalar(responseelements, '$.id')) AS api_id,
    NULLIF(concat_ws(' ',
      json_extract_scalar(requestparameters, '$.name'),
      json_extract_scalar(requestparameters, '$.routeKey'),
      json_extract_scalar(requestparameters, '$.httpMethod'),
      'auth=' || json_extract_scalar(requestparameters, '$.authorizationType'),
      'target=' || COALESCE(json_extract_scalar(requestparameters, '$.integrationUri'),
                            json_extract_scalar(requestparameters, '$.uri'),
                            json_extract_scalar(requestparameters, '$.target')),
      'stage=' || json_extract_scalar(requestparameters, '$.stageName')), '') AS detail,
    json_extract_scalar(requestparameters, '$.authorizationType') = 'NONE'
      OR (regexp_like(requestparameters, '/authorizationType') AND regexp_like(requestparameters, '"NONE"')) AS unauthenticated,
    eventid
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 'apigateway.amazonaws.com'
    AND regexp_like(eventname, '^(Create|Update|Delete|Put|Import|Reimport)')
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode,
  recipientaccountid, awsregion, api_id, detail, COALESCE(unauthenticated, false) AS unauthenticated, eventid
FROM changes
ORDER BY eventtime, eventid
LIMIT 1000
