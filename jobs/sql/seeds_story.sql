-- The seed figures in numbers: per configuration, act_std of layers 1..5 (mean over seeds) and
-- the final layer's saturation and dead-unit rates.
SELECT init, activation, init_std AS std,
       round(avg(CASE WHEN layer = 1 THEN act_std END), 4) AS std_l1,
       round(avg(CASE WHEN layer = 2 THEN act_std END), 4) AS std_l2,
       round(avg(CASE WHEN layer = 3 THEN act_std END), 4) AS std_l3,
       round(avg(CASE WHEN layer = 4 THEN act_std END), 4) AS std_l4,
       round(avg(CASE WHEN layer = 5 THEN act_std END), 4) AS std_l5,
       round(avg(CASE WHEN layer = 5 THEN saturation_rate END), 3) AS sat_l5,
       round(avg(CASE WHEN layer = 5 THEN dead_unit_rate END), 3) AS dead_l5
FROM layers
GROUP BY init, activation, init_std
ORDER BY activation, init, init_std DESC;
