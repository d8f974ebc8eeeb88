-- ReLU family: how the share of dead units (a unit saturated on every sample of the batch: for
-- ReLU, never active) grows with depth, per initializer. Final layer of each depth, mean and
-- spread over seeds. The ReLU family here: relu, leaky_relu, elu, selu, gelu, gelu_tanh, silu,
-- mish (rectifier-shaped activations); for leaky_relu with slope ≥ τ nothing counts as dead.
SELECT activation, activation_param, init_params, width, input_width, bias_std, dtype, depth,
       round(avg(dead_unit_rate), 4)        AS dead_unit_rate,
       round(stddev_pop(dead_unit_rate), 4) AS dead_unit_rate_sd,
       round(avg(saturation_rate), 4)       AS saturation_rate,
       round(avg(act_std), 4)               AS act_std,
       count(*)                             AS seeds
FROM runs
WHERE activation IN ('relu', 'leaky_relu', 'elu', 'selu', 'gelu', 'gelu_tanh', 'silu', 'mish')
GROUP BY activation, activation_param, init_params, width, input_width, bias_std, dtype, depth
ORDER BY activation, activation_param, init_params, width, input_width, bias_std, dtype, depth;
