-- The std × depth phase table per (init, activation): the final layer's act_std and saturation
-- rate at each weight std and depth, mean over seeds — where a configuration vanishes,
-- saturates or explodes. std is the std axis value (fixed-scale inits) or the init's nominal
-- weight std (fan-based inits); read it as a table with std down and depth across.
SELECT init, activation, activation_param, coalesce(init_std, weight_std) AS std, depth,
       round(avg(act_std), 6)         AS act_std,
       round(avg(saturation_rate), 4) AS saturation_rate,
       round(avg(dead_unit_rate), 4)  AS dead_unit_rate,
       count(*)                       AS seeds
FROM runs
GROUP BY init, activation, activation_param, coalesce(init_std, weight_std), depth
ORDER BY activation, activation_param, init, std, depth;
