-- The seed figure: one configuration's histogram of activations, layer by layer — the share of
-- the batch × width outputs in each bin, as the seed notebook's row of 30-bin subplots (edit the
-- WHERE clause to pick another configuration). Layers from the deepest grid point of the chain.
WITH deepest AS (
  SELECT *, max(depth) OVER (PARTITION BY output, chain_id) AS chain_depth FROM histograms
)
SELECT init_params, activation, seed, layer, bin, lo, hi, round(count / (batch * width), 4) AS share
FROM deepest
WHERE depth = chain_depth AND init = 'normal' AND init_std = 1.0 AND activation = 'sigmoid' AND seed = 0
ORDER BY init_params, layer, bin;
