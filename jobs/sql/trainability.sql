-- Trainability from the initialization (sweeps with training): per activation, init (init_std,
-- σ_w² = width · weight_std², σ_b² = bias_std²), depth, optimizer and lr, over seeds: the share of
-- seeds that trained (not diverged, final test loss ≤ ½ the trivial baseline's), the median
-- final_test_loss / baseline_test_loss (1: learned nothing; NaN or huge: diverged), the median
-- recorded step at which the training loss first halved, how many seeds diverged, and beside them
-- the theory's depth / ξ_c and 6·ξ_c (Schoenholz et al.: trainable when depth ≲ 6·ξ_c; null where
-- the theory does not apply, Infinity at criticality).
SELECT activation, activation_param, init, init_std,
       round(width * weight_std * weight_std, 6)                     AS sigma_w2,
       round(bias_std * bias_std, 6)                                 AS sigma_b2,
       depth, optimizer, lr,
       avg(CASE WHEN trained THEN 1.0 ELSE 0.0 END)                  AS trained_share,
       percentile(final_test_loss / baseline_test_loss, 0.5)        AS median_test_vs_baseline,
       percentile(steps_to_half_loss, 0.5)                          AS median_steps_to_half_loss,
       sum(CASE WHEN diverged THEN 1 ELSE 0 END)                     AS diverged,
       avg(depth_over_xi_c)                                          AS depth_over_xi_c,
       6 * avg(xi_c)                                                 AS six_xi_c,
       first(phase)                                                  AS phase,
       count(*)                                                      AS seeds
FROM runs
WHERE optimizer IS NOT NULL
GROUP BY activation, activation_param, init, init_std, width, weight_std, bias_std, depth, optimizer, lr
ORDER BY activation, init, init_std, sigma_w2, sigma_b2, depth, optimizer, lr;
