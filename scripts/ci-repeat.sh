#!/usr/bin/env bash
# ci-repeat.sh: run CI (the README's test command, exactly as .ci/run does) N times, each
# time from a fresh clone of this repository's HEAD, and report every run.
#
#   scripts/ci-repeat.sh N [--with-cloud] [--keep] [--out DIR]
#
#   N             how many runs, one after the other
#   --with-cloud  start a ./virga up cloud from THIS checkout (its own VIRGA_HOME under the
#                 output dir) before the first run and stop it after the last: CI must pass
#                 while a developer's cloud runs on the same machine
#   --keep        keep the clones (default: deleted after each run; logs and, for failed
#                 runs, the test reports are kept)
#   --out DIR     where logs go (default: a new /tmp/virga-ci-repeat.XXXXXX)
#
# For each run it prints PASS/FAIL, the duration, the test counts and the failing tests
# (from every module's target/surefire-reports and target/failsafe-reports), then a
# summary line. Exit status 0 only when every run passed. Only committed changes are
# tested (a fresh clone of HEAD); uncommitted ones draw a warning.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

runs=""
with_cloud=0
keep=0
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --with-cloud) with_cloud=1 ;;
    --keep) keep=1 ;;
    --out) [ $# -ge 2 ] || usage; out="$2"; shift ;;
    -h|--help) usage ;;
    *) if [[ "$1" =~ ^[1-9][0-9]*$ ]] && [ -z "$runs" ]; then runs="$1"; else usage; fi ;;
  esac
  shift
done
[ -n "$runs" ] || usage

sha="$(git -C "$ROOT" rev-parse HEAD)"
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ]; then
  echo "ci-repeat: warning: uncommitted changes in $ROOT are NOT tested (runs use HEAD $sha)" >&2
fi
if [ -z "$out" ]; then out="$(mktemp -d /tmp/virga-ci-repeat.XXXXXX)"; else mkdir -p "$out"; fi
out="$(cd "$out" && pwd)"

stamp() { date -u +%H:%M:%S; }
fmt() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

cloud_home="$out/cloud-home"
stop_cloud() {
  if [ "$with_cloud" = 1 ] && [ -f "$cloud_home/state.json" ]; then
    echo "$(stamp) stopping the cloud (VIRGA_HOME=$cloud_home)"
    VIRGA_HOME="$cloud_home" "$ROOT/virga" down || true
  fi
}
trap stop_cloud EXIT
trap 'exit 130' INT TERM

if [ "$with_cloud" = 1 ]; then
  echo "$(stamp) starting a cloud beside the runs: ./virga up in $ROOT (VIRGA_HOME=$cloud_home)"
  # ./virga up may build first (mvn install) and a busy machine is slow: allow 30 minutes
  if ! VIRGA_HOME="$cloud_home" VIRGA_UP_TIMEOUT="${VIRGA_UP_TIMEOUT:-1800}" "$ROOT/virga" up >"$out/cloud-up.log" 2>&1; then
    echo "ci-repeat: ./virga up failed; see $out/cloud-up.log" >&2
    tail -n 30 "$out/cloud-up.log" >&2
    exit 1
  fi
  grep -E '^Virga is up|API' "$out/cloud-up.log" | sed 's/^/  /'
fi

# Prints "tests failures errors skipped" summed over the XML reports below $1.
count_tests() {
  find "$1" -path '*/target/*-reports/TEST-*.xml' -print0 2>/dev/null | xargs -0 -r cat |
    awk '/<testsuite / {
           for (i = 1; i <= NF; i++) {
             split($i, kv, "=")
             gsub(/"|>/, "", kv[2])
             if (kv[1] == "tests") t += kv[2]; else if (kv[1] == "failures") f += kv[2];
             else if (kv[1] == "errors") e += kv[2]; else if (kv[1] == "skipped") s += kv[2]
           }
         }
         END { printf "%d %d %d %d\n", t, f, e, s }'
}

# Prints one "class.method" per failed or erroring test case in the reports below $1.
failing_tests() {
  find "$1" -path '*/target/*-reports/TEST-*.xml' -print0 2>/dev/null | xargs -0 -r cat |
    awk '/<testcase / {
           n = $0; sub(/.* name="/, "", n); sub(/".*/, "", n)
           c = ""; if ($0 ~ / classname="/) { c = $0; sub(/.* classname="/, "", c); sub(/".*/, "", c) }
         }
         /<(failure|error)[ >\/]/ { print "      " c "." n }' | sort -u
}

passed=0
summary=()
for i in $(seq 1 "$runs"); do
  clone="$out/run-$i"
  log="$out/run-$i.log"
  echo "$(stamp) run $i/$runs: cloning $sha into $clone"
  git clone --quiet --no-hardlinks "$ROOT" "$clone"
  git -C "$clone" checkout --quiet --detach "$sha"
  if [ "$with_cloud" = 1 ] && ! VIRGA_HOME="$cloud_home" "$ROOT/virga" status >/dev/null 2>&1; then
    echo "ci-repeat: warning: the cloud beside the runs is not healthy before run $i (./virga status)" >&2
  fi
  t0=$SECONDS
  set +e
  (cd "$clone" && CI=true bash .ci/run) >"$log" 2>&1
  rc=$?
  set -e
  took=$((SECONDS - t0))
  read -r tests failures errors skipped <<<"$(count_tests "$clone")"
  if [ "$rc" = 0 ]; then result=PASS; passed=$((passed + 1)); else result=FAIL; fi
  echo "$(stamp) run $i/$runs: $result in $(fmt $took) (exit $rc; tests $tests, failures $failures, errors $errors, skipped $skipped); log $log"
  if [ "$rc" != 0 ]; then
    failed="$(failing_tests "$clone")"
    if [ -n "$failed" ]; then
      echo "    failing tests:"; echo "$failed"
    else
      echo "    no failing test in the reports; the build's errors:"
      grep -E '^\[ERROR\]' "$log" | head -n 15 | sed 's/^/      /'
    fi
    mkdir -p "$out/run-$i-reports"
    (cd "$clone" && find . -path '*/target/*-reports' -type d -prune -print0 |
      xargs -0 -r -I{} cp -r --parents {} "$out/run-$i-reports/") || true
  fi
  summary+=("run $i $result $(fmt $took)")
  if [ "$keep" = 0 ]; then rm -rf "$clone"; fi
done

echo "summary: $passed/$runs passed ($(IFS=','; echo "${summary[*]}" | sed 's/,/; /g'))$([ "$with_cloud" = 1 ] && echo "; with a ./virga up cloud running beside them"); commit $sha; logs in $out"
[ "$passed" = "$runs" ]
