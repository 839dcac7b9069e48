#!/usr/bin/env bash
# The training-throughput table of bench/README.md in one command: keel (one and two threads),
# PyTorch and fastText train the same model on the same file in the same session, interleaved,
# RUNS times each (run r with seed r for every peer); prints one JSON line per run, then the table:
# median tokens/s, mean and standard deviation of test macro-F1 over the seeds.
#
#   bench/peers/train_table.sh [TRAIN.csv TEST.csv]
#
# Environment: RUNS (default 3), JAVA (default java; e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java),
# PYTHON (default /usr/bin/python3, which sees Debian's python3-torch), KEEL_THREADS (default "1 2"),
# KEEL_JAVA_OPTS (default -Xmx6g), SKIP_BUILD=1 to reuse bench/target/benchmarks.jar, OUT (the JSON
# lines, default a temporary file).
#
# keel's entry is dev.keel.bench.TrainThroughput (the nn API, same settings as torch_train.py).
# tokens/s = word tokens per epoch x epochs / training wall time (featurization excluded) for all
# three; each counts words with its own tokenizer (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."

TRAIN=${1:-data/fine_foods/fine_foods_train.csv}
TEST=${2:-data/fine_foods/fine_foods_test.csv}
RUNS=${RUNS:-3}
JAVA=${JAVA:-java}
PYTHON=${PYTHON:-/usr/bin/python3}
KEEL_THREADS=${KEEL_THREADS:-1 2}
KEEL_JAVA_OPTS=${KEEL_JAVA_OPTS:--Xmx6g}
OUT=${OUT:-$(mktemp /tmp/keel-train-table.XXXXXX)}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    mvn -q -pl bench -am package -DskipTests
fi

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
     "$("$JAVA" -version 2>&1 | head -1), runs $RUNS, results in $OUT" >&2
: > "$OUT"
load() { cut -d' ' -f1-3 /proc/loadavg; }
record() { # peer-json-line load-before
    "$PYTHON" -c 'import json,sys; d=json.loads(sys.argv[1]); d["load_before"]=sys.argv[2]; d["load_after"]=sys.argv[3]; print(json.dumps(d))' \
        "$1" "$2" "$(load)" | tee -a "$OUT"
}
for run in $(seq "$RUNS"); do
    for threads in $KEEL_THREADS; do
        before=$(load)
        line=$("$JAVA" --add-modules jdk.incubator.vector $KEEL_JAVA_OPTS -cp bench/target/benchmarks.jar \
               dev.keel.bench.TrainThroughput "$TRAIN" "$TEST" --threads "$threads" --seed "$run" 2>/dev/null | grep '^{')
        record "$line" "$before"
    done
    before=$(load)
    record "$("$PYTHON" bench/peers/torch_train.py "$TRAIN" "$TEST" --seed "$run")" "$before"
    before=$(load)
    record "$("$PYTHON" bench/peers/fasttext_train.py "$TRAIN" "$TEST" --seed "$run")" "$before"
done

"$PYTHON" - "$OUT" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
groups = {}
for r in rows:
    groups.setdefault((r["peer"], r.get("threads", 1)), []).append(r)
med = lambda g, k: statistics.median(x[k] for x in g)
torch = groups.get(("pytorch", 1))
torch_tps = med(torch, "tokens_per_second") if torch else None
print("| peer | threads | runs | tokens/s (median) | min .. max | train s (median) | test macro-F1 (mean ± sd) | tokens/s vs PyTorch |")
print("|---|---|---|---|---|---|---|---|")
for (peer, threads), g in sorted(groups.items(), key=lambda kv: (kv[0][0] != "keel", kv[0])):
    tps = [x["tokens_per_second"] for x in g]
    f1 = [x["test_macro_f1"] for x in g]
    f1_text = "%.4f" % statistics.mean(f1) + (" ± %.4f" % statistics.stdev(f1) if len(f1) > 1 else "")
    ratio = "%.2fx" % (med(g, "tokens_per_second") / torch_tps) if torch_tps else "-"
    print("| %s | %d | %d | %s | %s .. %s | %.2f | %s | %s |" % (
        peer, threads, len(g), format(round(med(g, "tokens_per_second")), ","), format(min(tps), ","),
        format(max(tps), ","), med(g, "train_seconds"), f1_text, ratio))
loads = [x["load_before"].split()[0] for x in rows] + [x["load_after"].split()[0] for x in rows]
print("\n1-minute load average during the runs: %s .. %s" % (min(loads, key=float), max(loads, key=float)))
EOF
