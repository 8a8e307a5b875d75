-- Console sign-ins from a source address or browser (user agent) that the same principal
-- did not sign in from during a lookback period just before the window.
WITH logins AS (
  SELECT
    *,
    {{> actor}} AS principal,
    COALESCE(json_extract_scalar(responseelements, '$.ConsoleLogin'),
      CASE WHEN errormessage IS NOT NULL OR errorcode IS NOT NULL THEN 'Failure' END) AS login_result
  FROM cloudtrail
  WHERE {{window "cloudtrail"}}
    AND eventsource = 'signin.amazonaws.com'
    AND eventname = 'ConsoleLogin'
),
-- Successful sign-ins of the lookback period [since - lookback, since), partition-filtered like the window.
known AS (
  SELECT DISTINCT {{> actor}} AS principal, sourceipaddress, useragent
  FROM cloudtrail
  WHERE day BETWEEN date_format({{since}} - {{lookback}} * INTERVAL '1' SECOND, '%Y/%m/%d') AND date_format({{since}} + INTERVAL '1' DAY, '%Y/%m/%d')
    AND from_iso8601_timestamp(eventtime) >= {{since}} - {{lookback}} * INTERVAL '1' SECOND
    AND eventtime < {{since.iso}}
    AND eventsource = 'signin.amazonaws.com'
    AND eventname = 'ConsoleLogin'
    AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'
),
known_ips AS (SELECT DISTINCT principal, sourceipaddress FROM known),
known_agents AS (SELECT DISTINCT principal, useragent FROM known),
known_principals AS (SELECT DISTINCT principal FROM known),
graded AS (
  SELECT
    l.*,
    ki.principal IS NULL AS new_source_ip,
    ka.principal IS NULL AS new_user_agent,
    kp.principal IS NOT NULL AS principal_seen_before
  FROM logins l
  LEFT JOIN known_ips ki ON ki.principal = l.principal AND ki.sourceipaddress = l.sourceipaddress
  LEFT JOIN known_agents ka ON ka.principal = l.principal AND ka.useragent = l.useragent
  LEFT JOIN known_principals kp ON kp.principal = l.principal
)
SELECT
  eventtime,
  principal,
  useridentity.type AS principal_type,
  eventsource,
  eventname,
  sourceipaddress,
  useragent,
  errorcode,
  recipientaccountid,
  awsregion,
  useridentity.username AS user_name,
  login_result,
  json_extract_scalar(additionaleventdata, '$.MFAUsed') AS mfa_used,
  new_source_ip,
  new_user_agent,
  principal_seen_before,
  eventid
FROM graded
WHERE ({{outcome}} = 'any' OR lower(login_result) = {{outcome}})
  AND (({{new}} = 'ip' AND new_source_ip)
    OR ({{new}} = 'user_agent' AND new_user_agent)
    OR ({{new}} = 'either' AND (new_source_ip OR new_user_agent)))
ORDER BY eventtime, eventid
LIMIT {{limit}}
