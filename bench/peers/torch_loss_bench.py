#!/usr/bin/python3
"""PyTorch's CPU loss kernels on LossBench's shapes, one thread: the peer of keel's LossBench.

Times forward + backward (loss and gradient at the logits) for each kind at rows x classes =
4096x2, 4096x10, 65536x2, 1024x1000 and prints ns per logit. Cross entropy, weighted cross
entropy and BCE are PyTorch's own fused kernels; focal, gated and soft-gated are written in torch
ops (as a PyTorch user would), sigmoid focal as torchvision writes it. The binary kinds take one
logit per row, so a shape rows x classes runs them on rows * classes rows, as LossBench does.
Parameters match LossBench: margin max(0.7, (1 + 1/classes) / 2), k = 10, gamma = 2, weights
1 + c % 3, sigmoid focal alpha 0.25, logits 3 * N(0, 1).

    /usr/bin/python3 bench/peers/torch_loss_bench.py [--json out.json] [--kinds ce,focal] [--seconds 0.3]

Needs the Debian package python3-torch (use /usr/bin/python3: a pyenv python does not see it).
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F

SHAPES = [(4096, 2), (4096, 10), (65536, 2), (1024, 1000)]
KINDS = ["ce", "weighted_ce", "gated", "soft_gated", "focal", "bce", "sigmoid_focal", "gated_bce"]
BINARY = {"bce", "sigmoid_focal", "gated_bce"}


def margin_for(classes):
    return max(0.7, (1 + 1 / classes) / 2)


def softmax_loss(kind, classes):
    m = margin_for(classes)
    weights = torch.tensor([1.0 + c % 3 for c in range(classes)])

    def target_log_prob(z, t):
        return F.log_softmax(z, dim=1).gather(1, t[:, None]).squeeze(1)

    if kind == "ce":
        return lambda z, t: F.cross_entropy(z, t)
    if kind == "weighted_ce":
        return lambda z, t: F.cross_entropy(z, t, weight=weights)
    if kind == "gated":
        def gated(z, t):
            log_pt = target_log_prob(z, t)
            pt = log_pt.detach().exp()
            gate = torch.where(pt < m, 1.0, torch.where(pt == m, 0.5, 0.0))  # theta(m - p_t), a constant
            return -(gate * log_pt).mean()
        return gated
    if kind == "soft_gated":
        def soft_gated(z, t):
            log_pt = target_log_prob(z, t)
            return -(torch.sigmoid(10.0 * (m - log_pt.exp())) * log_pt).mean()
        return soft_gated
    if kind == "focal":
        def focal(z, t):
            log_pt = target_log_prob(z, t)
            return -((1 - log_pt.exp()) ** 2.0 * log_pt).mean()
        return focal
    raise ValueError(kind)


def binary_loss(kind):
    m = 0.7
    if kind == "bce":
        return lambda x, y: F.binary_cross_entropy_with_logits(x, y)
    if kind == "sigmoid_focal":  # torchvision.ops.sigmoid_focal_loss, gamma 2, alpha 0.25, mean
        def sigmoid_focal(x, y):
            p = torch.sigmoid(x)
            ce = F.binary_cross_entropy_with_logits(x, y, reduction="none")
            p_t = p * y + (1 - p) * (1 - y)
            loss = ce * (1 - p_t) ** 2.0
            return ((0.25 * y + 0.75 * (1 - y)) * loss).mean()
        return sigmoid_focal
    if kind == "gated_bce":
        def gated_bce(x, y):
            s = torch.sigmoid(x).detach()
            step = lambda v: torch.where(v > 0, 1.0, torch.where(v == 0, 0.5, 0.0))
            lam = 1 - step(y - m) * step(s - m) - step(1 - m - y) * step(1 - m - s)
            return (lam * F.binary_cross_entropy_with_logits(x, y, reduction="none")).mean()
        return gated_bce
    raise ValueError(kind)


def time_kind(kind, rows, classes, seconds):
    generator = torch.Generator().manual_seed(20190101)
    if kind in BINARY:
        rows, classes = rows * classes, 1
        logits = (3 * torch.randn(rows, generator=generator)).requires_grad_()
        targets = torch.randint(0, 2, (rows,), generator=generator).float()
        loss_fn = binary_loss(kind)
    else:
        logits = (3 * torch.randn(rows, classes, generator=generator)).requires_grad_()
        targets = torch.randint(0, classes, (rows,), generator=generator)
        loss_fn = softmax_loss(kind, classes)

    def step():
        logits.grad = None
        loss_fn(logits, targets).backward()

    for _ in range(5):
        step()
    iterations = 1
    while True:  # iterations for about `seconds` per repeat
        start = time.perf_counter()
        for _ in range(iterations):
            step()
        elapsed = time.perf_counter() - start
        if elapsed >= seconds / 4:
            iterations = max(1, int(iterations * seconds / elapsed))
            break
        iterations *= 4
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter_ns()
        for _ in range(iterations):
            step()
        best = min(best, (time.perf_counter_ns() - start) / iterations)
    return best / logits.numel()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--seconds", type=float, default=0.3, help="per repeat (best of 5 repeats)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, best of 5, ns per logit")
    print(f"{'kind':<14} " + " ".join(f"{r}x{c:<6}" for r, c in SHAPES))
    results = []
    for kind in args.kinds.split(","):
        line = []
        for rows, classes in SHAPES:
            ns = time_kind(kind, rows, classes, args.seconds)
            results.append({"kind": kind, "shape": f"{rows}x{classes}", "ns_per_logit": ns})
            line.append(f"{ns:>11.2f}")
        print(f"{kind:<14} " + " ".join(line), flush=True)
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(), "results": results},
                      out, indent=1)


if __name__ == "__main__":
    main()
