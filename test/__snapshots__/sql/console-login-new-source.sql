-- casebook render console-login-new-source (example parameters, 2024-03-01 to 2024-03-15)
-- Console sign-ins from a source address or browser (user agent) that the same principal
-- did not sign in from (successfully) during a lookback period just before the window.
-- One scan reads the sign-ins of the window and of the lookback period.
WITH signins AS (
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
    useridentity.username AS user_name,
    COALESCE(json_extract_scalar(responseelements, '$.ConsoleLogin'),
      CASE WHEN errormessage IS NOT NULL OR errorcode IS NOT NULL THEN 'Failure' END) AS login_result,
    json_extract_scalar(additionaleventdata, '$.MFAUsed') AS mfa_used,
    eventid,
    eventtime >= '2024-03-01T00:00:00Z' AS in_window
  FROM cloudtrail
  WHERE ((day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    -- the lookback period [since - lookback, since), partition-filtered like the window
    OR (day BETWEEN '2024/01/31' AND '2024/03/01' AND eventtime >= '2024-01-31T00:00:00Z' AND eventtime < '2024-03-01T00:00:00Z'))
    AND eventsource = 'signin.amazonaws.com'
    AND eventname = 'ConsoleLogin'
),
graded AS (
  SELECT
    eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode, recipientaccountid, awsregion,
    user_name, login_result, mfa_used, eventid, in_window,
    sum(CASE WHEN NOT in_window AND login_result = 'Success' THEN 1 ELSE 0 END) OVER (PARTITION BY principal, sourceipaddress) = 0 AS new_source_ip,
    sum(CASE WHEN NOT in_window AND login_result = 'Success' THEN 1 ELSE 0 END) OVER (PARTITION BY principal, useragent) = 0 AS new_user_agent,
    sum(CASE WHEN NOT in_window AND login_result = 'Success' THEN 1 ELSE 0 END) OVER (PARTITION BY principal) > 0 AS principal_seen_before
  FROM signins
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode, recipientaccountid, awsregion,
  user_name, login_result, mfa_used, new_source_ip, new_user_agent, principal_seen_before, eventid
FROM graded
WHERE in_window
  AND ('success' = 'any' OR lower(login_result) = 'success')
  AND (('either' = 'ip' AND new_source_ip)
    OR ('either' = 'user_agent' AND new_user_agent)
    OR ('either' = 'either' AND (new_source_ip OR new_user_agent)))
ORDER BY eventtime, eventid
LIMIT 1000
