#!/usr/bin/env bash
# Size experiments for the browser entry's wasm: each variant built, run
# through wasm-bindgen and wasm-opt -Oz like the package, and measured (raw
# and gzip -9). The package's last step (xtask/src/pkg.rs,
# optimise_size_bound: unused exports dropped, names minified) is left out,
# so every variant is measured the same way. Prints a Markdown table; the
# README's size section quotes it.
# Usage: bash bench/wasm-variants.sh   (after `cargo xtask pkg`, which installs the tools)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm_opt=$root/tools/node_modules/.bin/wasm-opt
features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types
  --enable-sign-ext --enable-mutable-globals --enable-multivalue)

measure() { # name wasm
  local out=$work/bg-$RANDOM
  wasm-bindgen --target web --out-dir "$out" --out-name m "$2" >/dev/null
  local opt_args
  read -ra opt_args <xtask/wasm-opt.args # the package's passes
  "$wasm_opt" "${opt_args[@]}" "${features[@]}" "$out/m_bg.wasm" -o "$out/o.wasm"
  printf '| %s | %s | %s |\n' "$1" "$(wc -c <"$out/o.wasm")" "$(gzip -9c "$out/o.wasm" | wc -c)"
}

build() { # dir immediate-abort(0/1) features...
  local dir=$1 ia=$2; shift 2
  local args=(build -q --lib --release --target wasm32-unknown-unknown --no-default-features
    --features "$*" --target-dir "$work/t-$(echo "$*$ia" | md5sum | cut -c1-12)")
  if [ "$ia" != 0 ]; then
    # $ia: the compiler flags (the shipped ones are xtask/browser.rustflags).
    (cd "$dir" && RUSTC_BOOTSTRAP=1 RUSTFLAGS="$ia --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=" \
      cargo "${args[@]}" -Z build-std=core,alloc)
  else
    (cd "$dir" && cargo "${args[@]}")
  fi
  echo "$work/t-$(echo "$*$ia" | md5sum | cut -c1-12)/wasm32-unknown-unknown/release/genauth_logout.wasm"
}

echo "| browser wasm variant | bytes after wasm-opt -Oz | gzip -9 |"
echo "|---|---:|---:|"
shipped=$(cat xtask/browser.rustflags)
# The shipped flags without `$1`; fails when they do not contain it (a
# variant that silently measured the shipped build again would mislead).
without() {
  local flags=${shipped/ $1/}
  if [ "$flags" = "$shipped" ]; then
    echo "xtask/browser.rustflags has no '$1'; update bench/wasm-variants.sh" >&2
    exit 1
  fi
  echo "$flags"
}
no_mir=$(without "-Zmir-opt-level=3")
with_reftypes=$(without "-Ctarget-feature=-reference-types")
cross_crate=$(without "-Zcross-crate-inline-threshold=always")
llvm_inline=$(without "-Cllvm-args=-inline-threshold=100")
measure "shipped: platform URL parser, xtask/browser.rustflags" "$(build "$root" "$shipped" wasm)"
measure "shipped without -Zmir-opt-level=3" "$(build "$root" "$no_mir" wasm)"
measure "shipped with reference types (wasm-bindgen's externref table)" \
  "$(build "$root" "$with_reftypes" wasm)"
measure "shipped without -Zcross-crate-inline-threshold=always" "$(build "$root" "$cross_crate" wasm)"
measure "shipped with -Zcross-crate-inline-threshold=never instead" \
  "$(build "$root" "$cross_crate -Zcross-crate-inline-threshold=never" wasm)"
measure "shipped without -Cllvm-args=-inline-threshold=100" "$(build "$root" "$llvm_inline" wasm)"
measure "standard build: no build-std, standard panic strategy (panic messages linked)" "$(build "$root" 0 wasm)"
measure "shipped + one format! for the error answer" "$(build "$root" "$shipped" _size-format)"
measure "url crate in the wasm (idna_adapter $(grep -A1 'name = "idna_adapter"' Cargo.lock | sed -n 's/version = "\(.*\)"/\1/p'), Unicode IDNA)" "$(build "$root" 0 _size-url-crate)"
# The same with idna_adapter pinned to 1.0 (ASCII-only IDNA), in a scratch copy.
copy=$work/copy
mkdir -p "$copy"
cp -r Cargo.toml Cargo.lock src pkg-template xtask emulator .cargo "$copy"/
(cd "$copy" && cargo update -q -p idna_adapter --precise 1.0.0)
measure "url crate in the wasm, idna_adapter 1.0.0 (ASCII only)" "$(build "$copy" 0 _size-url-crate)"
