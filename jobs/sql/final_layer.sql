-- One line per configuration: the final layer's spread relative to the first (act_std_ratio:
-- < 1 vanishing, > 1 exploding), its saturation and dead units, mean ± std over seeds.
SELECT init, activation, init_std, weight_std, depth,
       round(avg(act_std_ratio), 4)    AS act_std_ratio,
       round(stddev_pop(act_std_ratio), 4) AS act_std_ratio_sd,
       round(avg(saturation_rate), 4)  AS saturation_rate,
       round(avg(dead_unit_rate), 4)   AS dead_unit_rate,
       count(*)                        AS seeds
FROM runs
GROUP BY init, activation, init_std, weight_std, depth
ORDER BY activation, init, init_std, depth;
