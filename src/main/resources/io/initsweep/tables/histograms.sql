-- The histograms view: one row per (grid point, layer, bin) of the layers table's histogram of Z,
-- bin k covering [lo, hi) (the last bin also holds hi). Underflow, overflow and non-finite
-- counts stay in the layers table.
SELECT sweep, output, run_id, chain_id, init, init_value, init_params, gain, activation, activation_param, init_std,
       weight_std, depth, seed, width, batch, input, input_width, bias_std, dtype, layer,
       h.bin, hist_edges[h.bin] AS lo, hist_edges[h.bin + 1] AS hi, h.count
FROM {layers}
LATERAL VIEW posexplode(hist_counts) h AS bin, count
