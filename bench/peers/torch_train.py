#!/usr/bin/env python3
"""PyTorch peer for keel's training-speed table (issue 7).

Trains the same architecture as `keel train`: EmbeddingBag (mean) over word unigrams and hashed
word bigrams -> Linear, Adam for the dense layer and SparseAdam for the embedding, batch 32,
dim 64, 10 epochs, one thread. Prints one JSON line: tokens/second (word tokens per epoch times
epochs over training wall time, the same definition keel and fastText use) and test macro-F1.

Run with Debian's interpreter, which sees python3-torch:
    /usr/bin/python3 bench/peers/torch_train.py data/fine_foods/fine_foods_train.csv \
        data/fine_foods/fine_foods_test.csv
"""
import argparse
import csv
import json
import sys
import time

import torch

from peer_text import macro_f1, tokens

def fnv1a(s):
    h = 0x811C9DC5
    for b in s.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def read(path, text_col, label_col):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    return [r[text_col] for r in rows], [r[label_col] for r in rows]


def featurize(texts, vocab, buckets, grow):
    bags, words = [], 0
    for t in texts:
        ws = tokens(t)
        words += len(ws)
        ids = []
        for w in ws:
            if w not in vocab and grow:
                vocab[w] = len(vocab)
            if w in vocab:
                ids.append(vocab[w])
        bags.append((ids, [fnv1a(a + " " + b) % buckets for a, b in zip(ws, ws[1:])]))
    return bags, words


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("train")
    ap.add_argument("test")
    ap.add_argument("--text-column", default="review")
    ap.add_argument("--label-column", default="score")
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--buckets", type=int, default=2_000_000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)

    tr_x, tr_y = read(a.train, a.text_column, a.label_column)
    te_x, te_y = read(a.test, a.text_column, a.label_column)
    labels = sorted(set(tr_y))
    lid = {l: i for i, l in enumerate(labels)}
    vocab = {}
    tr_bags, tr_words = featurize(tr_x, vocab, a.buckets, True)
    te_bags, _ = featurize(te_x, vocab, a.buckets, False)
    nv = len(vocab)

    def flat(bags):
        out = []
        for ids, grams in bags:
            out.append(torch.tensor(ids + [nv + g for g in grams], dtype=torch.long))
        return out

    tr_t, te_t = flat(tr_bags), flat(te_bags)
    ytr = torch.tensor([lid[y] for y in tr_y])
    emb = torch.nn.EmbeddingBag(nv + a.buckets, a.dim, mode="mean", sparse=True)
    torch.nn.init.uniform_(emb.weight, -1.0 / a.dim, 1.0 / a.dim)
    lin = torch.nn.Linear(a.dim, len(labels))
    opt_s = torch.optim.SparseAdam(list(emb.parameters()), lr=a.lr)
    opt_d = torch.optim.Adam(lin.parameters(), lr=a.lr)
    g = torch.Generator().manual_seed(a.seed)

    def batch(ts, idx):
        parts = [ts[i] for i in idx]
        offsets = torch.tensor([0] + [len(p) for p in parts[:-1]]).cumsum(0)
        return torch.cat(parts), offsets

    start = time.perf_counter()
    for _ in range(a.epochs):
        order = torch.randperm(len(tr_t), generator=g).tolist()
        for s in range(0, len(order), a.batch):
            idx = order[s:s + a.batch]
            ids, offs = batch(tr_t, idx)
            loss = torch.nn.functional.cross_entropy(lin(emb(ids, offs)), ytr[idx])
            opt_s.zero_grad()
            opt_d.zero_grad()
            loss.backward()
            opt_s.step()
            opt_d.step()
    seconds = time.perf_counter() - start

    with torch.no_grad():
        ids, offs = batch(te_t, list(range(len(te_t))))
        pred = lin(emb(ids, offs)).argmax(1).tolist()
    gold = [lid.get(y, -1) for y in te_y]
    print(json.dumps({
        "peer": "pytorch", "version": torch.__version__, "threads": 1,
        "epochs": a.epochs, "dim": a.dim, "batch": a.batch, "seed": a.seed,
        "train_seconds": round(seconds, 3),
        "tokens_per_second": round(tr_words * a.epochs / seconds),
        "test_macro_f1": round(macro_f1(gold, pred), 4),
    }))


if __name__ == "__main__":
    sys.exit(main())
