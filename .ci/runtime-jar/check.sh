#!/usr/bin/env bash
# keel-runtime.jar alone: keel's own classes only, at most 400 KB, and a program compiled against it
# alone trains, saves, loads a folder `keel train` wrote and predicts what `keel predict` predicts,
# on a jlink image of java.base alone (scalar path) and with jdk.incubator.vector (vector path).
#   .ci/runtime-jar/check.sh          (JAVA_HOME picks the JDK; run after mvn package)
set -euo pipefail
cd "$(dirname "$0")/../.."
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
jar=classifier/target/keel-runtime.jar
work=$(mktemp -d /tmp/keel-runtime-jar.XXXXXX)
trap 'rm -rf "$work"' EXIT

size=$(stat -c %s "$jar")
echo "keel-runtime.jar: $size bytes"
[ "$size" -le 409600 ] || { echo "keel-runtime.jar is $size bytes, over 400 KB" >&2; exit 1; }
foreign=$("$jdk/bin/jar" tf "$jar" | grep -v -e '^META-INF/$' -e '^META-INF/MANIFEST.MF$' -e '^dev/$' -e '^dev/keel/' || true)
[ -z "$foreign" ] || { echo "keel-runtime.jar holds files outside keel's packages: $foreign" >&2; exit 1; }

"$jdk/bin/javac" --release 17 -d "$work/classes" -cp "$jar" .ci/runtime-jar/RuntimeJarCheck.java
"$jdk/bin/jlink" --add-modules java.base --output "$work/jre-base" --strip-debug --no-header-files --no-man-pages
"$jdk/bin/jlink" --add-modules java.base,jdk.incubator.vector --output "$work/jre-vector" --strip-debug \
    --no-header-files --no-man-pages

train=data/fine_foods/fine_foods_train.csv
test=data/fine_foods/fine_foods_test.csv
JAVA_HOME="$jdk" ./keel train --train "$train" --text-column review --label-column score --epochs 2 --quiet \
    --model "$work/cli-model" > /dev/null
JAVA_HOME="$jdk" ./keel predict --model "$work/cli-model" --data "$test" --text-column review | cut -f1 > "$work/keel-predict.txt"

for image in jre-base jre-vector; do
    opts=()
    [ "$image" = jre-vector ] && opts=(--add-modules jdk.incubator.vector)
    mkdir -p "$work/$image-out"
    "$work/$image/bin/java" "${opts[@]}" -cp "$jar:$work/classes" RuntimeJarCheck "$train" "$work/cli-model" "$test" \
        "$work/$image-out" 2> "$work/$image.log" || { cat "$work/$image.log" >&2; exit 1; }
    path=$(grep -m1 "^keel kernels:" "$work/$image.log")
    case "$image:$path" in
        jre-base:*"scalar path"*|jre-vector:*"vector path"*) ;;
        *) echo "$image: wrong kernel path: $path" >&2; exit 1 ;;
    esac
    cmp -s "$work/keel-predict.txt" "$work/$image-out/predictions.txt" \
        || { echo "$image: the program's predictions differ from keel predict's" >&2; exit 1; }
    echo "$image: $path; $(grep -m1 "^trained" "$work/$image.log"); $(wc -l < "$work/keel-predict.txt") predictions as keel predict's"
done
