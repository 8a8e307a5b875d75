-- casebook render network-acl-changes (example parameters, 2024-03-01 to 2024-03-15)
-- Network ACL changes: ACLs created or deleted, entries added, replaced or deleted, and
-- subnets moved to another ACL. Entry details come from the request: rule number,
-- direction, allow or deny, protocol number (-1 is all), port range and CIDR.
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
  COALESCE(json_extract_scalar(requestparameters, '$.networkAclId'),
           json_extract_scalar(responseelements, '$.networkAcl.networkAclId')) AS network_acl_id,
  try_cast(json_extract_scalar(requestparameters, '$.ruleNumber') AS integer) AS rule_number,
  CASE json_extract_scalar(requestparameters, '$.egress') WHEN 'true' THEN 'egress' WHEN 'false' THEN 'ingress' END AS direction,
  json_extract_scalar(requestparameters, '$.ruleAction') AS rule_action,
  json_extract_scalar(requestparameters, '$.aclProtocol') AS protocol,
  CASE
    WHEN json_extract_scalar(requestparameters, '$.portRange.from') IS NULL THEN NULL
    WHEN json_extract_scalar(requestparameters, '$.portRange.from') = json_extract_scalar(requestparameters, '$.portRange.to')
      THEN json_extract_scalar(requestparameters, '$.portRange.from')
    ELSE json_extract_scalar(requestparameters, '$.portRange.from') || '-' || json_extract_scalar(requestparameters, '$.portRange.to')
  END AS port_range,
  COALESCE(json_extract_scalar(requestparameters, '$.cidrBlock'),
           json_extract_scalar(requestparameters, '$.ipv6CidrBlock'),
           json_extract_scalar(requestparameters, '$.associationId')) AS cidr_or_association,
  eventid
FROM cloudtrail
WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
  AND eventsource = 'ec2.amazonaws.com'
  AND eventname IN ('CreateNetworkAcl', 'DeleteNetworkAcl', 'CreateNetworkAclEntry', 'ReplaceNetworkAclEntry',
                    'DeleteNetworkAclEntry', 'ReplaceNetworkAclAssociation')
ORDER BY eventtime, eventid
LIMIT 1000
