-- Gradients per layer at initialization (sweeps with `gradients`): per configuration and layer,
-- over seeds, E[δ²] of the per-sample error, ‖∂L/∂W‖_F and its size relative to ‖W‖_F, the
-- measured per-layer χ₁ (grad_ratio, geometric mean) beside the mean-field one, the activations'
-- spread of the same layer and the fewest distinct units (1: a constant init's symmetry).
SELECT activation, activation_param, init, init_std, bias_std, width, depth, layer,
       avg(grad_sq_mean)            AS grad_sq_mean,
       avg(weight_grad_norm)        AS weight_grad_norm,
       avg(weight_grad_ratio)       AS weight_grad_ratio,
       exp(avg(ln(grad_ratio)))     AS grad_ratio,
       avg(theory_chi1)             AS theory_chi1,
       avg(act_std)                 AS act_std,
       min(distinct_units)          AS distinct_units,
       count(*)                     AS seeds
FROM layers
WHERE grad_sq_mean IS NOT NULL
GROUP BY activation, activation_param, init, init_std, bias_std, width, depth, layer
ORDER BY activation, init, init_std, bias_std, width, depth, layer;
