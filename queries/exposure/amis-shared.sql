-- AMIs shared with other accounts, organizations or everyone: ModifyImageAttribute adding
-- launchPermission (userId, organizationArn or organizationalUnitArn items, or group "all"
-- for public). Removals are not sharing and are left out.
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
    json_extract_scalar(requestparameters, '$.imageId') AS image_id,
    COALESCE(regexp_extract_all(json_format(json_extract(requestparameters, '$.launchPermission.add')),
                                '"(?:userId|group|organizationArn|organizationalUnitArn)"\s*:\s*"([^"]+)"', 1), ARRAY[]) AS added,
    eventid
  FROM cloudtrail
  WHERE {{window "cloudtrail"}}
    AND eventsource = 'ec2.amazonaws.com'
    AND eventname = 'ModifyImageAttribute'
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
  recipientaccountid, awsregion, image_id,
  NULLIF(array_join(shared, ', '), '') AS shared_with,
  CASE WHEN cardinality(shared) > 0 THEN contains(shared, 'all') END AS public,
  eventid
FROM shares
-- A failed call whose request was not logged may have been a share: it is kept.
WHERE cardinality(shared) > 0
   OR (image_id IS NULL AND cardinality(added) = 0 AND errorcode IS NOT NULL)
ORDER BY eventtime, eventid
LIMIT {{limit}}
