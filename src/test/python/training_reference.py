#!/usr/bin/env python3
"""Reference training runs in numpy, for TrainingTest (io.initsweep.sim.Training).

For every (kind, activation, optimizer) in regression/classification x tanh/relu/softplus x
sgd/momentum/adam this script draws a small problem with np.random.default_rng: inputs
X ~ N(0, 1) (64 training and 24 test samples of width 5), targets or labels, a student MLP of
depth 3 (widths 5 -> 8 -> 7 -> 6) with W_l ~ N(0, g/fan_in) (g = 2 for relu, 1 otherwise) and
biases ~ N(0, 0.1^2) (the softplus students have no biases, to cover that path), a readout
R ~ N(0, 1/6) and a readout bias of zeros. It then trains the student for 20 steps of minibatch
16 and records, at every step t = 0..20 (weights after t updates):

  train_loss   loss over the 64 training samples
  test_loss    loss over the 24 test samples
  accuracy     share of test samples whose first argmax is the label (classification only)
  grad_norm    per layer, ||dL/dW_l||_F of the minibatch gradient at these weights, i.e. of the
               minibatch step t+1 uses (at t = 20 the minibatch step 21 would use)
  update_ratio per layer, ||W_l(after) - W_l(before)||_F / ||W_l(before)||_F of update t
               (absent at t = 0)

Everything is computed from the definitions, independently of the Java code:
  * A_l = X_{l-1} W_l + b_l, X_l = phi(A_l), yhat = X_L R + r0; tanh, relu (relu'(0) = 0, never
    hit here) and softplus(a) = log(1 + e^a) (np.logaddexp), softplus' = the logistic sigmoid;
  * regression loss (1/(2B)) sum (yhat - y)^2; classification loss mean over samples of
    logsumexp(yhat) - yhat[label] (max-shifted logsumexp);
  * backpropagation by hand, gradients of the minibatch mean;
  * torch.optim semantics from their documented formulas: sgd w -= lr g; momentum (dampening 0,
    no Nesterov) v = beta v + g, w -= lr v with v = 0 at the start; adam (no weight decay, no
    amsgrad) m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2, w -= lr (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps);
    every W_l, b_l, R and r0 is updated;
  * the sample order documented in Training's javadoc: epochs of floor(n/B) minibatches, each
    epoch's order = Fisher-Yates over 0..n-1 (i from n-1 down to 1, j = u mod (i+1)) with u the
    next SplitMix64 output (Python integers mod 2^64), the SplitMix64 state starting at the
    case's seed (written as a signed 64-bit integer) and running on across epochs.

TrainingTest feeds the same data, weights and seed to Training and requires every recorded
number to agree to 1e-10 relative.

The script also runs the tanh and relu problems (12 cases) in float32: the data, weights and
readout cast to np.float32 once, then the same code on float32 arrays (NEP 50: Python scalars do
not promote them), into training_reference32.csv, the same keys. TrainingReferenceTest holds
Training32 to those numbers at 2e-5 relative.

Rerun from the repository root (python3 and numpy only; under a second):

    python3 src/test/python/training_reference.py

It overwrites src/test/resources/golden/training_reference.csv and training_reference32.csv. The problems depend only on
numpy's PCG64 streams (default_rng(seed)); the recorded numbers may move in the last digits with
another BLAS's summation order, far inside the test's tolerance.

CSV columns: case, key, values (the values space-separated; floats as Python's repr, which
round-trips exactly). Keys per case: kind, activation, optimizer, lr, momentum, beta1, beta2, eps,
seed, widths, outputs, batch, steps, biased, train_x, train_y | train_labels, test_x,
test_y | test_labels, w1..w3, b1..b3 (when biased), readout, then the records: train_loss,
test_loss, accuracy (classification), grad_norm_1..3, update_ratio_1..3 (21 values each; NaN at
step 0 for the update ratios).
"""

import os
import sys

import numpy as np

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15

D = 5
HIDDEN = [8, 7, 6]
N_TRAIN = 64
N_TEST = 24
BATCH = 16
STEPS = 20
OUTPUTS = {"regression": 2, "classification": 3}
KINDS = ["regression", "classification"]
ACTIVATIONS = ["tanh", "relu", "softplus"]
OPTIMIZERS = {
    "sgd": dict(lr=0.1, momentum=0.9, beta1=0.9, beta2=0.999, eps=1e-8),
    "momentum": dict(lr=0.05, momentum=0.9, beta1=0.9, beta2=0.999, eps=1e-8),
    "adam": dict(lr=0.01, momentum=0.9, beta1=0.9, beta2=0.999, eps=1e-8),
}
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden",
                   "training_reference.csv")
OUT32 = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden",
                     "training_reference32.csv")


def phi(name, a):
    if name == "tanh":
        return np.tanh(a)
    if name == "relu":
        return np.maximum(a, 0.0)
    if name == "softplus":
        return np.logaddexp(0.0, a)
    raise ValueError(name)


def dphi(name, a):
    if name == "tanh":
        return 1.0 - np.tanh(a) ** 2
    if name == "relu":
        return (a > 0).astype(a.dtype)
    if name == "softplus":
        return 1.0 / (1.0 + np.exp(-a))
    raise ValueError(name)


def splitmix64(state):
    state = (state + GOLDEN) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def epoch_order(n, state):
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        state, u = splitmix64(state)
        j = u % (i + 1)
        order[i], order[j] = order[j], order[i]
    return order, state


def forward(act, ws, bs, r, r0, x):
    pres, posts = [], []
    h = x
    for l, w in enumerate(ws):
        a = h @ w + (bs[l] if bs is not None else 0.0)
        h = phi(act, a)
        pres.append(a)
        posts.append(h)
    return pres, posts, h @ r + r0


def loss_and_error(kind, yhat, y):
    """Mean loss and the per-sample error e = B * dL/dyhat."""
    b = yhat.shape[0]
    if kind == "regression":
        e = yhat - y
        return 0.5 * np.sum(e * e) / b, e
    m = np.max(yhat, axis=1, keepdims=True)
    ex = np.exp(yhat - m)
    s = np.sum(ex, axis=1, keepdims=True)
    lse = m[:, 0] + np.log(s[:, 0])
    loss = np.mean(lse - yhat[np.arange(b), y])
    p = ex / s
    p[np.arange(b), y] -= 1.0
    return loss, p


def gradients(kind, act, ws, bs, r, r0, x, y):
    b = x.shape[0]
    pres, posts, yhat = forward(act, ws, bs, r, r0, x)
    loss, e = loss_and_error(kind, yhat, y)
    g_r = posts[-1].T @ e / b
    g_r0 = e.sum(axis=0) / b
    delta = (e @ r.T) * dphi(act, pres[-1])
    g_w = [None] * len(ws)
    g_b = [None] * len(ws)
    for l in range(len(ws) - 1, -1, -1):
        inp = x if l == 0 else posts[l - 1]
        g_w[l] = inp.T @ delta / b
        g_b[l] = delta.sum(axis=0) / b
        if l > 0:
            delta = (delta @ ws[l].T) * dphi(act, pres[l - 1])
    return loss, g_w, g_b, g_r, g_r0


def full_loss(kind, act, ws, bs, r, r0, x, y):
    _, _, yhat = forward(act, ws, bs, r, r0, x)
    loss, _ = loss_and_error(kind, yhat, y)
    acc = float("nan")
    if kind == "classification":
        acc = float(np.mean(np.argmax(yhat, axis=1) == y))
    return float(loss), acc


class Opt:
    def __init__(self, name, hp, params):
        self.name, self.hp, self.t = name, hp, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, params, grads):
        self.t += 1
        lr = self.hp["lr"]
        for i, (p, g) in enumerate(zip(params, grads)):
            if self.name == "sgd":
                p -= lr * g
            elif self.name == "momentum":
                self.m[i] = self.hp["momentum"] * self.m[i] + g
                p -= lr * self.m[i]
            else:
                b1, b2, eps = self.hp["beta1"], self.hp["beta2"], self.hp["eps"]
                self.m[i] = b1 * self.m[i] + (1 - b1) * g
                self.v[i] = b2 * self.v[i] + (1 - b2) * g * g
                mhat = self.m[i] / (1 - b1 ** self.t)
                vhat = self.v[i] / (1 - b2 ** self.t)
                p -= lr * mhat / (np.sqrt(vhat) + eps)


def problem(kind, act, case_index):
    rng = np.random.default_rng(1000 + case_index)
    outputs = OUTPUTS[kind]
    x_train = rng.standard_normal((N_TRAIN, D))
    x_test = rng.standard_normal((N_TEST, D))
    m = rng.standard_normal((D, outputs))
    if kind == "regression":
        y_train = np.sin(x_train @ m) + 0.1 * rng.standard_normal((N_TRAIN, outputs))
        y_test = np.sin(x_test @ m) + 0.1 * rng.standard_normal((N_TEST, outputs))
    else:
        y_train = np.argmax(x_train @ m + 0.5 * rng.standard_normal((N_TRAIN, outputs)), axis=1)
        y_test = np.argmax(x_test @ m + 0.5 * rng.standard_normal((N_TEST, outputs)), axis=1)
    widths = [D] + HIDDEN
    gain = 2.0 if act == "relu" else 1.0
    ws = [rng.standard_normal((widths[l], widths[l + 1])) * np.sqrt(gain / widths[l]) for l in range(len(HIDDEN))]
    biased = act != "softplus"
    bs = [0.1 * rng.standard_normal(widths[l + 1]) for l in range(len(HIDDEN))] if biased else None
    r = rng.standard_normal((widths[-1], outputs)) * np.sqrt(1.0 / widths[-1])
    return x_train, y_train, x_test, y_test, widths, ws, bs, r, biased


def run_case(kind, act, opt_name, case_index, dtype=np.float64):
    x_train, y_train, x_test, y_test, widths, ws, bs, r, biased = problem(kind, act, case_index)
    hp = OPTIMIZERS[opt_name]
    # a seed with the top bit set half of the time, to pin the unsigned arithmetic
    seed_unsigned = (GOLDEN * (case_index + 1)) & MASK
    seed_signed = seed_unsigned - (1 << 64) if seed_unsigned >= 1 << 63 else seed_unsigned
    rows = {
        "kind": [kind], "activation": [act], "optimizer": [opt_name],
        "lr": [repr(hp["lr"])], "momentum": [repr(hp["momentum"])], "beta1": [repr(hp["beta1"])],
        "beta2": [repr(hp["beta2"])], "eps": [repr(hp["eps"])], "seed": [str(seed_signed)],
        "widths": [str(w) for w in widths], "outputs": [str(OUTPUTS[kind])], "batch": [str(BATCH)],
        "steps": [str(STEPS)], "biased": [str(biased).lower()],
        "train_x": fl(x_train), "test_x": fl(x_test),
    }
    if kind == "regression":
        rows["train_y"] = fl(y_train)
        rows["test_y"] = fl(y_test)
    else:
        rows["train_labels"] = [str(int(v)) for v in y_train]
        rows["test_labels"] = [str(int(v)) for v in y_test]
    for l, w in enumerate(ws):
        rows[f"w{l + 1}"] = fl(w)
    if biased:
        for l, b in enumerate(bs):
            rows[f"b{l + 1}"] = fl(b)
    rows["readout"] = fl(r)

    # the training runs in dtype: float32 casts the data, the weights and the readout once (numpy's
    # float32 arithmetic from there on: NEP 50 keeps Python scalars from promoting)
    x_train = x_train.astype(dtype)
    x_test = x_test.astype(dtype)
    if kind == "regression":
        y_train = y_train.astype(dtype)
        y_test = y_test.astype(dtype)
    ws = [w.astype(dtype) for w in ws]
    bs = [b.astype(dtype) for b in bs] if biased else None
    r = r.astype(dtype)
    r0 = np.zeros(OUTPUTS[kind], dtype=dtype)
    params = ws + (bs if biased else []) + [r, r0]
    opt = Opt(opt_name, hp, params)
    state = seed_unsigned
    per_epoch = N_TRAIN // BATCH
    order = None
    rec = {k: [] for k in ["train_loss", "test_loss", "accuracy"]}
    grad_norm = [[] for _ in ws]
    update_ratio = [[] for _ in ws]
    last_ratio = [float("nan")] * len(ws)
    for t in range(STEPS + 1):
        k = t % per_epoch  # minibatch of step t + 1
        if k == 0:
            order, state = epoch_order(N_TRAIN, state)
        idx = order[k * BATCH:(k + 1) * BATCH]
        _, g_w, g_b, g_r, g_r0 = gradients(kind, act, ws, bs, r, r0, x_train[idx], y_train[idx])
        train_loss, _ = full_loss(kind, act, ws, bs, r, r0, x_train, y_train)
        test_loss, acc = full_loss(kind, act, ws, bs, r, r0, x_test, y_test)
        rec["train_loss"].append(repr(train_loss))
        rec["test_loss"].append(repr(test_loss))
        rec["accuracy"].append(repr(acc))
        for l in range(len(ws)):
            grad_norm[l].append(repr(float(np.sqrt(np.sum(g_w[l] ** 2)))))
            update_ratio[l].append(repr(last_ratio[l]))
        if t == STEPS:
            break
        before = [w.copy() for w in ws]
        opt.step(params, g_w + (g_b if biased else []) + [g_r, g_r0])
        last_ratio = [float(np.linalg.norm(ws[l] - before[l]) / np.linalg.norm(before[l])) for l in range(len(ws))]
    rows["train_loss"] = rec["train_loss"]
    rows["test_loss"] = rec["test_loss"]
    if kind == "classification":
        rows["accuracy"] = rec["accuracy"]
    for l in range(len(ws)):
        rows[f"grad_norm_{l + 1}"] = grad_norm[l]
        rows[f"update_ratio_{l + 1}"] = update_ratio[l]
    return rows


def fl(a):
    return [repr(float(v)) for v in np.asarray(a).ravel()]


def write(out, dtype, activations):
    lines = [
        "# Generated by src/test/python/training_reference.py -- do not edit; rerun the script instead.",
        f"# numpy {np.__version__}; {np.dtype(dtype).name}; widths {[D] + HIDDEN}, n_train {N_TRAIN}, "
        f"n_test {N_TEST}, batch {BATCH}, steps {STEPS}.",
        "case,key,values",
    ]
    case_index = 0
    cases = 0
    for kind in KINDS:
        for act in ACTIVATIONS:
            for opt_name in OPTIMIZERS:
                if act in activations:
                    name = f"{kind}_{act}_{opt_name}"
                    rows = run_case(kind, act, opt_name, case_index, dtype)
                    for key, values in rows.items():
                        lines.append(f"{name},{key},{' '.join(values)}")
                    cases += 1
                case_index += 1
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {cases} cases to {os.path.normpath(out)}", file=sys.stderr)


def main():
    write(OUT, np.float64, ACTIVATIONS)
    # the float32 runs of the tanh and relu problems, for Training32: the same data, weights and
    # readout (written in float64, rounded to float32 by both sides)
    write(OUT32, np.float32, ["tanh", "relu"])


if __name__ == "__main__":
    main()
