-- How each configuration's activations evolve with depth: act_std, saturation and dead units
-- per layer, averaged over seeds. Layers come from the deepest grid point of each chain
-- (shallower points repeat the same layers).
WITH deepest AS (
  SELECT *, max(depth) OVER (PARTITION BY output, chain_id) AS chain_depth FROM layers
)
SELECT init, activation, init_std, layer,
       round(avg(act_mean), 4)        AS act_mean,
       round(avg(act_std), 4)         AS act_std,
       round(avg(saturation_rate), 4) AS saturation_rate,
       round(avg(dead_unit_rate), 4)  AS dead_unit_rate,
       round(avg(zero_rate), 4)       AS zero_rate,
       count(DISTINCT seed)           AS seeds
FROM deepest
WHERE depth = chain_depth
GROUP BY init, activation, init_std, layer
ORDER BY init, activation, init_std, layer;
