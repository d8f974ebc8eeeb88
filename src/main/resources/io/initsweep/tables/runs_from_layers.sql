-- The runs table, derived from the layers table ({layers}): one row per grid point, its final
-- layer (layer = depth) plus what is summed over its layers. act_std_ratio is null when the
-- first layer's act_std is 0 (zeros init) and NaN when a std is NaN.
SELECT f.sweep, f.run_id, f.chain_id, f.init, f.init_value, f.activation, f.activation_param,
       f.init_std, f.weight_std, f.depth, f.seed, f.master_seed, f.width, f.batch, f.input,
       f.act_mean, f.act_std, f.pre_sq_mean, f.saturation_rate, f.dead_unit_rate, f.zero_rate,
       a.nonfinite_count,
       try_divide(f.act_std, a.first_act_std) AS act_std_ratio,
       f.saturation_threshold
FROM {layers} f
JOIN (SELECT run_id,
             CAST(sum(nonfinite_count) AS BIGINT) AS nonfinite_count,
             max(CASE WHEN layer = 1 THEN act_std END) AS first_act_std
      FROM {layers}
      GROUP BY run_id) a
  ON f.run_id = a.run_id
WHERE f.layer = f.depth
