-- casebook render amis-shared (example parameters, 2024-03-01 to 2024-03-15)
-- AMIs shared with other accounts, organizations or everyone: ModifyImageAttribute adding
-- launchPermission (userId, organizationArn or organizationalUnitArn items, or group "all"
-- for public). Removals are not sharing and are left out.
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
    json_extract_scalar(requestparameters, '$.imageId') AS image_id,
    COALESCE(regexp_extract_all(json_format(json_extract(requestparameters, '$.launchPermission.add')),
                                '"(?:userId|group|organizationArn|organizationalUnitArn)"\s*:\s*"([^"]+)"', 1), ARRAY[]) AS added,
    eventid
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 'ec2.amazonaws.com'
    AND eventname = 'ModifyImageAttribute'
),
shares AS (
  SELECT *,
    array_sort(array_distinct(filter(added, a -> a NOT IN ('444455556666')))) AS shared
  FROM changes
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode,
  recipientaccountid, awsregion, image_id,
  NULLIF(array_join(shared, ', '), '') AS shared_with,
  CASE WHEN cardinality(shared) > 0 THEN contains(shared, 'all') END AS public,
  eventid
FROM shares
-- A failed call whose request was not logged may have been a share: it is kept.
WHERE cardinality(shared) > 0
   OR (image_id IS NULL AND cardinality(added) = 0 AND errorcode IS NOT NULL)
ORDER BY eventtime, eventid
LIMIT 1000
