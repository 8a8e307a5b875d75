CASE
  WHEN on_nat_interface AND src_private AND dst_private THEN 'nat-gateway'
  WHEN (pkt_srcaddr IS NOT NULL AND pkt_srcaddr <> srcaddr) OR (pkt_dstaddr IS NOT NULL AND pkt_dstaddr <> dstaddr) THEN 'nat-gateway'
  WHEN traffic_path = 5 THEN 'inter-region'
  WHEN traffic_path = 4 THEN 'peering'
  WHEN traffic_path = 3 THEN 'vpn-or-direct-connect'
  WHEN traffic_path = 6 THEN 'local-gateway'
  WHEN traffic_path = 7 OR coalesce(pkt_dst_aws_service, pkt_src_aws_service, 'AMAZON') NOT IN ('AMAZON', 'EC2') THEN 'aws-service'
  WHEN traffic_path = 1 OR (src_private AND dst_private) THEN
    CASE
      WHEN az_id IS NULL OR peer_az IS NULL THEN 'private-az-unknown'
      WHEN az_id = peer_az THEN 'same-az'
      ELSE 'cross-az'
    END
  WHEN flow_direction = 'egress' OR (flow_direction IS NULL AND src_private AND NOT dst_private) THEN 'internet-egress'
  WHEN flow_direction = 'ingress' OR (flow_direction IS NULL AND dst_private AND NOT src_private) THEN 'internet-ingress'
  ELSE 'unclassified'
END
