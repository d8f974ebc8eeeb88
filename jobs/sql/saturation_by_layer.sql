-- Which initializers saturate which activations, and at which layer: the saturation rate (share
-- of (sample, unit) pairs with φ'(a) < τ·max φ') per init × activation × layer, mean and spread
-- over seeds. Layers are read from the deepest grid point of each chain (shallower points
-- repeat the same layers).
WITH deepest AS (
  SELECT *, max(depth) OVER (PARTITION BY output, chain_id) AS chain_depth FROM layers
)
SELECT init_params, activation, activation_param, width, input_width, bias_std, dtype, layer,
       round(avg(saturation_rate), 4)        AS saturation_rate,
       round(stddev_pop(saturation_rate), 4) AS saturation_rate_sd,
       round(avg(dead_unit_rate), 4)         AS dead_unit_rate,
       count(DISTINCT seed)                  AS seeds
FROM deepest
WHERE depth = chain_depth
GROUP BY init_params, activation, activation_param, width, input_width, bias_std, dtype, layer
ORDER BY activation, activation_param, init_params, width, input_width, bias_std, dtype, layer;
