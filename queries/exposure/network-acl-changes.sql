-- Network ACL changes: ACLs created or deleted, entries added, replaced or deleted, and
-- subnets moved to another ACL. Entry details come from the request: rule number,
-- direction, allow or deny, protocol number (-1 is all), port range and CIDR.
SELECT
  {{> event_columns}},
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
WHERE {{window "cloudtrail"}}
  AND eventsource = 'ec2.amazonaws.com'
  AND eventname IN ('CreateNetworkAcl', 'DeleteNetworkAcl', 'CreateNetworkAclEntry', 'ReplaceNetworkAclEntry',
                    'DeleteNetworkAclEntry', 'ReplaceNetworkAclAssociation')
{{#if open_to_world_only}}
  -- Entries that allow traffic from or to every address.
  AND eventname IN ('CreateNetworkAclEntry', 'ReplaceNetworkAclEntry')
  AND json_extract_scalar(requestparameters, '$.ruleAction') = 'allow'
  AND regexp_like(COALESCE(json_extract_scalar(requestparameters, '$.cidrBlock'), json_extract_scalar(requestparameters, '$.ipv6CidrBlock')), '/0$')
{{/if}}
{{#unless include_failed}}
  AND errorcode IS NULL
{{/unless}}
ORDER BY eventtime, eventid
LIMIT {{limit}}
