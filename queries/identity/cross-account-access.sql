-- Calls made into an account by principals of another account (userIdentity.accountId
-- differs from recipientAccountId), grouped by calling account and principal: who from
-- outside is using this account, how much, and what they did.
SELECT
  useridentity.accountid AS caller_account,
  {{> actor}} AS principal,
  useridentity.type AS principal_type,
  recipientaccountid,
  count(*) AS calls,
  count_if(COALESCE({{> authorization_failure}}, false)) AS denied_calls,
  count(DISTINCT eventsource || ':' || eventname) AS distinct_actions,
  array_join(slice(array_sort(array_agg(DISTINCT split_part(eventsource, '.', 1) || ':' || eventname)), 1, {{samples}}), ', ') AS sample_actions,
  array_join(slice(array_sort(array_agg(DISTINCT sourceipaddress)), 1, {{samples}}), ', ') AS source_ips,
  min(eventtime) AS first_seen,
  max(eventtime) AS last_seen
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND regexp_like(useridentity.accountid, '^[0-9]{12}$')
  AND useridentity.accountid <> recipientaccountid
{{#if trusted_accounts}}
  AND useridentity.accountid NOT IN ({{trusted_accounts}})
{{/if}}
GROUP BY useridentity.accountid, {{> actor}}, useridentity.type, recipientaccountid
ORDER BY calls DESC, caller_account, principal, principal_type, recipientaccountid
LIMIT {{limit}}
