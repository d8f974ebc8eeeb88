-- Vanishing or exploding: each configuration's act_std and E[A²] (pre_sq_mean, the mean-field q)
-- layer by layer, mean and spread over seeds, and act_std relative to layer 1 (ratio < 1
-- vanishing, > 1 exploding). Layers come from the deepest grid point of each chain.
WITH deepest AS (
  SELECT *, max(depth) OVER (PARTITION BY output, chain_id) AS chain_depth,
         first_value(act_std) OVER (PARTITION BY output, chain_id, depth ORDER BY layer) AS first_act_std
  FROM layers
)
SELECT init_params, activation, activation_param, width, input_width, bias_std, dtype, layer,
       round(avg(act_std), 6)                            AS act_std,
       round(stddev_pop(act_std), 6)                     AS act_std_sd,
       round(avg(try_divide(act_std, first_act_std)), 6) AS act_std_vs_layer1,
       round(avg(pre_sq_mean), 6)                        AS pre_sq_mean,
       round(stddev_pop(pre_sq_mean), 6)                 AS pre_sq_mean_sd,
       count(DISTINCT seed)                              AS seeds
FROM deepest
WHERE depth = chain_depth
GROUP BY init_params, activation, activation_param, width, input_width, bias_std, dtype, layer
ORDER BY activation, activation_param, init_params, width, input_width, bias_std, dtype, layer;
