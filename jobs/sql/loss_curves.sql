-- Loss curves (sweeps with training): per configuration and recorded step, the training and test
-- losses' mean, min and max over seeds, and how many seeds reached the step (a diverged run stops
-- at its divergence step). Step 0 is the initialization.
SELECT activation, activation_param, init, init_std, bias_std, width, depth, optimizer, lr, step,
       avg(train_loss) AS train_loss_mean,
       min(train_loss) AS train_loss_min,
       max(train_loss) AS train_loss_max,
       avg(test_loss)  AS test_loss_mean,
       min(test_loss)  AS test_loss_min,
       max(test_loss)  AS test_loss_max,
       count(*)        AS seeds
FROM training
GROUP BY activation, activation_param, init, init_std, bias_std, width, depth, optimizer, lr, step
ORDER BY activation, init, init_std, bias_std, width, depth, optimizer, lr, step;
