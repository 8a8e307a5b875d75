-- casebook render snapshots-shared (example parameters, 2024-03-01 to 2024-03-15)
-- Snapshots shared with other accounts or made public: EBS ModifySnapshotAttribute adding
-- createVolumePermission (userId items, or group "all" for public), and RDS
-- ModifyDBSnapshotAttribute / ModifyDBClusterSnapshotAttribute adding values to the
-- "restore" attribute (account ids, or "all"). Removals are not sharing and are left out.
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
    COALESCE(json_extract_scalar(requestparameters, '$.snapshotId'),
             json_extract_scalar(requestparameters, '$.dBSnapshotIdentifier'),
             json_extract_scalar(requestparameters, '$.dBClusterSnapshotIdentifier')) AS snapshot_id,
    COALESCE(CASE
      WHEN eventsource = 'ec2.amazonaws.com'
        THEN regexp_extract_all(json_format(json_extract(requestparameters, '$.createVolumePermission.add')),
                                '"(?:userId|group)"\s*:\s*"([^"]+)"', 1)
      WHEN lower(json_extract_scalar(requestparameters, '$.attributeName')) = 'restore'
        THEN regexp_extract_all(json_format(json_extract(requestparameters, '$.valuesToAdd')), '"([^"]+)"', 1)
    END, ARRAY[]) AS added,
    eventid
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND ((eventsource = 'ec2.amazonaws.com' AND eventname = 'ModifySnapshotAttribute')
      OR (eventsource = 'rds.amazonaws.com' AND eventname IN ('ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute')))
),
shares AS (
  SELECT *,
    array_sort(array_distinct(filter(added, a -> a NOT IN ('444455556666')))) AS shared
  FROM changes
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode,
  recipientaccountid, awsregion, snapshot_id,
  NULLIF(array_join(shared, ', '), '') AS shared_with,
  CASE WHEN cardinality(shared) > 0 THEN contains(shared, 'all') END AS public,
  eventid
FROM shares
-- A failed call whose request was not logged may have been a share: it is kept.
WHERE cardinality(shared) > 0
   OR (snapshot_id IS NULL AND cardinality(added) = 0 AND errorcode IS NOT NULL)
ORDER BY eventtime, eventid
LIMIT 1000
