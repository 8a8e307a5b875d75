-- Snapshots shared with other accounts or made public: EBS ModifySnapshotAttribute adding
-- createVolumePermission (userId items, or group "all" for public), and RDS
-- ModifyDBSnapshotAttribute / ModifyDBClusterSnapshotAttribute adding values to the
-- "restore" attribute (account ids, or "all"). Removals are not sharing and are left out.
WITH changes AS (
  SELECT
    eventtime,
    {{> actor}} AS principal,
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
  WHERE {{window "cloudtrail"}}
    AND ((eventsource = 'ec2.amazonaws.com' AND eventname = 'ModifySnapshotAttribute')
      OR (eventsource = 'rds.amazonaws.com' AND eventname IN ('ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute')))
{{#unless include_failed}}
    AND errorcode IS NULL
{{/unless}}
),
shares AS (
  SELECT *,
{{#if trusted_accounts}}
    array_sort(array_distinct(filter(added, a -> a NOT IN ({{trusted_accounts}})))) AS shared
{{else}}
    array_sort(array_distinct(added)) AS shared
{{/if}}
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
LIMIT {{limit}}
