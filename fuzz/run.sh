#!/usr/bin/env bash
# Time-boxed libFuzzer run of every target over the core.
#
#   bash fuzz/run.sh [total-seconds]     (default 30; `cargo xtask test` uses 20)
#
# Installs cargo-fuzz when missing. Builds with `-s none` (no AddressSanitizer:
# the core is safe Rust, and ASan needs a nightly -Z flag while `-s none`
# builds on the stable toolchain) and with debug assertions on, so integer
# overflow panics too. The committed seeds in fuzz/corpus/<target>/ are read,
# never written: new inputs go to a scratch corpus under fuzz/work/. A crash
# leaves its input in fuzz/artifacts/<target>/ and makes this script fail.
set -euo pipefail
total="${1:-30}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz/run.sh: installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

flags=(-s none --debug-assertions)
start=$(date +%s)
cargo fuzz build "${flags[@]}"
echo "fuzz/run.sh: build took $(( $(date +%s) - start ))s"

# logout_url gets half the time, the two smaller targets a quarter each.
half=$(( total / 2 )); quarter=$(( total / 4 ))
(( half < 1 )) && half=1
(( quarter < 1 )) && quarter=1
declare -A budget=([logout_url]=$half [js_options]=$quarter [encode_component]=$quarter)

status=0
for target in logout_url js_options encode_component; do
  work="$here/work/$target"
  mkdir -p "$work"
  log="$(mktemp)"
  if cargo fuzz run "${flags[@]}" "$target" "$work" "$here/corpus/$target" -- \
      -max_total_time="${budget[$target]}" -timeout=10 -rss_limit_mb=2048 \
      -dict="$here/logout.dict" -print_final_stats=1 >"$log" 2>&1; then
    line="$(tr '\r' '\n' <"$log" | grep -E '^#[0-9]+[[:space:]]+DONE' | tail -1 || true)"
    echo "fuzz/run.sh: $target ok (${budget[$target]}s): $line"
  else
    status=1
    echo "fuzz/run.sh: $target FAILED; last lines of its log:"
    tail -40 "$log"
    ls -1 "$here/artifacts/$target" 2>/dev/null | sed 's/^/  crash input: fuzz\/artifacts\/'"$target"'\//' || true
  fi
  rm -f "$log"
done
exit "$status"
