#!/usr/bin/env python3
"""fastText peer for keel's training-speed table (issue 7).

Converts the CSV files to fastText's `__label__x text` lines (lower-cased, `<br />` removed, the
same word pattern as torch_train.py), trains Debian's `fasttext supervised` with one thread,
dim 64, word bigrams, and prints one JSON line: words/second as fastText reports it, the wall-time
tokens/second by keel's definition (word tokens per epoch times epochs over training time), and
test macro-F1 computed from `fasttext predict`.

    python3 bench/peers/fasttext_train.py data/fine_foods/fine_foods_train.csv \
        data/fine_foods/fine_foods_test.csv
"""
import argparse
import csv
import json
import os
import re
import subprocess
import tempfile
import time

from peer_text import macro_f1, tokens

def convert(src, dst, text_col, label_col):
    words = 0
    gold = []
    with open(src, newline="", encoding="utf-8-sig") as f, open(dst, "w", encoding="utf-8") as out:
        for row in csv.DictReader(f):
            ws = tokens(row[text_col])
            words += len(ws)
            gold.append(row[label_col])
            out.write("__label__" + row[label_col] + " " + " ".join(ws) + "\n")
    return words, gold


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("train")
    ap.add_argument("test")
    ap.add_argument("--text-column", default="review")
    ap.add_argument("--label-column", default="score")
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--fasttext", default="fasttext")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tr, te, model = (os.path.join(tmp, n) for n in ("train.txt", "test.txt", "model"))
        words, _ = convert(a.train, tr, a.text_column, a.label_column)
        _, gold = convert(a.test, te, a.text_column, a.label_column)
        start = time.perf_counter()
        run = subprocess.run([a.fasttext, "supervised", "-input", tr, "-output", model, "-dim", str(a.dim),
                              "-wordNgrams", "2", "-epoch", str(a.epochs), "-lr", str(a.lr), "-thread", "1", "-seed", str(a.seed),
                              "-verbose", "2"], capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - start
        reported = re.findall(r"words/sec/thread:\s*(\d+)", run.stdout + run.stderr)
        pred = subprocess.run([a.fasttext, "predict", model + ".bin", te], capture_output=True, text=True,
                              check=True).stdout.split()
        pred = [p.replace("__label__", "") for p in pred]
    print(json.dumps({
        "peer": "fasttext", "threads": 1, "epochs": a.epochs, "dim": a.dim, "seed": a.seed,
        "train_seconds": round(seconds, 3),
        "words_per_second_reported": int(reported[-1]) if reported else None,
        "tokens_per_second": round(words * a.epochs / seconds),
        "test_macro_f1": round(macro_f1(gold, pred), 4),
    }))


if __name__ == "__main__":
    main()
