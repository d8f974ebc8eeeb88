-- How each configuration's activations evolve with depth: act_std, saturation and dead units
-- per layer, averaged over seeds. The seed figures' story in one table.
SELECT init, activation, init_std, layer,
       round(avg(act_mean), 4)        AS act_mean,
       round(avg(act_std), 4)         AS act_std,
       round(avg(saturation_rate), 4) AS saturation_rate,
       round(avg(dead_unit_rate), 4)  AS dead_unit_rate,
       round(avg(zero_rate), 4)       AS zero_rate,
       count(*)                       AS seeds
FROM layers
GROUP BY init, activation, init_std, layer
ORDER BY init, activation, init_std, layer;
