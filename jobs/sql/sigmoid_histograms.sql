-- The seed figure for sigmoid: the share of activations in each of the histogram's bins, per
-- layer, seed 0 (std 1 piles up at the bins next to 0 and 1; std 0.01 collapses into the bin
-- around 0.5). Layers come from the deepest grid point of each chain.
WITH deepest AS (
  SELECT *, max(depth) OVER (PARTITION BY output, chain_id) AS chain_depth FROM histograms
)
SELECT init, init_std, layer, bin, lo, hi, round(count / (batch * width), 4) AS share
FROM deepest
WHERE activation = 'sigmoid' AND seed = 0 AND depth = chain_depth
ORDER BY init, init_std, layer, bin;
