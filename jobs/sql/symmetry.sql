-- Symmetry through training (sweeps with training): per configuration and recorded step, the
-- fewest and most distinct units of any layer over seeds (distinct activation columns on the first
-- 1024 training rows), constant inits (zeros, ones, constant: every unit the same, 1 for as long as
-- the symmetry holds) beside random ones (up to width). Units that stay equal get equal gradients
-- and never split.
SELECT CASE WHEN init IN ('zeros', 'ones', 'constant') THEN 'constant' ELSE 'random' END AS init_kind,
       activation, activation_param, init, init_value, init_std, bias_std, width, depth, optimizer, lr, step,
       min(array_min(distinct_units)) AS distinct_units_min,
       max(array_max(distinct_units)) AS distinct_units_max,
       count(*)                       AS seeds
FROM training
GROUP BY activation, activation_param, init, init_value, init_std, bias_std, width, depth, optimizer, lr, step
ORDER BY init_kind, activation, init, init_value, init_std, bias_std, width, depth, optimizer, lr, step;
