// What are the wasm bytes spent on?  `node bench/profile.mjs [pkg-dir | file.wasm ...] [--top N]`
//
// With no path it profiles every .wasm under $GENAUTH_PKG_DIR (default: pkg/
// at the repo root), and every wasm module inlined there as base64 in JS. For each module it prints, from its own parser (no
// dependencies): size raw / gzip -9 / brotli, bytes per section, the largest
// function bodies (named from the wasm "name" section when present, else by
// export name, else func[index]), and the longest strings in data segments.
// When `twiggy` is installed (PATH or ~/.cargo/bin) it also prints
// `twiggy top` and `twiggy dominators`. Release builds run through
// `wasm-opt -Oz` lose the name section: profile a build that keeps names
// (e.g. the wasm before wasm-opt, or wasm-opt with -g) to see function names.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { inlinedModules } from "./inline-wasm.mjs";

const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SECTION_NAMES = [
  "custom", "type", "import", "function", "table", "memory", "global",
  "export", "start", "element", "code", "data", "data count", "tag",
];

const args = process.argv.slice(2);
let top = 20;
const paths = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--top") top = Number.parseInt(args[++i], 10);
  else if (args[i] === "-h" || args[i] === "--help") {
    console.log("usage: node bench/profile.mjs [pkg-dir | file.wasm ...] [--top N]");
    process.exit(0);
  } else paths.push(args[i]);
}
if (!Number.isInteger(top) || top <= 0) {
  console.error("--top needs a positive integer");
  process.exit(2);
}
if (paths.length === 0) paths.push(process.env.GENAUTH_PKG_DIR || join(REPO_DIR, "pkg"));

const inlineSource = new Map();
const inlineByHash = new Map();
process.on("exit", () => {
  for (const tmp of inlineSource.keys()) rmSync(dirname(tmp), { recursive: true, force: true });
});
const wasmFiles = paths.flatMap((p) => {
  if (!existsSync(p)) {
    console.error(`error: ${p} does not exist (build the package with \`cargo xtask pkg\`, or pass a directory or .wasm file)`);
    process.exit(1);
  }
  return statSync(p).isDirectory() ? findWasm(p) : [resolve(p)];
});
// Modules inlined as base64 in the package's JS (as genauth-logout ships
// them) are decoded to a temp file so both the parser and twiggy can read them.
for (const p of paths) {
  if (!statSync(p).isDirectory()) continue;
  for (const js of findFiles(p, /\.m?js$/)) {
    const text = readFileSync(js, "utf8");
    let k = 0;
    for (const m of inlinedModules(text)) {
      const bytes = m.bytes;
      const where = `${js} (inlined, ${m.form})`;
      const hash = createHash("sha256").update(bytes).digest("hex");
      const seen = inlineByHash.get(hash);
      if (seen) {
        inlineSource.set(seen, `${inlineSource.get(seen)}, identical in ${where}`);
        continue;
      }
      const tmp = join(mkdtempSync(join(tmpdir(), "wasm-profile-")), `${basename(js)}.inline${k++}.wasm`);
      writeFileSync(tmp, bytes);
      inlineByHash.set(hash, tmp);
      inlineSource.set(tmp, where);
      wasmFiles.push(tmp);
    }
  }
}

if (wasmFiles.length === 0) {
  console.error(`error: no .wasm file and no base64-inlined wasm module under ${paths.join(", ")}`);
  process.exit(1);
}

const twiggy = findTwiggy();
for (const file of wasmFiles) {
  report(file);
  if (twiggy) {
    for (const cmd of [
      ["top", "-n", String(top), file],
      ["dominators", "-d", "3", "-r", String(top), file],
    ]) {
      console.log(`\n### twiggy ${cmd.slice(0, -1).join(" ")}\n`);
      try {
        console.log(execFileSync(twiggy, cmd, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).trimEnd());
      } catch (e) {
        console.log(`(twiggy failed: ${String(e.stderr || e.message).trim()})`);
      }
    }
  } else {
    console.log("\n(twiggy not found: `cargo install twiggy --version =0.8.0 --locked` adds its views)");
  }
}

// ---------------------------------------------------------------------------

function findWasm(dir) {
  return findFiles(dir, /\.wasm$/);
}

function findFiles(dir, re) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "node_modules") out.push(...findFiles(p, re));
    else if (entry.isFile() && re.test(entry.name)) out.push(p);
  }
  return out.sort();
}

function findTwiggy() {
  for (const candidate of [process.env.TWIGGY, join(homedir(), ".cargo", "bin", "twiggy")]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  try {
    execFileSync("twiggy", ["--version"], { stdio: "ignore" });
    return "twiggy";
  } catch {
    return null;
  }
}

function report(file) {
  const bytes = readFileSync(file);
  const m = parseModule(bytes);
  const gz = zlib.gzipSync(bytes, { level: 9 }).length;
  const br = zlib.brotliCompressSync(bytes, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY },
  }).length;
  const pct = (n) => `${((100 * n) / bytes.length).toFixed(1)}%`;

  console.log(`\n## ${inlineSource.get(file) ?? file}\n`);
  console.log(`${bytes.length} B raw, ${gz} B gzip -9, ${br} B brotli`);
  console.log(
    `${m.importedFuncs} imported functions, ${m.bodies.length} defined functions, ${m.exports.length} exports, ` +
      `${m.dataSegments.length} data segments (${m.dataSegments.reduce((a, s) => a + s.length, 0)} B), ` +
      `name section: ${m.funcNames.size ? "yes" : "no (stripped)"}`,
  );

  console.log("\n### sections\n");
  for (const s of m.sections.slice().sort((a, b) => b.size - a.size)) {
    const label = s.id === 0 ? `custom "${s.name}"` : SECTION_NAMES[s.id] ?? `unknown(${s.id})`;
    console.log(`${String(s.size).padStart(8)} B ${pct(s.size).padStart(6)}  ${label}`);
  }

  console.log(`\n### largest function bodies (top ${top}; Rust names shortened by a heuristic demangler)\n`);
  const exportName = new Map(m.exports.filter((e) => e.kind === 0).map((e) => [e.index, e.name]));
  const rows = m.bodies
    .map((size, i) => {
      const index = m.importedFuncs + i;
      const raw = m.funcNames.get(index);
      const name = raw !== undefined ? demangle(raw) : exportName.has(index) ? `export "${exportName.get(index)}"` : `func[${index}]`;
      return { size, name };
    })
    .sort((a, b) => b.size - a.size);
  for (const r of rows.slice(0, top)) {
    const name = r.name.length > 110 ? r.name.slice(0, 107) + "..." : r.name;
    console.log(`${String(r.size).padStart(8)} B ${pct(r.size).padStart(6)}  ${name}`);
  }
  const rest = rows.slice(top).reduce((a, r) => a + r.size, 0);
  if (rows.length > top) console.log(`${String(rest).padStart(8)} B ${pct(rest).padStart(6)}  ... ${rows.length - top} more`);

  console.log("\n### longest strings in data segments\n");
  const strings = [];
  for (const seg of m.dataSegments) {
    for (const match of seg.toString("latin1").matchAll(/[\x20-\x7e]{6,}/g)) strings.push(match[0]);
  }
  strings.sort((a, b) => b.length - a.length);
  if (strings.length === 0) console.log("(none)");
  for (const s of strings.slice(0, top)) {
    console.log(`${String(s.length).padStart(8)} B  ${JSON.stringify(s.length > 100 ? s.slice(0, 97) + "..." : s)}`);
  }
}

/** Minimal parser: section sizes, imports/exports, code body sizes, data segments, function names. */
function parseModule(buf) {
  if (buf.length < 8 || buf.readUInt32LE(0) !== 0x6d736100) throw new Error("not a wasm module (bad magic)");
  let pos = 8;
  const readU = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= buf.length) throw new Error("truncated LEB128");
      const b = buf[pos++];
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
  };
  const readName = () => {
    const len = readU();
    const s = buf.toString("utf8", pos, pos + len);
    pos += len;
    return s;
  };
  const skipLimits = () => {
    const flags = readU();
    readU();
    if (flags & 1) readU();
  };
  const skipInitExpr = () => {
    // Constant expressions here are short; scan to the `end` opcode (0x0b),
    // reading LEB immediates of the common const/global.get opcodes.
    for (;;) {
      const op = buf[pos++];
      if (op === 0x0b) return;
      if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2) readU();
      else if (op === 0x43) pos += 4;
      else if (op === 0x44) pos += 8;
      else if (op === 0xd0) pos += 1;
    }
  };

  const out = { sections: [], importedFuncs: 0, exports: [], bodies: [], dataSegments: [], funcNames: new Map() };
  while (pos < buf.length) {
    const id = buf[pos++];
    const size = readU();
    const start = pos;
    const end = start + size;
    const section = { id, size: end - start + 1 + lebLength(size), name: null };
    if (id === 0) {
      section.name = readName();
      if (section.name === "name") parseNames(end);
    } else if (id === 2) {
      const n = readU();
      for (let i = 0; i < n; i++) {
        readName();
        readName();
        const kind = buf[pos++];
        if (kind === 0) {
          readU();
          out.importedFuncs++;
        } else if (kind === 1) {
          pos++;
          skipLimits();
        } else if (kind === 2) skipLimits();
        else if (kind === 3) pos += 2;
        else if (kind === 4) {
          pos++;
          readU();
        }
      }
    } else if (id === 7) {
      const n = readU();
      for (let i = 0; i < n; i++) {
        const name = readName();
        const kind = buf[pos++];
        out.exports.push({ name, kind, index: readU() });
      }
    } else if (id === 10) {
      const n = readU();
      for (let i = 0; i < n; i++) {
        const bodyStart = pos;
        const len = readU();
        pos += len;
        out.bodies.push(pos - bodyStart);
      }
    } else if (id === 11) {
      const n = readU();
      for (let i = 0; i < n; i++) {
        const flags = readU();
        if (flags === 2) readU();
        if (flags === 0 || flags === 2) skipInitExpr();
        const len = readU();
        out.dataSegments.push(buf.subarray(pos, pos + len));
        pos += len;
      }
    }
    out.sections.push(section);
    pos = end;
  }
  return out;

  function parseNames(end) {
    while (pos < end) {
      const sub = buf[pos++];
      const len = readU();
      const subEnd = pos + len;
      if (sub === 1) {
        const n = readU();
        for (let i = 0; i < n; i++) {
          const index = readU();
          out.funcNames.set(index, readName());
        }
      }
      pos = subEnd;
    }
  }
}

/**
 * Readable short form of a Rust symbol: the path identifiers joined by "::".
 * A heuristic, not a full demangler (generic arguments and back-references
 * are dropped); twiggy, when installed, prints exact names.
 */
function demangle(name) {
  const idents = [];
  const scan = (text) => {
    let i = 0;
    while (i < text.length) {
      const m = /^\d+/.exec(text.slice(i));
      if (!m) {
        i++;
        continue;
      }
      const n = Number(m[0]);
      i += m[0].length;
      if (text[i] === "_") i++;
      idents.push(text.slice(i, i + n));
      i += n;
    }
  };
  if (name.startsWith("_ZN") && name.endsWith("E")) {
    scan(name.slice(3, -1));
    if (idents.length > 1 && /^h[0-9a-f]{16}$/.test(idents.at(-1))) idents.pop();
    const legacy = { $LT$: "<", $GT$: ">", $RF$: "&", $BP$: "*", $C$: ",", $u20$: " ", $u27$: "'", $u5b$: "[", $u5d$: "]", $u7b$: "{", $u7d$: "}", $u7e$: "~" };
    return idents.map((id) => id.replace(/\$[A-Za-z0-9]+\$/g, (t) => legacy[t] ?? t).replace(/\.\./g, "::")).join("::");
  }
  if (name.startsWith("_R")) {
    // Drop disambiguators (s<base62>_) and back-references (B<base62>_) first:
    // their digits would otherwise read as identifier lengths.
    scan(name.slice(2).replace(/([CMXYNBv])s[0-9A-Za-z]*_/g, "$1").replace(/B[0-9A-Za-z]*_/g, ""));
    return idents.filter((id) => id !== "").join("::") || name;
  }
  return name;
}

function lebLength(n) {
  let len = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}
