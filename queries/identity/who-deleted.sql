-- Who deleted a resource: delete-style API calls (Delete*, Terminate*, Remove*,
-- Disable*, Deregister*, Detach*, ScheduleKeyDeletion, ...) whose request
-- parameters, response or resources name it. Failed attempts are kept: they are
-- evidence too, and a denied call often names its target only in its error message
-- (requestParameters null), so that is searched for calls that failed.
SELECT
  {{> event_columns}},
  eventid
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND regexp_like(eventname, '^(Delete|Terminate|Remove|Disable|Deregister|Detach|Disassociate|Purge|Revoke|Release|ScheduleKeyDeletion|DeactivateMFADevice)')
  AND (requestparameters LIKE {{like_contains resource}}
    OR responseelements LIKE {{like_contains resource}}
    OR cardinality(filter(resources, r -> r.arn LIKE {{like_contains resource}})) > 0
    OR (errorcode IS NOT NULL AND errormessage LIKE {{like_contains resource}}))
ORDER BY eventtime, eventid
