(CASE WHEN strpos(dstaddr, ':') > 0 THEN contains('fc00::/7', CAST(dstaddr AS IPADDRESS))
  ELSE (contains('10.0.0.0/8', CAST(dstaddr AS IPADDRESS)) OR contains('172.16.0.0/12', CAST(dstaddr AS IPADDRESS))
    OR contains('192.168.0.0/16', CAST(dstaddr AS IPADDRESS)) OR contains('100.64.0.0/10', CAST(dstaddr AS IPADDRESS))) END)
