-- Vanishing or exploding gradients at initialization (sweeps with `gradients`): per configuration,
-- over seeds, ‖∂L/∂W_1‖ / ‖∂L/∂W_L‖ (geometric mean) and its log10, the measured χ₁ beside the
-- theory's χ₁ and phase, and a verdict: more than a decade smaller at the first layer than at
-- the last is vanishing, more than a decade larger exploding, else flowing.
SELECT activation, activation_param, init, init_std, bias_std, width, depth,
       avg(log10(grad_first_over_last))            AS log10_first_over_last,
       power(10, avg(log10(grad_first_over_last))) AS grad_first_over_last,
       exp(avg(ln(chi1_measured)))                 AS chi1_measured,
       avg(chi1)                                   AS chi1_theory,
       first(phase)                                AS phase,
       CASE WHEN avg(log10(grad_first_over_last)) < -1 THEN 'vanishing'
            WHEN avg(log10(grad_first_over_last)) > 1 THEN 'exploding'
            ELSE 'flowing' END                     AS gradients,
       count(*)                                    AS seeds
FROM runs
WHERE grad_first_over_last IS NOT NULL
GROUP BY activation, activation_param, init, init_std, bias_std, width, depth
ORDER BY activation, init, init_std, bias_std, width, depth;
