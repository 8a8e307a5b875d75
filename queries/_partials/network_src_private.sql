(CASE WHEN strpos(srcaddr, ':') > 0 THEN contains('fc00::/7', CAST(srcaddr AS IPADDRESS))
  ELSE (contains('10.0.0.0/8', CAST(srcaddr AS IPADDRESS)) OR contains('172.16.0.0/12', CAST(srcaddr AS IPADDRESS))
    OR contains('192.168.0.0/16', CAST(srcaddr AS IPADDRESS)) OR contains('100.64.0.0/10', CAST(srcaddr AS IPADDRESS))) END)
