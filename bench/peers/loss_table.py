#!/usr/bin/python3
"""The LossBench table for bench/README.md: keel's JMH results beside PyTorch's, in ns per logit.

    java -jar bench/target/benchmarks.jar LossBench -rf json -rff loss-bench.json
    /usr/bin/python3 bench/peers/torch_loss_bench.py --json torch-loss.json
    /usr/bin/python3 bench/peers/loss_table.py loss-bench.json torch-loss.json

Goals (issue 3): keel's vector path at most 1/10 of PyTorch's time at 2 and 10 classes and 1/3
at 1000 classes (marked for the softmax kinds; the binary kinds have one logit per row whatever the
shape), and at least 8x faster than keel's own scalar path.

keel's figure is each benchmark's fastest measurement iteration (the peer script reports its best
repeat too): on a shared machine the mean mostly measures the neighbours. --mean uses JMH's mean.
"""
import json
import sys


def logits_of(shape):
    rows, classes = (int(v) for v in shape.split("x"))
    return rows * classes


def main(jmh_path, torch_path=None, use_mean=False):
    keel = {}
    for entry in json.load(open(jmh_path)):
        p = entry["params"]
        metric = entry["primaryMetric"]
        score = metric["score"] if use_mean else min(v for fork in metric["rawData"] for v in fork)
        ns = score / logits_of(p["shape"])
        keel[(p["kind"], p["shape"], p["path"])] = ns
    torch = {}
    if torch_path:
        for r in json.load(open(torch_path))["results"]:
            torch[(r["kind"], r["shape"])] = r["ns_per_logit"]
    kinds = sorted({k for k, _, _ in keel}, key=lambda k: ["ce", "weighted_ce", "gated", "soft_gated", "focal",
                                                            "bce", "sigmoid_focal", "gated_bce"].index(k))
    shapes = ["4096x2", "4096x10", "65536x2", "1024x1000"]
    print("| kind | shape | keel vector | keel scalar | PyTorch | PyTorch / vector | scalar / vector |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for kind in kinds:
        for shape in shapes:
            vector = keel.get((kind, shape, "vector"))
            scalar = keel.get((kind, shape, "scalar"))
            peer = torch.get((kind, shape))
            # the goal against PyTorch is set for the softmax kinds (classes: the shape's second number)
            goal = None if kind in BINARY else 3 if shape.endswith("x1000") else 10
            cells = [kind, shape, fmt(vector), fmt(scalar), fmt(peer),
                     ratio(peer, vector, goal), ratio(scalar, vector, 8)]
            print("| " + " | ".join(cells) + " |")


BINARY = {"bce", "sigmoid_focal", "gated_bce"}


def fmt(ns):
    return "-" if ns is None else f"{ns:.2f}"


def ratio(slow, fast, goal):
    if slow is None or fast is None:
        return "-"
    r = slow / fast
    return f"{r:.1f}x" + ("" if goal is None or r >= goal else f" (goal {goal}x: missed)")


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--mean"]
    main(*arguments, use_mean="--mean" in sys.argv)
