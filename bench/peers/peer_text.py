"""What the training peers share: the word pattern and the macro-F1 they report.

The word pattern approximates keel's default tokenizer (lower-cased runs of letters and digits
with inner apostrophes, `<br />` as a space) closely enough that the token counts match within
0.2 % on the bundled reviews.
"""
import re

WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*", re.UNICODE)


def tokens(text):
    return WORD.findall(text.replace("<br />", " ").lower())


def macro_f1(gold, pred):
    """Unweighted mean of the per-class F1 over the classes present in `gold`."""
    f1s = []
    for c in sorted(set(gold)):
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(f1s) / len(f1s)
