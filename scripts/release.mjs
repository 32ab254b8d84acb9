// The release build (`make build`): dist/ with the app split into one wasm module per area.
//
// Trunk builds one wasm; a follower opening the cart from a chat link would download the
// handbook and the moments too. Splitting has to happen between the Rust build and
// wasm-bindgen, which Trunk cannot do, so the release pipeline is here (Trunk still runs
// `make dev`, unsplit):
//   1. cargo builds the app with `--cfg wxf_split` (each `lazy_area!` in src/lib.rs becomes a
//      split point) and `--emit-relocs` (the splitter needs the relocations);
//   2. wasm-split-cli cuts it into the main module, one module per area and the chunks of code
//      that several areas share;
//   3. wasm-bindgen writes the JS glue for the main module (keeping the function table the
//      areas install themselves into), wasm-opt shrinks every module;
//   4. each area's modules are also written as one pack (one request on a first visit instead of
//      one per shared chunk, and a third smaller compressed together), and the loader is written
//      here in place of wasm-split-cli's: the pack on an area's first visit, the likely next areas
//      fetched ahead once the page has shown;
//   5. every file gets the build's hash in its name (cached for a year), index.html gets the
//      stylesheet, the start-up script, preloads for the main module and the opened address's
//      pack, the page's first API reads begun early, a Content-Security-Policy, and brotli/gzip
//      copies are written.
//
// `node scripts/release.mjs [--dist DIR] [--names]` (`--names` keeps function names: a build to
// profile, whose CPU profiles name the Rust functions).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { minify } from 'terser';
import { optFlags, optimised, pruneCache } from './wasm-opt.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const dist = path.resolve(root, args.includes('--dist') ? args[args.indexOf('--dist') + 1] : 'dist');
const keepNames = args.includes('--names');
const target = path.join(root, 'target/split');
const work = path.join(target, 'release-work');
const log = (...m) => console.log('[release]', ...m);

// 1. The Rust build. RUSTFLAGS replaces .cargo/config.toml's flags, so it repeats them.
// The standard library is compiled with the app (`-Zbuild-std`, from the toolchain's rust-src)
// so that a panic is only a trap (`-Cpanic=immediate-abort`): no message formatting, no
// locations, no unwinding machinery — 13 kB less brotli in the main module every visit fetches.
// Those flags are unstable; RUSTC_BOOTSTRAP lets this one stable 1.95 build use them, and nothing
// else (`make dev`, the tests) does. A panic then logs nothing; index.html's crash handler still
// shows the reload screen, as it does for a panic in any build.
log('cargo build (split points on, std with panics as traps)');
execFileSync('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '--bin', 'wxfollower', '-Zbuild-std=std,panic_abort'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    CARGO_TARGET_DIR: target,
    RUSTC_BOOTSTRAP: '1',
    RUSTFLAGS: '--cfg erase_components --cfg wxf_split -C link-arg=--emit-relocs -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none',
  },
});

// 2. Split.
rmSync(work, { recursive: true, force: true });
mkdirSync(path.join(work, 'opt'), { recursive: true });
execFileSync('wasm-split-cli', [path.join(target, 'wasm32-unknown-unknown/release/wxfollower.wasm'), work, '--out-name', 'wxfollower'], { stdio: 'inherit' });

// 3. Glue and optimisation (scripts/wasm-opt.mjs: the flags, and the outputs kept).
execFileSync('wasm-bindgen', ['--target', 'web', '--no-typescript', '--keep-lld-exports', '--out-dir', path.join(work, 'bindgen'), '--out-name', 'wxfollower', path.join(work, 'wxfollower.wasm')], { stdio: 'inherit' });
const sourceHtml = readFileSync(path.join(root, 'index.html'), 'utf8');
const modules = [
  { name: 'wxfollower_bg.wasm', from: path.join(work, 'bindgen/wxfollower_bg.wasm') },
  ...readdirSync(work).filter((f) => f.endsWith('.wasm') && f !== 'wxfollower.wasm').map((f) => ({ name: f, from: path.join(work, f) })),
];
log(`wasm-opt on ${modules.length} modules`);
const hash = (...parts) => { const h = createHash('sha256'); parts.forEach((p) => h.update(p)); return h.digest('hex').slice(0, 16); };
// A module must keep its imports and exports: the areas install themselves into the main
// module's function table by index.
const optFlagList = optFlags(keepNames);
const queue = [...modules];
await Promise.all(Array.from({ length: Math.max(1, cpus().length) }, async () => {
  for (let m; (m = queue.shift());) copyFileSync(await optimised(m.from, optFlagList), path.join(work, 'opt', m.name));
}));
pruneCache();

// 4. Names, packs and the loader. Every file of one build shares one hash (the chunks are
// numbered anew by each split, so no file would keep its name across builds anyway).
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const generated = readFileSync(path.join(work, '__wasm_split.js'), 'utf8');
let glue = readFileSync(path.join(work, 'bindgen/wxfollower.js'), 'utf8');
// Exported classes keep their code in the main module; wasm-streams' are kept out by
// patches/wasm-streams (Cargo.toml's [patch]), and must not come back unnoticed.
if (/intounderlying/i.test(glue)) throw new Error('the glue exports wasm-streams\' IntoUnderlying* classes again: is patches/wasm-streams still in use?');
let mainWasm = readFileSync(path.join(work, 'opt/wxfollower_bg.wasm'));
({ wasm: mainWasm, glue } = shortImportNames(mainWasm, glue));
mainWasm = dropEmptyTableSlots(mainWasm);
const splitBytes = new Map(modules.slice(1).map((m) => [m.name, readFileSync(path.join(work, 'opt', m.name))]));
const cssSource = readFileSync(path.join(root, 'public/app.css'), 'utf8');
// The English catalog's texts, one per line (src/i18n.rs, `english!`): a file of their own,
// fetched only when English is wanted; the `lang_english` module reads them back in this order.
const englishTexts = execFileSync('cargo', ['run', '--quiet', '--bin', 'english_texts'], { cwd: root, maxBuffer: 1 << 24 }).toString();
if (englishTexts.split('\n').length < 100) throw new Error('english_texts printed too few texts');
const H = hash(readFileSync(new URL(import.meta.url)), glue, generated, mainWasm, cssSource, englishTexts, ...splitBytes.values());
const names = { glue: `wxfollower-${H}.js`, loader: `split-${H}.js`, wasm: `wxfollower-${H}_bg.wasm`, english: `english-${H}.txt` };
const out = new Map(); // final name -> bytes

// What wasm-split's loader says: each chunk's file, each area's export, own module and chunks,
// and what the modules import from the main one. Its fetching is replaced (below), so a change
// in its shape must stop the build rather than ship a loader that misses a module.
const baseName = (built) => built.replace(/\.wasm$/, '').replace(/_\d{10,}$/, '');
const chunkDefs = [...generated.matchAll(/const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)"[\s\S]*?\n, \[([^\]]*)\]\);/g)];
const areaDefs = [...generated.matchAll(/export const (__wasm_split_load_(\w+?)(?:_\d{6,})?) = wrapAsyncCb\(makeLoad\(([\s\S]*?)\n, \[([^\]]*)\]\)\);/g)];
const sharedNames = generated.match(/const \{([^}]*)\} = initSync\(undefined, undefined\);/)?.[1].split(',').map((n) => n.trim()).filter(Boolean);
if (chunkDefs.length + areaDefs.length !== (generated.match(/makeLoad\(/g) || []).length - 1 || !areaDefs.length || !sharedNames?.length) {
  throw new Error('wasm-split-cli wrote a loader of another shape: scripts/release.mjs reads it');
}
if (chunkDefs.some((c) => c[3].trim())) throw new Error('a shared chunk depends on other chunks: the loader below does not order those');
const mods = []; // module index -> base name (`chunk_7`, `split_cart_area`)
const chunkIndex = new Map(chunkDefs.map((c) => [c[1], mods.push(baseName(c[2])) - 1]));
const lib = readFileSync(path.join(root, 'src/lib.rs'), 'utf8');
// Which area each page is in (`lazy_areas!`: `area { Page => view, … }`) and which address shows
// which page (`ROUTES`).
const pageArea = new Map();
const areasBlock = lib.match(/\nlazy_areas! \{\n([\s\S]*?)\n\}\n/)?.[1] ?? '';
let currentArea = null;
for (const m of areasBlock.matchAll(/(\w+_area) \{|(\w+) => view!/g)) {
  if (m[1]) currentArea = m[1];
  else pageArea.set(m[2], currentArea);
}
const routesTable = lib.match(/pub const ROUTES: &\[\(&str, Page\)\] = &\[([\s\S]*?)\];/)?.[1] ?? '';
const routes = [...routesTable.matchAll(/\("([^"]+)", Page::(\w+)\)/g)].map((m) => ({ path: m[1], area: pageArea.get(m[2]) }));
const areaList = areaDefs.map((m) => {
  const own = m[3].match(/new URL\("\.\/([^"]+)"/)?.[1];
  const chunks = m[4].split(',').map((d) => d.trim()).filter(Boolean).map((d) => {
    if (!chunkIndex.has(d)) throw new Error(`the loader names an unknown chunk ${d}`);
    return chunkIndex.get(d);
  });
  return { exportName: m[1], area: m[2], own: own ? mods.push(baseName(own)) - 1 : -1, chunks };
});
// The order areas are fetched ahead in: the tab bar's first (src/shell/mod.rs), then the rest
// in the order of the routes; the designers' previews are not fetched ahead for followers.
const tabs = [...readFileSync(path.join(root, 'src/shell/mod.rs'), 'utf8').matchAll(/\btab\("(\/[^"]*)"/g)].map((m) => m[1]);
const rank = (a) => {
  const paths = routes.filter((r) => r.area === a.area).map((r) => r.path);
  // Code the app calls for itself, with no page of its own (`cart_sync`): fetched ahead last.
  // WeChat's (`wechat_*`) never: the SDK's is loaded at start inside WeChat and not used outside;
  // the pictures' and voice's (`wechat_media`) comes with the tap on "add photos" or "record".
  // Nor the English catalog (`lang_english`): loaded at start when English is wanted.
  if (paths.length === 0) return /^(wechat|lang)_/.test(a.area) ? -1 : routes.length + 1;
  if (paths.every((p) => p.split('/').includes('preview'))) return -1;
  return paths.some((p) => tabs.includes(p)) ? 0 : 1 + routes.findIndex((r) => r.area === a.area);
};
const ahead = areaList.map((a, n) => [rank(a), n]).filter(([r]) => r >= 0).sort((x, y) => x[0] - y[0] || x[1] - y[1]).map(([, n]) => n);
// A part of a page with no address of its own (`deferred_part!`, and `cart_sync`) is named after
// its page's area (`moments_thread` for `moments_area`): once that area has been opened, its
// parts are fetched ahead first.
const partOf = areaList.map((a) => (routes.some((r) => r.area === a.area) ? -1 : areaList.findIndex((b) => b.area === a.area.replace(/_[^_]+$/, '_area'))));
for (const [built, bytes] of splitBytes) out.set(`${baseName(built)}-${H}.wasm`, bytes);
const moduleBytes = (i) => splitBytes.get([...splitBytes.keys()].find((b) => baseName(b) === mods[i]));

// An area's pack: its modules in one file, so a first visit is one request for the area instead
// of one per shared chunk, and compressed together (a third smaller than apart).
// Layout: the modules' sections grouped by kind, each kind in the loader's order for the area
// (its own module, then its chunks): every module's types, then every module's imports, … then
// every module's code, then data. Like with like compresses better: 0.8–1.1 kB less per first
// visit than the modules one after the other. It starts with two bytes per module: bit k says
// whether it has a section of kind `SECTION_ORDER[k]`, the top four how many custom sections it
// has (a `--names` build's; they go last, which is valid anywhere). The 8-byte header every
// module has is not written. `packModules` writes it, `unpackModules` (also the loader's) reads
// it back; the build checks that every module reads back byte for byte.
const SECTION_ORDER = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 10, 11];
const WASM_HEADER = Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]);
function packModules(modules) {
  const leb = (buf, pos) => { let r = 0, s = 0, b; do { b = buf[pos++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return [r, pos]; };
  const presence = Buffer.alloc(2 * modules.length);
  // Per kind (custom last), the modules' sections of that kind.
  const kinds = [...SECTION_ORDER, 0].map(() => []);
  modules.forEach((m, i) => {
    if (!m.subarray(0, 8).equals(WASM_HEADER)) throw new Error('packModules: a module without the wasm 1 header');
    let bits = 0, customs = 0, last = -1;
    for (let pos = 8; pos < m.length; ) {
      const start = pos, id = m[pos++];
      let size; [size, pos] = leb(m, pos);
      const bytes = m.subarray(start, pos + size);
      pos += size;
      if (id === 0) { customs++; kinds[SECTION_ORDER.length].push(bytes); continue; }
      const k = SECTION_ORDER.indexOf(id);
      if (k <= last || customs) throw new Error(`packModules: a section of kind ${id} unknown, repeated, out of order or after a custom one`);
      last = k;
      bits |= 1 << k;
      kinds[k].push(bytes);
    }
    if (customs > 15) throw new Error('packModules: more than 15 custom sections');
    presence.writeUInt16LE(bits | (customs << 12), 2 * i);
  });
  return Buffer.concat([presence, ...kinds.flat()]);
}
// A pack's `count` modules, each as a wasm module's bytes.
const unpackModules = (b, count) => {
  const parts = Array.from({ length: count }, () => [Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0)]);
  const bits = (m) => b[2 * m] | (b[2 * m + 1] << 8);
  let at = 2 * count;
  for (let k = 0; k < 13; k++) {
    for (let m = 0; m < count; m++) {
      for (let n = k < 12 ? (bits(m) >> k) & 1 : bits(m) >> 12; n > 0; n--) {
        let end = at + 1, size = 0, shift = 0, byte;
        do { byte = b[end++]; size += (byte & 127) * 2 ** shift; shift += 7; } while (byte & 128);
        parts[m].push(b.subarray(at, end + size));
        at = end + size;
      }
    }
  }
  return parts.map((list) => {
    const out = new Uint8Array(list.reduce((n, p) => n + p.length, 0));
    list.reduce((n, p) => (out.set(p, n), n + p.length), 0);
    return out;
  });
};
// A part's page has already brought many of the part's modules, so a part also has a pack of
// the rest (`.rest.bin`), fetched instead of the whole pack once its page area is opened: the
// week's forms would otherwise download again what the week's page had. The loader lists the
// same modules (`packLists`, written into it below).
// `areas` as the loader has them: [area, own module (-1: none), shared chunks]. `members(n,
// rest)`: area n's pack, or its rest; `together(n, p)`: page area n with its part p's rest, the
// page-with-part pack (`PARTS_AT_ONCE`, below).
const packLists = (areas, partOf) => {
  const members = (n, rest) => {
    const all = [areas[n][1], ...areas[n][2]].filter((i) => i >= 0);
    if (!rest) return all;
    const had = new Set([areas[partOf[n]][1], ...areas[partOf[n]][2]]);
    return all.filter((i) => !had.has(i));
  };
  return { members, together: (n, p) => [...members(n, false), ...members(p, true)] };
};
const areaTuples = areaList.map((a) => [a.area, a.own, a.chunks]);
const { members: packMembers, together: togetherMembers } = packLists(areaTuples, partOf);
// The pack of these modules, checked to read back as the loader will read it.
const packedChecked = (members, name) => {
  const pack = packModules(members.map(moduleBytes));
  const back = unpackModules(pack, members.length);
  members.forEach((i, m) => { if (!Buffer.from(back[m]).equals(moduleBytes(i))) throw new Error(`${name}: ${mods[i]} does not read back from its pack`); });
  return pack;
};
areaList.forEach((a, n) => {
  for (const rest of partOf[n] >= 0 ? [false, true] : [false]) {
    const members = packMembers(n, rest);
    const pack = packedChecked(members, `pack_${a.area}`);
    out.set(`pack_${a.area}-${H}.${rest ? 'rest.bin' : 'bin'}`, pack);
  }
});

// A page's part wanted at once by a role (`PARTS_AT_ONCE` in src/lib.rs: a teacher's week and its
// forms): the page's pack and the part's rest in one file, `pack_<area>.<part>`, preloaded
// instead of the page's pack when the stored session is in that role (compressed together:
// 5 kB smaller than the two apart). The loader unpacks the same modules.
const atOnceTable = lib.match(/pub const PARTS_AT_ONCE: &\[\(&str, &str, &str\)\] = &\[([\s\S]*?)\];/)?.[1] ?? '';
const partsAtOnce = [...atOnceTable.matchAll(/\("([^"]+)", "([^"]+)", "([^"]+)"\)/g)].map((m) => ({ path: m[1], role: m[2], part: m[3] }));
if (!atOnceTable.trim() || partsAtOnce.length === 0) throw new Error('no PARTS_AT_ONCE found in src/lib.rs');
for (const w of partsAtOnce) {
  const route = routes.find((r) => r.path === w.path);
  const p = areaList.findIndex((a) => a.area === w.part);
  if (!route || p < 0 || areaList[partOf[p]]?.area !== route.area) throw new Error(`PARTS_AT_ONCE: ${w.part} is not a part of ${w.path}'s area`);
  w.area = route.area;
  const pack = packedChecked(togetherMembers(partOf[p], p), `pack_${w.area}.${w.part}`);
  out.set(`pack_${w.area}.${w.part}-${H}.bin`, pack);
}

// The stylesheet: rules every page uses, sent with index.html, and each page area's own
// (public/app.css marks them `/* @areas … */`), fetched with that area and applied before its
// page is built. Without comments and spare whitespace: only whitespace around `{ } ; , >` and
// after `:` goes (a selector never has any there: `a: hover` is no selector), and runs of it
// become one space, so selectors (`.a :hover` against `.a:hover`) and strings (`content: "✓ "`)
// keep their meaning.
const minifiedCss = (text) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, ' ').replace(/\s*([{};,>])\s*/g, '$1').replace(/:\s+/g, ':').replace(/;}/g, '}').trim();
if ([...cssSource.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/"[^"\n]*"|'[^'\n]*'/g)].some((m) => /\s\s|[{};,>]|:\s/.test(m[0]))) throw new Error('public/app.css: a string the minifier would change');
const cssBlocks = cssSource.split(/^\/\* @areas([^*]*)\*\/$/m);
let baseCss = cssBlocks[0];
const areaCss = new Map();
for (let i = 1; i < cssBlocks.length; i += 2) {
  const named = cssBlocks[i].trim().split(/\s+/).filter(Boolean);
  if (!named.length) baseCss += cssBlocks[i + 1];
  for (const n of named) {
    if (!areaList.some((a) => a.area === n) || !routes.some((r) => r.area === n)) throw new Error(`public/app.css: @areas ${n} is not a page area in src/lib.rs`);
    areaCss.set(n, (areaCss.get(n) || '') + cssBlocks[i + 1]);
  }
}
const css = Buffer.from(minifiedCss(baseCss));
const cssName = `app-${hash(css)}.css`;
out.set(cssName, css);
// Area index -> whether it has rules of its own, in `app_<area>-<hash>.css`.
const areaStyles = areaList.map((a) => {
  if (!areaCss.has(a.area)) return 0;
  out.set(`app_${a.area}-${H}.css`, Buffer.from(minifiedCss(areaCss.get(a.area))));
  return 1;
});

// The loader's two tables, written small: every page downloads them. Module names as runs
// (`chunk_25` … `chunk_398` is one `r(25, 374)`), and each area's chunks as a bitmap over the
// module indices (base64): 1.7 kB brotli as JSON lists, 0.9 kB so. Both are decoded by the same
// code at build time and checked against the tables they stand for. An area's own module is
// named after it (`split_cart_area`) and is in the areas' table: its name is filled in from there
// (`ownNames`), not written twice. The bitmaps end at the last chunk (own modules are in none).
const ownModule = new Map(areaList.filter((a) => a.own >= 0).map((a) => [a.own, a.area]));
if ([...ownModule].some(([i, area]) => mods[i] !== `split_${area}`)) throw new Error('an area\'s own module is not named split_<area>');
const modsParts = [];
for (let i = 0; i < mods.length; ) {
  // A hole the areas fill (none is written after the last module that is not one).
  if (ownModule.has(i)) { if (mods.slice(i).some((_, j) => !ownModule.has(i + j))) modsParts.push('0'); i++; continue; }
  const k = Number(mods[i].match(/^chunk_(\d+)$/)?.[1] ?? NaN);
  let n = 0;
  while (!Number.isNaN(k) && mods[i + n] === `chunk_${k + n}`) n++;
  if (n > 1) { modsParts.push(`...r(${k}, ${n})`); i += n; } else { modsParts.push(JSON.stringify(mods[i])); i++; }
}
const modsSource = `[${modsParts.join(',')}]`;
const chunkBitmap = (chunks) => {
  const bits = Buffer.alloc(Math.ceil((1 + Math.max(...areaList.flatMap((a) => a.chunks))) / 8));
  for (const c of chunks) bits[c >> 3] |= 1 << (c & 7);
  return bits.toString('base64');
};
const areasSource = JSON.stringify(areaList.map((a) => [a.area, a.own, chunkBitmap(a.chunks)]));
const tableDecoders = `const r = (k, n) => Array.from({ length: n }, (_, i) => 'chunk_' + (k + i));
const chunksOf = (b64) => { const b = atob(b64), c = []; for (let i = 0; i < b.length * 8; i++) if ((b.charCodeAt(i >> 3) >> (i & 7)) & 1) c.push(i); return c; };
const ownNames = (mods, areas) => { for (const [a, o] of areas) if (o >= 0) mods[o] = 'split_' + a; return mods; };`;
{
  const decoded = new Function('atob', `${tableDecoders} const areas = ${areasSource}.map(([a, o, b]) => [a, o, chunksOf(b)]); return [ownNames(${modsSource}, areas), areas];`)((t) => Buffer.from(t, 'base64').toString('latin1'));
  if (JSON.stringify(decoded[0]) !== JSON.stringify(mods)) throw new Error('the loader\'s module names do not decode to the modules');
  if (JSON.stringify(decoded[1]) !== JSON.stringify(areaList.map((a) => [a.area, a.own, [...a.chunks].sort((x, y) => x - y)]))) throw new Error('the loader\'s area bitmaps do not decode to the areas\' chunks');
}

const loader = `import { initSync } from "./${names.glue}";
// Written by scripts/release.mjs in place of wasm-split-cli's loader: the same modules, imports
// and exports, fetched differently. An area opened for the first time comes as one download, its
// pack; once the page has shown, the areas a follower may open next are fetched in the
// background, one download at a time so the app's own requests never queue behind them.
${tableDecoders}
// [area, own module (-1: none), shared chunks]; the areas fetched ahead, in order.
const areas = ${areasSource}.map(([a, o, b]) => [a, o, chunksOf(b)]), ahead = ${JSON.stringify(ahead)};
const mods = ownNames(${modsSource}, areas);
// Each area's page area when it is a part of one (-1 otherwise), and the areas opened so far:
// the parts of an opened area are fetched ahead before anything else.
const partOf = ${JSON.stringify(partOf)}, opened = new Set();
const url = (name, ext) => new URL(\`./\${name}-${H}.\${ext}\`, import.meta.url);
// Whether each area has a stylesheet of its own (1) or not (0), applied before its page is built. Its
// link goes after the stylesheet every page uses, so that an area's rules win a tie (index.html's
// first script, which runs before that stylesheet's link, only preloads the opened address's).
const styles = ${JSON.stringify(areaStyles)}, styled = new Map();
function style(n) {
  if (!styles[n]) return Promise.resolve();
  if (!styled.has(n)) {
    const link = document.createElement('link');
    Object.assign(link, { rel: 'stylesheet', href: url('app_' + areas[n][0], 'css').href });
    const loaded = new Promise((done, failed) => {
      link.addEventListener('load', done);
      link.addEventListener('error', () => { link.remove(); failed(new Error(link.href + ': not loaded')); });
    });
    document.head.append(link);
    styled.set(n, loaded);
    loaded.catch(() => styled.delete(n));
  }
  return styled.get(n);
}
let shared;
const imports = () => shared || (shared = { __wasm_split: (({ ${sharedNames.join(', ')} }) => ({ ${sharedNames.join(', ')} }))(initSync(undefined, undefined)) });
const ok = (r) => { if (!r.ok) throw new Error(\`\${r.url}: \${r.status}\`); return r; };
// module -> its download (a response, or the module compiled from a pack's or a fetched-ahead
// file's bytes, compiled as soon as they are here) until instantiated; module -> its instantiation.
const sources = new Map(), instances = new Map();
function keep(i, download) {
  sources.set(i, download);
  download.catch(() => { if (sources.get(i) === download) sources.delete(i); });
}
const source = (i) => { if (!sources.has(i)) keep(i, fetch(url(mods[i], 'wasm')).then(ok)); return sources.get(i); };
const absent = (members) => members.filter((i) => i >= 0 && !sources.has(i) && !instances.has(i));
// A pack's modules (its sections grouped by kind: see the release build's packModules).
const unpackModules = ${unpackModules.toString()};
function unpack(buffer, members) {
  const back = unpackModules(new Uint8Array(buffer), members.length);
  return new Map(members.map((i, m) => [mods[i], back[m]]));
}
// The modules of area n's pack: all of them, or for a part of an opened page area, the ones
// that page did not bring (its \`.rest.bin\`).
const rest = (n) => partOf[n] >= 0 && opened.has(partOf[n]);
const { members: packMembers, together: togetherMembers } = (${packLists.toString()})(areas, partOf);
// Fetches area n's pack (its modules not yet here, others come one by one when instantiated).
// A page whose part the start-up script preloaded with it (\`__wxfWith\`, from PARTS_AT_ONCE and
// the stored session's role): the page's modules and the part's rest, from that one file.
function openPack(n) {
  const p = areas.findIndex((a) => a[0] === self.__wxfWith), together = p >= 0 && partOf[p] === n;
  if (together) self.__wxfWith = null;
  const members = together ? togetherMembers(n, p) : packMembers(n, rest(n));
  const wanted = absent(members);
  if (!wanted.length) return Promise.resolve();
  const file = together ? url('pack_' + areas[n][0] + '.' + areas[p][0], 'bin') : url('pack_' + areas[n][0], rest(n) ? 'rest.bin' : 'bin');
  const parts = fetch(file).then(ok).then((r) => r.arrayBuffer()).then((b) => unpack(b, members));
  // Compiled while the main module is still coming: instantiating is then quick.
  for (const i of wanted) keep(i, parts.then((p) => (p.has(mods[i]) ? WebAssembly.compile(p.get(mods[i])) : Promise.reject(new Error(mods[i] + ' is not in its pack')))));
  return parts;
}
function instantiate(i, after = []) {
  if (!instances.has(i)) {
    const download = source(i);
    const made = Promise.all(after).then(() => download)
      .then((s) => (s instanceof Response ? WebAssembly.instantiateStreaming(s, imports()) : WebAssembly.instantiate(s, imports())));
    instances.set(i, made);
    made.then(() => sources.delete(i), () => { if (instances.get(i) === made) instances.delete(i); });
  }
  return instances.get(i);
}
const area = (n) => async (callbackIndex, callbackData) => {
  const [name, own, chunks] = areas[n];
  opened.add(n);
  let success = false;
  try {
    // Mostly missing (a page's first visit): the pack. A part needed before it was fetched ahead,
    // whose page brought most of its modules: just the ones missing, not the pack again.
    const packed = packMembers(n, rest(n));
    if (absent(packed).length * 2 > packed.length) openPack(n);
    const ready = chunks.map((c) => instantiate(c));
    await Promise.all([style(n), own < 0 ? Promise.all(ready) : instantiate(own, ready)]);
    success = true;
  } catch (e) {
    console.error(e);
  }
  imports().__wasm_split.__indirect_function_table.get(callbackIndex)(callbackData, success);
};
export const [${areaList.map((a) => a.exportName).join(', ')}] = areas.map((_, n) => area(n));
async function fetchAhead() {
  const first = ahead.filter((n) => opened.has(partOf[n]));
  for (const n of [...first, ...ahead.filter((n) => !first.includes(n))]) {
    const [name] = areas[n];
    const members = packMembers(n, rest(n));
    const wanted = absent(members);
    // Its stylesheet into the HTTP cache (the files are immutable).
    if (styles[n] && !styled.has(n)) await fetch(url('app_' + name, 'css')).catch(() => {});
    // Mostly missing, or a part of the page on screen (soon wanted: one request, not dozens):
    // the pack. A few modules short: just those.
    if (first.includes(n) || wanted.length * 2 > members.length) {
      await openPack(n).catch(() => {});
    } else {
      for (const i of wanted) {
        const compiled = fetch(url(mods[i], 'wasm')).then(ok).then((r) => r.arrayBuffer()).then((b) => WebAssembly.compile(b));
        keep(i, compiled);
        await compiled.catch(() => {});
      }
    }
  }
}
const later = () => setTimeout(() => (self.requestIdleCallback || setTimeout)(fetchAhead), 3000);
document.readyState === 'complete' ? later() : addEventListener('load', later);
`;
// Only the module specifiers: the import object keeps the name the wasm imports from.
glue = glue.replaceAll('from "./__wasm_split.js"', `from "./${names.loader}"`).replaceAll("'wxfollower_bg.wasm'", `'${names.wasm}'`);
// Minified (terser: whitespace, comments, local names; exported and imported names stay, the
// modules link by them): the glue and loader are fetched on every first visit.
const minified = async (code) => Buffer.from((await minify(code, { module: true, compress: true, mangle: true })).code);
out.set(names.glue, await minified(glue));
out.set(names.loader, await minified(loader));
out.set(names.wasm, mainWasm);
out.set(names.english, Buffer.from(englishTexts));
if (!areaList.some((a) => a.area === 'lang_english')) throw new Error('no lang_english area: is the English catalog still its own module (src/i18n.rs)?');

// Which address opens which area, from the routes in src/lib.rs: the address's pack is
// preloaded beside the main module instead of after it has started.
const packOf = new Map(areaList.map((a) => [a.area, `pack_${a.area}-${H}.bin`]));
const preloads = routes
  .filter((r) => r.area && packOf.has(r.area))
  // Static segments first, as ROUTES lists them (the router takes the first match in order).
  .sort((a, b) => b.path.split('/').filter((s) => s && !s.startsWith(':')).length - a.path.split('/').filter((s) => s && !s.startsWith(':')).length);
if (pageArea.size === 0 || preloads.length === 0 || routes.some((r) => !r.area)) throw new Error('src/lib.rs: a route without an area, or no lazy areas: the preload table would be wrong');
const pattern = (p) => `^${p.replace(/:[a-z_]+/g, '[^/]+')}/?$`;
// The opened page's first reads (`EARLY_READS` in src/lib.rs), begun with the stored session's
// token while the code downloads; the app's API client takes their answers (src/api/early.rs).
// Not after an OAuth return (the session is about to change) nor for a preview scenario (the
// app would send it a header these lack).
const earlyTable = lib.match(/pub const EARLY_READS: &\[\(&str, &str\)\] = &\[([\s\S]*?)\];/)?.[1] ?? '';
const earlyReads = [...earlyTable.matchAll(/\("([^"]+)", "([^"]+)"\)/g)].map((m) => [m[1], m[2]]);
if (earlyReads.length === 0) throw new Error('no EARLY_READS found in src/lib.rs: the start-up script would read nothing early');
for (const [address, read] of earlyReads) {
  if (address !== '*' && !routes.some((r) => r.path === address)) throw new Error(`EARLY_READS names ${address}, which is not a route`);
  if (!read.startsWith('/')) throw new Error(`EARLY_READS: ${read} is not a path under the API's base`);
}
// English (`Lang::ready` in src/i18n.rs): `__wxfEnglish()` fetches the texts once (again after a
// failure); begun here, with the English module's pack, when the remembered language or else the
// browser's is English (as `Lang::wanted` decides) or a preview address asks for it.
const englishScript = `var E,u='/${names.english}';window.__wxfEnglish=function(){return E||(E=fetch(u).then(function(x){if(!x.ok)throw 0;return x.text()}).catch(function(){E=null;return null}))};
try{if(/^en/i.test(localStorage.getItem('wxf.lang')||navigator.language||'')||/[?&]lang=en(&|$)/.test(q)){__wxfEnglish();var k=document.createElement('link');k.rel='preload';k.as='fetch';k.crossOrigin='anonymous';k.href='/${packOf.get('lang_english')}';document.head.appendChild(k)}}catch(x){}`;
const styleOf = (area) => areaStyles[areaList.findIndex((a) => a.area === area)] || 0;
// A route's entry: [pattern, its pack, whether it has a stylesheet, and (PARTS_AT_ONCE) the role
// whose visit wants a part at once, the part, and the pack with both]. The role is the stored
// session's (a stale one costs a few kB, never a page).
const atOnceOf = (r) => partsAtOnce.filter((w) => w.path === r.path).flatMap((w) => [w.role, w.part, `/pack_${w.area}.${w.part}-${H}.bin`]);
const preloadScript = `(function(){var r=${JSON.stringify(preloads.map((r) => [pattern(r.path), `/${packOf.get(r.area)}`, styleOf(r.area), ...atOnceOf(r)]))},e=${JSON.stringify(earlyReads)},p=location.pathname,q=location.search,o;
${englishScript}
try{o=JSON.parse(localStorage.getItem('wxf.session')).user.role}catch(x){}
for(var i=0;i<r.length;i++)if(new RegExp(r[i][0]).test(p)){var l=document.createElement('link');l.rel='preload';l.as='fetch';l.crossOrigin='anonymous';l.href=r[i][1];if(r[i][3]&&r[i][3]===o){window.__wxfWith=r[i][4];l.href=r[i][5]}document.head.appendChild(l);
if(r[i][2]){var c=document.createElement('link');c.rel='preload';c.as='style';c.href=r[i][1].replace('/pack_','/app_').replace(/bin$/,'css');document.head.appendChild(c)}break}
try{var m=function(n){var t=document.querySelector('meta[name="wxf:'+n+'"]');return t?t.content.trim():''};
if(/[?&]code=/.test(q)||(m('preview')==='on'&&/[?&]scenario=/.test(q)))return;
var s=JSON.parse(localStorage.getItem('wxf.session')||'null'),t=s&&s.token;if(typeof t!=='string'||!t)return;
var b=(m('api-base')||'/api/v1').replace(/\\/+$/,''),ms=+m('request-timeout-ms'),a=p.replace(/(.)\\/$/,'$1'),w=[];if(!(ms>=1000))ms=10000;
for(i=0;i<e.length;i++)if(e[i][0]==='*'||e[i][0]===a)(function(u){var c=new AbortController();setTimeout(function(){c.abort()},ms);
w.push({url:u,token:t,at:Date.now(),answer:fetch(u,{headers:{Accept:'application/json',Authorization:'Bearer '+t},signal:c.signal}).then(function(x){return x.text().then(function(y){return[x.status,x.headers.get('Retry-After'),y]})}).catch(function(){return null})})})(b+e[i][1]);
window.__wxfEarly=w}catch(x){}})();`;

// index.html: Trunk's links replaced by the built files.
const startScript = `import init from '/${names.glue}';
const wasm = await init({ module_or_path: '/${names.wasm}' });
dispatchEvent(new CustomEvent('wxf:started', { detail: { wasm } }));`;
// Without its comments (README "Pointing at the real API" says what each `wxf:` tag is) and
// indentation: fetched on every first visit. index.html holds no <pre>, <textarea> or template
// literal that indentation would change.
if (/<pre|<textarea|`/.test(sourceHtml)) throw new Error('index.html: text whose indentation matters');
let html = sourceHtml
  .replace(/\s*<link data-trunk rel="css"[^>]*>/, '')
  .replace(/\s*<link data-trunk rel="rust"[^>]*>/, '')
  .replace(/<!--[\s\S]*?-->/g, '')
  .replace(/\n\s+/g, '\n');
const head = [
  // First: a script placed after the stylesheet would wait for it before preloading anything.
  `<script>${preloadScript}</script>`,
  // No integrity attributes: every file the app loads (these, the wasm, the packs, the areas'
  // stylesheets) comes from the page's own origin, beside this page, so whoever could change
  // them could change the page's hashes too. Each sha384 cost every first visit about 70 bytes
  // that do not compress.
  `<link rel="stylesheet" href="/${cssName}">`,
  `<link rel="modulepreload" href="/${names.glue}" crossorigin="anonymous">`,
  `<link rel="modulepreload" href="/${names.loader}" crossorigin="anonymous">`,
  `<link rel="preload" href="/${names.wasm}" crossorigin="anonymous" as="fetch" type="application/wasm">`,
  `<script type="module">\n${startScript}\n</script>`,
].map((l) => `  ${l}\n`).join('');
html = html.replace('</head>', `${head}</head>`);

// Content-Security-Policy: own origin, the API's origin (from `wxf:api-base`), WeChat's
// JS-SDK host, wasm, and the inline scripts above (by their hashes).
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
  .map((m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
const meta = (name) => html.match(new RegExp(`<meta name="wxf:${name}" content="([^"]*)"`))?.[1] ?? '';
const origin = (url) => { try { return /^https?:\/\//.test(url) ? new URL(url).origin : ''; } catch { return ''; } };
const api = origin(meta('api-base'));
const sdk = origin(meta('jssdk-url'));
const policy = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')} ${sdk} https://res2.wx.qq.com`,
  `connect-src 'self' ${api}`,
  // Pictures and media come from the API's CDN, whatever its host; never run as documents.
  "img-src 'self' data: blob: https:",
  "media-src 'self' blob: https:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-src 'self' https://*.weixin.qq.com https://*.wx.qq.com",
].map((d) => d.replace(/\s+/g, ' ').trim()).join('; ');
html = html.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="${policy}">`);
out.set('index.html', Buffer.from(html));

// Written with brotli and gzip copies, for servers that send them (as a CDN would).
for (const [name, bytes] of out) {
  writeFileSync(path.join(dist, name), bytes);
  writeFileSync(path.join(dist, `${name}.br`), zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
  writeFileSync(path.join(dist, `${name}.gz`), zlib.gzipSync(bytes, { level: 9 }));
}
const br = (n) => readFileSync(path.join(dist, `${n}.br`)).length;
const kb = (b) => `${(b / 1024).toFixed(1)} kB`;
log(`${out.size} files in ${path.relative(root, dist) || dist}; main: ${kb(br(names.wasm) + br(names.glue) + br(names.loader))} brotli`);
for (const a of areaList) {
  const apart = [a.own, ...a.chunks].filter((i) => i >= 0).reduce((sum, i) => sum + br(`${mods[i]}-${H}.wasm`), 0);
  log(`  ${a.area}: ${a.chunks.length + (a.own >= 0 ? 1 : 0)} module(s), packed ${kb(br(packOf.get(a.area)))} brotli (${kb(apart)} as separate files)`);
}
for (const w of partsAtOnce) {
  const rest = `pack_${w.part}-${H}.rest.bin`;
  log(`  ${w.area} with ${w.part} (${w.role}): ${kb(br(`pack_${w.area}.${w.part}-${H}.bin`))} brotli (${kb(br(packOf.get(w.area)) + br(rest))} as two packs)`);
}

// wasm-split-cli reserves each area's slots in the shared function table with element segments
// that write `ref.null` into them: ~340 segments, 12 kB raw and 1.4 kB brotli of the main module.
// A table's slots start null, and an area writes its own functions in when it is loaded, so those
// segments do nothing: they are dropped. A segment holding any function stays as it is (the ~60
// empty ones too: dropping them measured 0.2 kB larger, brotli's whim).
function dropEmptyTableSlots(wasm) {
  const leb = (buf, pos) => { let r = 0, s = 0, b; do { b = buf[pos++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return [r, pos]; };
  const uleb = (n) => { const out = []; do { let b = n & 0x7f; n = Math.floor(n / 128); if (n) b |= 0x80; out.push(b); } while (n); return Buffer.from(out); };
  const NULL_FUNC = 'd0700b'; // `ref.null func; end`
  const parts = [wasm.subarray(0, 8)];
  let pos = 8, dropped = 0;
  while (pos < wasm.length) {
    const start = pos, id = wasm[pos++];
    let size; [size, pos] = leb(wasm, pos);
    const end = pos + size;
    if (id !== 9) { parts.push(wasm.subarray(start, end)); pos = end; continue; }
    let count, p = pos; [count, p] = leb(wasm, p);
    const kept = [];
    for (let i = 0; i < count; i++) {
      const segStart = p;
      let flags; [flags, p] = leb(wasm, p);
      // Only the two shapes wasm-split-cli writes: active on table 0 at `i32.const N`, with
      // function indices (0) or element expressions (4).
      if ((flags !== 0 && flags !== 4) || wasm[p] !== 0x41) throw new Error(`dropEmptyTableSlots: an element segment of another shape (flags ${flags})`);
      [, p] = leb(wasm, p + 1);
      if (wasm[p++] !== 0x0b) throw new Error('dropEmptyTableSlots: an offset that is not a constant');
      let items; [items, p] = leb(wasm, p);
      let allNull = flags === 4;
      for (let j = 0; j < items; j++) {
        if (flags === 0) { [, p] = leb(wasm, p); continue; }
        if (wasm.subarray(p, p + 3).toString('hex') === NULL_FUNC) { p += 3; continue; }
        // `ref.func N; end`, read as such: N's LEB bytes may look like `end`.
        if (wasm[p] !== 0xd2) throw new Error(`dropEmptyTableSlots: an element expression of another kind (${wasm[p]})`);
        [, p] = leb(wasm, p + 1);
        if (wasm[p++] !== 0x0b) throw new Error('dropEmptyTableSlots: an element expression of more than one instruction');
        allNull = false;
      }
      if (allNull) dropped++;
      else kept.push(wasm.subarray(segStart, p));
    }
    if (p !== end) throw new Error('dropEmptyTableSlots: the element section was not read to its end');
    const body = Buffer.concat([uleb(kept.length), ...kept]);
    parts.push(Buffer.from([9]), uleb(body.length), body);
    pos = end;
  }
  if (!dropped) throw new Error('dropEmptyTableSlots: no null segments found: has wasm-split-cli changed?');
  return Buffer.concat(parts);
}

// wasm-bindgen names each import of the main module `__wbg_<what>_<16 hex digits>`: about 270
// of them, written in the wasm and again in the glue, and the hex digits do not compress. Both
// get short names instead (`_0`, `_1`, …): about 5 kB brotli off every first visit. The glue
// must name each import exactly once, as its import object's key, or the build stops. The same
// for the exported closure entry points the glue calls.
function shortImportNames(wasm, glue) {
  const leb = (buf, pos) => { let r = 0, s = 0, b; do { b = buf[pos++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return [r, pos]; };
  const uleb = (n) => { const out = []; do { let b = n & 0x7f; n = Math.floor(n / 128); if (n) b |= 0x80; out.push(b); } while (n); return Buffer.from(out); };
  const str = (t) => { const b = Buffer.from(t); return Buffer.concat([uleb(b.length), b]); };
  const from = './wxfollower_bg.js';
  // Module names too: each import repeats its module's name, ~290 times in all.
  const moduleNames = { [from]: 'a', './__wasm_split.js': 'b' };
  const parts = [wasm.subarray(0, 8)];
  let pos = 8, renamed = 0, invokes = 0;
  while (pos < wasm.length) {
    const start = pos, id = wasm[pos++];
    let size; [size, pos] = leb(wasm, pos);
    const end = pos + size;
    if (id === 7) {
      // The closures' entry points too: `wasm_bindgen_<hash>___convert__closures_____invoke…`,
      // up to 300 characters each, called by the glue as `wasm.<name>`.
      let count, p = pos; [count, p] = leb(wasm, p);
      const entries = [];
      for (let i = 0; i < count; i++) {
        let len; [len, p] = leb(wasm, p); let name = wasm.subarray(p, p + len).toString(); p += len;
        const descStart = p; p++; [, p] = leb(wasm, p);
        if (/^wasm_bindgen_[0-9a-f]+___convert__closures/.test(name)) {
          const short = `_x${(invokes++).toString(36)}`;
          const uses = new RegExp(`\\bwasm\\.${name}(?![\\w$])`, 'g');
          if (!uses.test(glue)) throw new Error(`shortImportNames: the glue never calls ${name}`);
          // (The glue's own wrapper functions share these names: terser shortens those.)
          glue = glue.replace(uses, `wasm.${short}`);
          name = short;
        }
        entries.push(Buffer.concat([str(name), wasm.subarray(descStart, p)]));
      }
      const body = Buffer.concat([uleb(count), ...entries]);
      parts.push(Buffer.from([7]), uleb(body.length), body);
      pos = end;
      continue;
    }
    if (id !== 2) { parts.push(wasm.subarray(start, end)); pos = end; continue; }
    let count, p = pos; [count, p] = leb(wasm, p);
    const entries = [];
    for (let i = 0; i < count; i++) {
      let len; [len, p] = leb(wasm, p); const module = wasm.subarray(p, p + len).toString(); p += len;
      [len, p] = leb(wasm, p); let name = wasm.subarray(p, p + len).toString(); p += len;
      const descStart = p, kind = wasm[p++];
      if (kind === 0) [, p] = leb(wasm, p);
      else if (kind === 1) { p++; const f = wasm[p++]; [, p] = leb(wasm, p); if (f & 1) [, p] = leb(wasm, p); }
      else if (kind === 2) { const f = wasm[p++]; [, p] = leb(wasm, p); if (f & 1) [, p] = leb(wasm, p); }
      else if (kind === 3) p += 2;
      else throw new Error(`shortImportNames: import kind ${kind} not read`);
      if (module === from) {
        const short = `_${(renamed++).toString(36)}`;
        const key = new RegExp(`^(\\s+)${name.replace(/\$/g, '\\$')}:`, 'm');
        if (!key.test(glue)) throw new Error(`shortImportNames: the glue has no key ${name}`);
        glue = glue.replace(key, `$1${short}:`);
        if (glue.includes(name)) throw new Error(`shortImportNames: the glue names ${name} elsewhere too`);
        name = short;
      }
      if (!(module in moduleNames)) throw new Error(`shortImportNames: an import from ${module}`);
      entries.push(Buffer.concat([str(moduleNames[module]), str(name), wasm.subarray(descStart, p)]));
    }
    const body = Buffer.concat([uleb(count), ...entries]);
    parts.push(Buffer.from([2]), uleb(body.length), body);
    pos = end;
  }
  if (!renamed) throw new Error('shortImportNames: no imports from the glue found');
  // The glue's import object by the short module names. wasm-bindgen imports the split loader
  // once per area (`import * as importN`), the same module each time: one import is kept.
  const own = /\n(\s+)"\.\/wxfollower_bg\.js": import0,\n/;
  const loaderImports = [...glue.matchAll(/^import \* as (import\d+) from "\.\/__wasm_split\.js"\n/gm)];
  const loaderKeys = [...glue.matchAll(/^\s+"\.\/__wasm_split\.js": (import\d+),\n/gm)];
  if (!own.test(glue) || !loaderImports.length || loaderImports.length !== loaderKeys.length) throw new Error('shortImportNames: the glue\'s import object has another shape');
  const loader = loaderImports[0][1];
  for (const m of loaderImports.slice(1)) glue = glue.replace(m[0], '');
  for (const m of loaderKeys.slice(1)) glue = glue.replace(m[0], '');
  glue = glue.replace(own, '\n$1a: import0,\n').replace(`"./__wasm_split.js": ${loaderKeys[0][1]},`, `b: ${loader},`);
  if (glue.includes('"./wxfollower_bg.js"') || (glue.match(/"\.\/__wasm_split\.js"/g) || []).length !== 1) throw new Error('shortImportNames: the glue still names a module by its long name');
  return { wasm: Buffer.concat(parts), glue };
}

