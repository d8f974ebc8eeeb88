-- The edge of chaos from a sweep: per activation and σ_b², the σ_w² where the theory's χ₁ at q*
-- crosses 1, by linear interpolation between neighbouring σ_w² of the grid (σ_w² = width ·
-- weight_std², the hidden layers' weight variance times fan_in). Needs a sweep over std (or scale).
WITH points AS (
  SELECT activation, activation_param, bias_std * bias_std AS sigma_b2,
         width * weight_std * weight_std AS sigma_w2, avg(chi1) AS chi1
  FROM runs
  WHERE chi1 IS NOT NULL AND weight_std IS NOT NULL AND NOT isnan(chi1)
  GROUP BY activation, activation_param, bias_std, width, weight_std
), pairs AS (
  SELECT *,
         lead(sigma_w2) OVER (PARTITION BY activation, activation_param, sigma_b2 ORDER BY sigma_w2) AS next_sigma_w2,
         lead(chi1) OVER (PARTITION BY activation, activation_param, sigma_b2 ORDER BY sigma_w2) AS next_chi1
  FROM points
)
SELECT activation, activation_param, sigma_b2,
       sigma_w2 AS below_sigma_w2, next_sigma_w2 AS above_sigma_w2,
       CASE WHEN next_chi1 = chi1 THEN sigma_w2
            ELSE sigma_w2 + (1 - chi1) * (next_sigma_w2 - sigma_w2) / (next_chi1 - chi1) END AS critical_sigma_w2
FROM pairs
WHERE next_chi1 IS NOT NULL AND (chi1 - 1) * (next_chi1 - 1) <= 0 AND NOT (chi1 = 1 AND next_chi1 = 1)
ORDER BY activation, activation_param, sigma_b2, below_sigma_w2;
