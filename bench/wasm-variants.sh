#!/usr/bin/env bash
# Size experiments for the browser module (pkg-template/browser): each
# variant built and run through the package's own last steps
# (xtask/src/pkg.rs, optimise_size_bound: wasm-metadce keeping the wire's
# exports, then wasm-opt with xtask/browser.wasm-opt.args), and measured (raw and
# gzip -9). Variants that change code are made in a scratch copy of the
# repository, never as features of the product crates. Prints a Markdown
# table; docs quote it.
# Usage: bash bench/wasm-variants.sh   (after `cargo xtask pkg`, which installs the tools)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=$root/tools/node_modules/.bin
# The exports of the wire (pkg-template/browser/src/wire.rs, BROWSER_EXPORTS in xtask/src/pkg.rs).
cat >"$work/graph.json" <<'JSON'
[
  { "name": "the wire", "root": true, "reaches": ["memory", "a", "c", "r"] },
  { "name": "memory", "export": "memory" },
  { "name": "a", "export": "a" },
  { "name": "c", "export": "c" },
  { "name": "r", "export": "r" }
]
JSON

measure() { # name wasm
  local out=$work/m-$RANDOM
  mkdir -p "$out"
  "$bin/wasm-metadce" "$2" --graph-file "$work/graph.json" -o "$out/r.wasm" >/dev/null
  local opt_args
  read -ra opt_args <xtask/browser.wasm-opt.args # the package's passes
  "$bin/wasm-opt" "${opt_args[@]}" "$out/r.wasm" -o "$out/o.wasm"
  printf '| %s | %s | %s |\n' "$1" "$(wc -c <"$out/o.wasm")" "$(gzip -9c "$out/o.wasm" | wc -c)"
}

build() { # dir flags (0: a standard build) [cargo arguments…]
  local dir=$1 flags=$2
  shift 2
  local target=$work/t-$(echo "$dir$flags$*" | md5sum | cut -c1-12)
  local args=(build -q --lib -p genauth-logout-browser --release --target wasm32-unknown-unknown
    --target-dir "$target" "$@")
  if [ "$flags" != 0 ]; then
    (cd "$dir" && RUSTC_BOOTSTRAP=1 RUSTFLAGS="$flags --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=" \
      cargo "${args[@]}" -Z build-std=core,alloc)
  else
    (cd "$dir" && cargo "${args[@]}")
  fi
  echo "$target/wasm32-unknown-unknown/release/genauth_logout_browser.wasm"
}

# A scratch copy of the repository with `$2` replaced by `$3` in file `$1`;
# fails when `$2` is not there (a variant that silently measured the
# shipped code again would mislead).
variant() { # file from to
  local copy=$work/copy-$RANDOM
  mkdir -p "$copy"
  cp -r Cargo.toml Cargo.lock src pkg-template xtask emulator tests "$copy"/
  [ -d .cargo ] && cp -r .cargo "$copy"/
  grep -qF -- "$2" "$copy/$1" || { echo "bench/wasm-variants.sh: $1 has no '$2'" >&2; exit 1; }
  FROM=$2 TO=$3 perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/' "$copy/$1"
  echo "$copy"
}

echo "| browser wasm variant | bytes after wasm-opt -Oz | gzip -9 |"
echo "|---|---:|---:|"
shipped=$(cat xtask/browser.rustflags)
# The shipped flags without `$1`; fails when they do not contain it.
without() {
  local flags=${shipped/ $1/}
  if [ "$flags" = "$shipped" ]; then
    echo "xtask/browser.rustflags has no '$1'; update bench/wasm-variants.sh" >&2
    exit 1
  fi
  echo "$flags"
}
measure "shipped: platform URL parser, xtask/browser.rustflags" "$(build "$root" "$shipped")"
measure "shipped without -Zmir-opt-level=3" "$(build "$root" "$(without "-Zmir-opt-level=3")")"
measure "plain MVP (without +bulk-memory: memcpy in code)" \
  "$(build "$root" "$(without "-Ctarget-feature=+bulk-memory")")"
measure "the default CPU (reference types, multi-value; unused here) instead of MVP" \
  "$(build "$root" "$(without "-Ctarget-cpu=mvp -Ctarget-feature=+bulk-memory")")"
cross_crate=$(without "-Zcross-crate-inline-threshold=always")
measure "shipped without -Zcross-crate-inline-threshold=always" "$(build "$root" "$cross_crate")"
measure "shipped with -Zcross-crate-inline-threshold=never instead" \
  "$(build "$root" "$cross_crate -Zcross-crate-inline-threshold=never")"
measure "shipped without -Cllvm-args=-inline-threshold=100" \
  "$(build "$root" "$(without "-Cllvm-args=-inline-threshold=100")")"
measure "standard build: no build-std, standard panic strategy" "$(build "$root" 0)"
measure "shipped + one format! for the error answer" "$(build "$(variant pkg-template/browser/src/wire.rs \
  'let mut out = String::from("!");
    out.push_str(fail.code().as_str());
    out.push_str("\n");
    out.push_str(fail.name);
    out.push_str(fail.msg.text());
    out' \
  'alloc::format!("!{}\n{}{}", fail.code().as_str(), fail.name, fail.msg.text())')" "$shipped")"
# The url crate compiled into the module instead of asking the platform
# (with the standard library, which it needs, and so std's panic handler).
edit() { # file from to: replace in place, failing when `from` is not there
  grep -qF -- "$2" "$1" || { echo "bench/wasm-variants.sh: $1 has no '$2'" >&2; exit 1; }
  FROM=$2 TO=$3 perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/' "$1"
}
url_copy=$(variant pkg-template/browser/src/answer.rs '&crate::platform::PlatformUrl' '&genauth_logout::WhatwgUrl')
edit "$url_copy/pkg-template/browser/Cargo.toml" \
  'genauth-logout = { path = "../..", default-features = false }' \
  'genauth-logout = { path = "../..", default-features = false, features = ["url"] }'
edit "$url_copy/pkg-template/browser/src/lib.rs" \
  '#[cfg(all(target_arch = "wasm32", not(feature = "bindgen-tests"), not(test)))]
#[panic_handler]' '#[cfg(any())]
#[panic_handler]'
edit "$url_copy/pkg-template/browser/src/lib.rs" \
  '#[cfg(not(all(target_arch = "wasm32", not(feature = "bindgen-tests"))))]
extern crate std;' 'extern crate std;'
measure "url crate in the wasm (idna_adapter $(grep -A1 'name = "idna_adapter"' Cargo.lock | sed -n 's/version = "\(.*\)"/\1/p'), Unicode IDNA)" \
  "$(build "$url_copy" 0)"
# The same with idna_adapter pinned to 1.0 (ASCII-only IDNA).
(cd "$url_copy" && cargo update -q -p idna_adapter --precise 1.0.0)
measure "url crate in the wasm, idna_adapter 1.0.0 (ASCII only)" "$(build "$url_copy" 0)"
