-- IAM users created: who created which user, from where, and whether it succeeded.
SELECT
  {{> event_columns}},
  COALESCE(json_extract_scalar(responseelements, '$.user.userName'), json_extract_scalar(requestparameters, '$.userName')) AS user_name,
  json_extract_scalar(responseelements, '$.user.arn') AS user_arn,
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND eventsource = 'iam.amazonaws.com'
  AND eventname = 'CreateUser'
{{#if successful_only}}
  AND (errorcode IS NULL OR errorcode = '')
{{/if}}
ORDER BY eventtime, eventid
