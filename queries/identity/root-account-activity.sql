-- Everything the root user of an account did: sign-ins (and failed sign-ins), API calls
-- and console actions. Root should almost never be used.
SELECT
  {{> event_columns}},
  useridentity.invokedby AS invoked_by,
  useridentity.sessioncontext.attributes.mfaauthenticated AS mfa_authenticated,
  readonly,
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND useridentity.type = 'Root'
{{#if writes_only}}
  AND {{> identity_is_write}}
{{/if}}
ORDER BY eventtime, eventid
LIMIT {{limit}}
