-- Where finite width departs from mean-field theory: per width, the 20 layers whose measured
-- E[A²] is furthest from the theory's q (q_rel_error = pre_sq_mean / theory_q − 1), with the
-- measured and predicted correlation of samples and saturation beside them.
SELECT * FROM (
  SELECT width, batch, init_params, activation, bias_std, depth, seed, layer,
         pre_sq_mean, theory_q, q_rel_error,
         pre_corr_mean, theory_c, saturation_rate, theory_saturation_rate,
         row_number() OVER (PARTITION BY width ORDER BY abs(q_rel_error) DESC) AS rank
  FROM layers
  WHERE q_rel_error IS NOT NULL AND NOT isnan(q_rel_error)
)
WHERE rank <= 20
ORDER BY width, rank;
