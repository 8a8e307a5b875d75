-- CTE priced over `classified`: the list price per GB of each record's category, from the
-- query's --price-* parameters (a query including this declares them all).
priced AS (
  SELECT
    classified.*,
    CASE category
      WHEN 'cross-az' THEN {{price_cross_az_gb}}
      WHEN 'internet-egress' THEN {{price_internet_egress_gb}}
      WHEN 'nat-gateway' THEN {{price_nat_gb}}
      WHEN 'inter-region' THEN {{price_inter_region_gb}}
      WHEN 'peering' THEN {{price_peering_gb}}
      WHEN 'private-az-unknown' THEN {{price_unknown_az_gb}}
      ELSE CAST(0 AS DOUBLE)
    END AS price_per_gb
  FROM classified
)
