-- Activity in Regions outside an approved list, by account and Region: how many calls
-- (and how many changes), by how many principals, doing what, and when. Unused Regions
-- are where crypto-miners and forgotten resources hide.
SELECT
  recipientaccountid,
  awsregion,
  count(*) AS calls,
  count_if({{> identity_is_write}}) AS write_calls,
  count(DISTINCT {{> actor}}) AS principals,
  array_join(slice(array_sort(array_agg(DISTINCT {{> actor}})), 1, {{samples}}), ', ') AS sample_principals,
  array_join(slice(array_sort(array_agg(DISTINCT split_part(eventsource, '.', 1) || ':' || eventname)), 1, {{samples}}), ', ') AS sample_actions,
  min(eventtime) AS first_seen,
  max(eventtime) AS last_seen
FROM cloudtrail
WHERE {{window "cloudtrail"}}
  AND awsregion NOT IN ({{allowed_regions}})
  AND eventsource NOT IN ({{global_services}})
{{#unless include_services}}
  AND COALESCE(useridentity.type, '') <> 'AWSService'
{{/unless}}
GROUP BY recipientaccountid, awsregion
ORDER BY calls DESC, recipientaccountid, awsregion
LIMIT {{limit}}
