-- The phase diagram: per activation, σ_w² (= width · weight_std²) and σ_b² (= bias_std²), the
-- mean-field χ₁ at q*, the phase, the correlation depth scale and how many of them the deepest
-- network spans, beside what the sweep measured: the final layer's spread relative to the first
-- and its correlation of samples (pre_corr_mean: → 1 ordered, < 1 chaotic).
SELECT r.activation, r.activation_param,
       round(r.width * r.weight_std * r.weight_std, 6) AS sigma_w2,
       round(r.bias_std * r.bias_std, 6)               AS sigma_b2,
       first(r.phase)                                  AS phase,
       avg(r.chi1)                                     AS chi1,
       avg(r.q_star)                                   AS q_star,
       avg(r.xi_c)                                     AS xi_c,
       max(r.depth)                                    AS depth,
       max(r.depth_over_xi_c)                          AS depth_over_xi_c,
       avg(r.act_std_ratio)                            AS act_std_ratio,
       avg(l.pre_corr_mean)                            AS final_pre_corr_mean,
       avg(l.theory_c)                                 AS final_theory_c,
       count(*)                                        AS runs
FROM runs r
JOIN layers l ON l.run_id = r.run_id AND l.layer = r.depth
WHERE r.chi1 IS NOT NULL AND r.weight_std IS NOT NULL
GROUP BY r.activation, r.activation_param, r.width, r.weight_std, r.bias_std
ORDER BY r.activation, sigma_b2, sigma_w2;
