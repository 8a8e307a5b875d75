-- casebook render s3-bucket-acl-changes (example parameters, 2024-03-01 to 2024-03-15)
-- S3 ACLs set on buckets (PutBucketAcl) and, when data events are logged, on objects
-- (PutObjectAcl). Grants to everyone are found three ways: a canned ACL (public-read,
-- public-read-write, authenticated-read), a grant header (x-amz-grant-read: uri=...
-- /groups/global/AllUsers), or a Grant in the AccessControlPolicy body whose grantee is
-- the AllUsers or AuthenticatedUsers group. Each Grant is cut out of the JSON text with a
-- two-level balanced-brace pattern (grant > grantee).
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
    json_extract_scalar(requestparameters, '$.bucketName') AS bucket,
    json_extract_scalar(requestparameters, '$.key') AS object_key,
    NULLIF(regexp_extract(requestparameters, '"x-amz-acl"\s*:\s*\[?\s*"([^"]*)"', 1), '') AS canned_acl,
    COALESCE(transform(
      filter(regexp_extract_all(json_format(json_extract(requestparameters, '$.AccessControlPolicy.AccessControlList.Grant')),
                                '\{(?:[^{}]|\{[^{}]*\})*\}'),
             g -> regexp_like(g, 'acs\.amazonaws\.com/groups/global/(AllUsers|AuthenticatedUsers)')),
      g -> regexp_extract(g, 'groups/global/([A-Za-z]+)', 1) || ' ' || COALESCE(json_extract_scalar(g, '$.Permission'), '?')), ARRAY[])
    || COALESCE(transform(
      regexp_extract_all(requestparameters, '"x-amz-grant-[a-z-]+"\s*:\s*\[?\s*"[^"]*groups/global/(AllUsers|AuthenticatedUsers)'),
      h -> regexp_extract(h, 'groups/global/([A-Za-z]+)', 1) || ' ' || upper(replace(regexp_extract(h, 'x-amz-grant-([a-z-]+)', 1), '-', '_'))), ARRAY[]) AS group_grants,
    eventid
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 's3.amazonaws.com'
    AND eventname IN ('PutBucketAcl', 'PutObjectAcl')
),
judged AS (
  SELECT *,
    COALESCE(cardinality(group_grants) > 0, false)
      OR COALESCE(canned_acl IN ('public-read', 'public-read-write', 'authenticated-read'), false) AS grants_everyone
  FROM changes
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode,
  recipientaccountid, awsregion, bucket, object_key, canned_acl,
  grants_everyone,
  NULLIF(array_join(array_sort(array_distinct(group_grants)), ', '), '') AS public_grants,
  eventid
FROM judged
ORDER BY eventtime, eventid
LIMIT 1000
