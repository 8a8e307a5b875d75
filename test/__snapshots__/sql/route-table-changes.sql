-- casebook render route-table-changes (example parameters, 2024-03-01 to 2024-03-15)
-- Route table changes: routes created, replaced or deleted, route tables created or
-- deleted, and subnets (or gateways) associated with or moved off a route table. The
-- target kind comes from the target id's prefix: igw- internet gateway, pcx- peering,
-- tgw- transit gateway, nat- NAT gateway, vgw- VPN gateway, eigw- egress-only internet
-- gateway, vpce- VPC endpoint, eni- network interface, i- instance.
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
    COALESCE(json_extract_scalar(requestparameters, '$.routeTableId'),
             json_extract_scalar(responseelements, '$.routeTable.routeTableId')) AS route_table_id,
    COALESCE(json_extract_scalar(requestparameters, '$.destinationCidrBlock'),
             json_extract_scalar(requestparameters, '$.destinationIpv6CidrBlock'),
             json_extract_scalar(requestparameters, '$.destinationPrefixListId')) AS destination,
    COALESCE(json_extract_scalar(requestparameters, '$.gatewayId'),
             json_extract_scalar(requestparameters, '$.natGatewayId'),
             json_extract_scalar(requestparameters, '$.vpcPeeringConnectionId'),
             json_extract_scalar(requestparameters, '$.transitGatewayId'),
             json_extract_scalar(requestparameters, '$.egressOnlyInternetGatewayId'),
             json_extract_scalar(requestparameters, '$.vpcEndpointId'),
             json_extract_scalar(requestparameters, '$.networkInterfaceId'),
             json_extract_scalar(requestparameters, '$.instanceId'),
             json_extract_scalar(requestparameters, '$.localGatewayId'),
             json_extract_scalar(requestparameters, '$.carrierGatewayId'),
             json_extract_scalar(requestparameters, '$.coreNetworkArn'),
             json_extract_scalar(requestparameters, '$.subnetId'),
             json_extract_scalar(requestparameters, '$.associationId')) AS target,
    eventid
  FROM cloudtrail
  WHERE (day BETWEEN '2024/03/01' AND '2024/03/15' AND eventtime >= '2024-03-01T00:00:00Z' AND eventtime < '2024-03-15T00:00:00Z')
    AND eventsource = 'ec2.amazonaws.com'
    AND eventname IN ('CreateRoute', 'ReplaceRoute', 'DeleteRoute', 'CreateRouteTable', 'DeleteRouteTable',
                      'AssociateRouteTable', 'DisassociateRouteTable', 'ReplaceRouteTableAssociation')
),
kinds AS (
  SELECT *,
    CASE
      WHEN target IS NULL THEN NULL
      WHEN target LIKE 'igw-%' THEN 'internet-gateway'
      WHEN target LIKE 'pcx-%' THEN 'peering'
      WHEN target LIKE 'tgw-%' THEN 'transit-gateway'
      WHEN target LIKE 'nat-%' THEN 'nat-gateway'
      WHEN target LIKE 'vgw-%' THEN 'vpn-gateway'
      WHEN target LIKE 'eigw-%' THEN 'egress-only-internet-gateway'
      WHEN target LIKE 'vpce-%' THEN 'vpc-endpoint'
      WHEN target LIKE 'eni-%' THEN 'network-interface'
      WHEN target LIKE 'i-%' THEN 'instance'
      WHEN target LIKE 'subnet-%' THEN 'subnet'
      WHEN target LIKE 'rtbassoc-%' THEN 'association'
      ELSE 'other'
    END AS target_kind
  FROM changes
)
SELECT
  eventtime, principal, principal_type, eventsource, eventname, sourceipaddress, useragent, errorcode,
  recipientaccountid, awsregion, route_table_id, destination, target, target_kind, eventid
FROM kinds
WHERE target_kind IN ('internet-gateway', 'peering')
ORDER BY eventtime, eventid
LIMIT 1000
