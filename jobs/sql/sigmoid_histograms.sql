-- The seed figure for sigmoid: the share of activations in each of the histogram's bins, per
-- layer, seed 0 (std 1 piles up at the bins next to 0 and 1; std 0.01 collapses into the bin
-- around 0.5).
SELECT init, init_std, layer, bin, lo, hi, round(count / (batch * width), 4) AS share
FROM histograms
WHERE activation = 'sigmoid' AND seed = 0
ORDER BY init, init_std, layer, bin;
