-- Dynamical isometry at initialization (sweeps with gradients): per configuration and depth, the
-- input–output Jacobian's squared singular values averaged over samples and seeds — their mean
-- (1 keeps the signal's size on average) and variance (0 is isometry: every direction kept
-- alike), the variance per layer, and the condition number sv_max / sv_min (geometric mean).
SELECT activation, activation_param, init, init_std, bias_std, width, depth,
       avg(sv_sq_mean)              AS sv_sq_mean,
       avg(sv_sq_var)               AS sv_sq_var,
       avg(sv_sq_var) / depth       AS sv_sq_var_per_layer,
       avg(sv_max)                  AS sv_max,
       avg(sv_min)                  AS sv_min,
       power(10, avg(log10(condition))) AS condition,
       count(*)                     AS samples
FROM jacobian
GROUP BY activation, activation_param, init, init_std, bias_std, width, depth
ORDER BY activation, init, init_std, bias_std, width, depth;
