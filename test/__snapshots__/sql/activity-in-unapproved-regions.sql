-- casebook render activity-in-unapproved-regions (example parameters, 2024-03-01 to 2024-03-15)
-- Activity in Regions outside an approved list, by account and Region: how many calls
-- (and how many changes), by how many principals, doing what, and when. Unused Regions
-- are where crypto-miners and forgotten resources hide.
SELECT
  recipientaccountid,
  awsregion,
  count(*) AS calls,
  count_if((COALESCE(readonly,
    CASE WHEN regexp_like(eventname, '^(Get|List|Describe|Head|Lookup|Search|BatchGet|Check|Simulate|Preview|View|Validate)') THEN 'true' ELSE 'false' END
  ) <> 'true')) AS write_calls,
  count(DISTINCT COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type)) AS principals,
  array_join(slice(array_sort(array_agg(DISTINCT COALESCE(useridentity.arn, useridentity.invokedby, useridentity.principalid, useridentity.type))), 1, 10), ', ') AS sample_principals,
  array_join(slice(array_sort(array_agg(DISTINCT split_part(eventsource, '.', 1) || ':' || eventname)), 1, 10), ', ') AS sample_actions,
  min(eventtime) AS first_seen,
  max(eventtime) AS last_seen
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND awsregion NOT IN ('us-east-1', 'eu-west-1')
  AND eventsource NOT IN ('iam.amazonaws.com', 'sts.amazonaws.com', 'signin.amazonaws.com', 'organizations.amazonaws.com', 'cloudfront.amazonaws.com', 'route53.amazonaws.com', 'route53domains.amazonaws.com', 'support.amazonaws.com', 'health.amazonaws.com', 'ce.amazonaws.com', 'account.amazonaws.com', 'globalaccelerator.amazonaws.com', 'shield.amazonaws.com', 'waf.amazonaws.com')
  AND COALESCE(useridentity.type, '') <> 'AWSService'
GROUP BY recipientaccountid, awsregion
ORDER BY calls DESC, recipientaccountid, awsregion
LIMIT 100
