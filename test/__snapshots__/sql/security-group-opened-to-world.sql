-- casebook render security-group-opened-to-world (example parameters, 2024-03-01 to 2024-03-15)
-- Security groups opened to the whole internet: ingress rules added or modified with a
-- /0 source (0.0.0.0/0, ::/0, or any address written with a /0 prefix). Rules are read
-- from the request in its three shapes, each turned into 'protocol from to cidr':
--   AuthorizeSecurityGroupIngress, current: ipPermissions.items[] with ipRanges.items[].cidrIp
--     and ipv6Ranges.items[].cidrIpv6 (each permission item is cut out of the JSON text with
--     a balanced-brace pattern three levels deep: item > ipRanges > range);
--   AuthorizeSecurityGroupIngress, legacy: top-level cidrIp, ipProtocol, fromPort, toPort;
--   ModifySecurityGroupRules: ModifySecurityGroupRulesRequest.SecurityGroupRule[].SecurityGroupRule
--     (a flat object with CidrIpv4 / CidrIpv6, IpProtocol, FromPort, ToPort).
WITH calls AS (
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
    COALESCE(json_extract_scalar(requestparameters, '$.groupId'),
             json_extract_scalar(requestparameters, '$.ModifySecurityGroupRulesRequest.GroupId'),
             json_extract_scalar(requestparameters, '$.groupName')) AS group_id,
    COALESCE(flatten(transform(
      regexp_extract_all(json_format(json_extract(requestparameters, '$.ipPermissions.items')),
                         '\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}'),
      p -> transform(
        regexp_extract_all(p, '"cidrIp(?:v6)?"\s*:\s*"([^"]+)"', 1),
        c -> concat_ws(' ', COALESCE(json_extract_scalar(p, '$.ipProtocol'), '-1'),
                       COALESCE(json_extract_scalar(p, '$.fromPort'), '-1'),
                       COALESCE(json_extract_scalar(p, '$.toPort'), '-1'), c)))), ARRAY[])
    || COALESCE(filter(ARRAY[
         CASE WHEN json_extract_scalar(requestparameters, '$.cidrIp') IS NOT NULL
           THEN concat_ws(' ', COALESCE(json_extract_scalar(requestparameters, '$.ipProtocol'), '-1'),
                          COALESCE(json_extract_scalar(requestparameters, '$.fromPort'), '-1'),
                          COALESCE(json_extract_scalar(requestparameters, '$.toPort'), '-1'),
                          json_extract_scalar(requestparameters, '$.cidrIp')) END], r -> r IS NOT NULL), ARRAY[])
    || COALESCE(transform(
         filter(regexp_extract_all(json_format(json_extract(requestparameters, '$.ModifySecurityGroupRulesRequest')), '\{[^{}]*\}'),
                r -> COALESCE(json_extract_scalar(r, '$.CidrIpv4'), json_extract_scalar(r, '$.CidrIpv6')) IS NOT NULL),
         r -> concat_ws(' ', COALESCE(json_extract_scalar(r, '$.IpProtocol'), '-1'),
                        COALESCE(json_extract_scalar(r, '$.FromPort'), '-1'),
                        COALESCE(json_extract_scalar(r, '$.ToPort'), '-1'),
                        COALESCE(json_extract_scalar(r, '$.CidrIpv4'), json_extract_scalar(r, '$.CidrIpv6')))), ARRAY[]) AS rules,
    eventid
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 'ec2.amazonaws.com'
    AND eventname IN ('AuthorizeSecurityGroupIngress', 'ModifySecurityGroupRules')
    AND regexp_like(requestparameters, '/0"')
),
open_rules AS (
  SELECT
    eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode,
    recipientaccountid, awsregion, group_id,
    -- Keep rules whose source is a /0 block and, with --ports, that let one of the ports in
    -- (protocol -1 is every protocol and port; ICMP types are not ports).
    filter(rules, r -> regexp_like(r, '/0$')
      AND (split(r, ' ')[1] IN ('-1', 'all')
        OR (split(r, ' ')[1] NOT IN ('icmp', '1', 'icmpv6', '58')
            AND cardinality(filter(ARRAY[22, 3389], port ->
                  try_cast(split(r, ' ')[2] AS integer) <= port AND port <= try_cast(split(r, ' ')[3] AS integer))) > 0))
    ) AS world_rules,
    eventid
  FROM calls
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode,
  recipientaccountid, awsregion, group_id,
  array_join(array_sort(transform(world_rules, r ->
    CASE
      WHEN split(r, ' ')[1] IN ('-1', 'all') THEN 'all ' || split(r, ' ')[4]
      WHEN split(r, ' ')[2] = split(r, ' ')[3] THEN split(r, ' ')[1] || '/' || split(r, ' ')[2] || ' ' || split(r, ' ')[4]
      ELSE split(r, ' ')[1] || '/' || split(r, ' ')[2] || '-' || split(r, ' ')[3] || ' ' || split(r, ' ')[4]
    END)), ', ') AS open_rules,
  eventid
FROM open_rules
WHERE cardinality(world_rules) > 0
ORDER BY eventtime, eventid
LIMIT 1000
