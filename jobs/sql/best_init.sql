-- The best initializer per activation and depth, by this health criterion on the final layer
-- (mean over seeds):
--   healthy  = act_std_ratio (final act_std / layer-1 act_std) in [1/4, 4] (neither vanishing
--              nor exploding), final act_std in [0.05, 20] (not collapsed to a point),
--              dead_unit_rate < 0.25, and saturation_rate < 0.2 — except for relu and leaky_relu
--              with slope < τ, whose saturated share is the inactive half by design: < 0.7;
--   score    = |ln act_std_ratio| + dead_unit_rate + saturation_rate beyond that allowance
--              (lower is better).
-- Among healthy initializers the lowest score wins; best_init is NULL when none is healthy.
WITH configs AS (
  SELECT activation, activation_param, width, input_width, bias_std, dtype, depth, init_params,
         avg(act_std_ratio) AS act_std_ratio, avg(act_std) AS act_std,
         avg(saturation_rate) AS saturation_rate, avg(dead_unit_rate) AS dead_unit_rate,
         max(saturation_threshold) AS tau
  FROM runs
  GROUP BY activation, activation_param, width, input_width, bias_std, dtype, depth, init_params
), scored AS (
  SELECT *, abs(ln(act_std_ratio)) + dead_unit_rate + greatest(saturation_rate - allowance, 0) AS score,
         act_std_ratio BETWEEN 0.25 AND 4 AND act_std BETWEEN 0.05 AND 20
           AND saturation_rate < allowance AND dead_unit_rate < 0.25 AS healthy
  FROM (SELECT *, CASE WHEN activation = 'relu' OR (activation = 'leaky_relu' AND activation_param < tau) THEN 0.7
                       ELSE 0.2 END AS allowance
        FROM configs)
), ranked AS (
  SELECT *, row_number() OVER (PARTITION BY activation, activation_param, width, input_width, bias_std, dtype, depth
                               ORDER BY score, init_params) AS place
  FROM scored WHERE healthy
), cases AS (
  SELECT DISTINCT activation, activation_param, width, input_width, bias_std, dtype, depth FROM configs
)
SELECT c.activation, c.activation_param, c.width, c.input_width, c.bias_std, c.dtype, c.depth,
       r.init_params AS best_init, round(r.score, 4) AS score, round(r.act_std_ratio, 4) AS act_std_ratio,
       round(r.saturation_rate, 4) AS saturation_rate, round(r.dead_unit_rate, 4) AS dead_unit_rate,
       (SELECT count(*) FROM scored s WHERE s.healthy AND s.activation = c.activation
          AND s.activation_param <=> c.activation_param AND s.width = c.width AND s.input_width = c.input_width
          AND s.bias_std = c.bias_std AND s.dtype = c.dtype AND s.depth = c.depth) AS healthy_inits
FROM cases c LEFT JOIN ranked r
  ON r.place = 1 AND r.activation = c.activation AND r.activation_param <=> c.activation_param AND r.width = c.width
     AND r.input_width = c.input_width AND r.bias_std = c.bias_std AND r.dtype = c.dtype AND r.depth = c.depth
ORDER BY c.activation, c.activation_param, c.width, c.input_width, c.bias_std, c.dtype, c.depth;
