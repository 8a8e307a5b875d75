-- Everything one principal did: every event whose caller is the principal, named
-- by any of the spellings CloudTrail records for it (user or role ARN, IAM user
-- name, role session name, role name, unique principal id, access key id).
SELECT
  {{> event_columns}},
  readonly,
  useridentity.accesskeyid AS access_key_id,
  array_join(transform(resources, r -> r.arn), ', ') AS resource_arns,
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND (useridentity.arn = {{principal}}
    OR useridentity.username = {{principal}}
    OR element_at(split(useridentity.arn, '/'), -1) = {{principal}}
    OR useridentity.principalid = {{principal}}
    OR useridentity.principalid LIKE {{like_suffix principal ":"}}
    OR useridentity.sessioncontext.sessionissuer.arn = {{principal}}
    OR useridentity.sessioncontext.sessionissuer.username = {{principal}}
    OR useridentity.accesskeyid = {{principal}}
    OR useridentity.invokedby = {{principal}})
{{#if writes_only}}
  AND {{> identity_is_write}}
{{/if}}
ORDER BY eventtime, eventid
LIMIT {{limit}}
