// The release build (`make build`): dist/ with the app split into one wasm module per area.
//
// Trunk builds one wasm; a follower opening the cart from a chat link would download the
// handbook and the moments too. Splitting has to happen between the Rust build and
// wasm-bindgen, which Trunk cannot do, so the release pipeline is here (Trunk still runs
// `make dev`, unsplit):
//   1. cargo builds the app with `--cfg wxf_split` (each `lazy_area!` in src/lib.rs becomes a
//      split point) and `--emit-relocs` (the splitter needs the relocations);
//   2. wasm-split-cli cuts it into the main module, one module per area and the chunks of code
//      that several areas share, plus `__wasm_split.js`, which fetches them on demand;
//   3. wasm-bindgen writes the JS glue for the main module (keeping the function table the
//      areas install themselves into), wasm-opt shrinks every module;
//   4. every file gets a content hash in its name (cached for a year), index.html gets the
//      stylesheet, the start-up script, preloads for the main module and for the areas the
//      address being opened needs, a Content-Security-Policy, and brotli/gzip copies are written.
//
// `node scripts/release.mjs [--dist DIR] [--names]` (`--names` keeps function names, for the
// size breakdown in `make bench`).
import { createHash } from 'node:crypto';
import { execFile as execFileCb, execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const execFile = promisify(execFileCb);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const dist = path.resolve(root, args.includes('--dist') ? args[args.indexOf('--dist') + 1] : 'dist');
const keepNames = args.includes('--names');
const target = path.join(root, 'target/split');
const work = path.join(target, 'release-work');
const log = (...m) => console.log('[release]', ...m);

// 1. The Rust build. RUSTFLAGS replaces .cargo/config.toml's flags, so it repeats them.
log('cargo build (split points on)');
execFileSync('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '--bin', 'wxfollower'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    CARGO_TARGET_DIR: target,
    RUSTFLAGS: '--cfg erase_components --cfg wxf_split -C link-arg=--emit-relocs',
  },
});

// 2. Split.
rmSync(work, { recursive: true, force: true });
mkdirSync(path.join(work, 'opt'), { recursive: true });
execFileSync('wasm-split-cli', [path.join(target, 'wasm32-unknown-unknown/release/wxfollower.wasm'), work, '--out-name', 'wxfollower'], { stdio: 'inherit' });

// 3. Glue and optimisation. The wasm-opt flags are index.html's, which `make dev` (Trunk) reads too.
execFileSync('wasm-bindgen', ['--target', 'web', '--no-typescript', '--keep-lld-exports', '--out-dir', path.join(work, 'bindgen'), '--out-name', 'wxfollower', path.join(work, 'wxfollower.wasm')], { stdio: 'inherit' });
const sourceHtml = readFileSync(path.join(root, 'index.html'), 'utf8');
const optParams = (sourceHtml.match(/data-wasm-opt-params="([^"]*)"/)?.[1] || '').split(/\s+/).filter(Boolean);
const modules = [
  { name: 'wxfollower_bg.wasm', from: path.join(work, 'bindgen/wxfollower_bg.wasm') },
  ...readdirSync(work).filter((f) => f.endsWith('.wasm') && f !== 'wxfollower.wasm').map((f) => ({ name: f, from: path.join(work, f) })),
];
log(`wasm-opt on ${modules.length} modules`);
const queue = [...modules];
await Promise.all(Array.from({ length: Math.max(1, cpus().length) }, async () => {
  for (let m; (m = queue.shift());) {
    // A module must keep its imports and exports: the areas install themselves into the main
    // module's function table by index.
    await execFile(path.join(root, 'node_modules/.bin/wasm-opt'), ['-Oz', ...optParams, ...(keepNames ? ['-g'] : []), m.from, '-o', path.join(work, 'opt', m.name)]);
  }
}));

// 4. Hashed names. The area modules and chunks hash their own bytes; the glue and the loader
// import each other, so they share one hash of both.
const hash = (...parts) => { const h = createHash('sha256'); parts.forEach((p) => h.update(p)); return h.digest('hex').slice(0, 16); };
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const out = new Map(); // final name -> bytes
const renamed = new Map(); // built name -> final name
for (const m of modules.slice(1)) {
  const bytes = readFileSync(path.join(work, 'opt', m.name));
  const final = `${m.name.replace(/\.wasm$/, '').replace(/_\d{10,}$/, '')}-${hash(bytes)}.wasm`;
  renamed.set(m.name, final);
  out.set(final, bytes);
}
let loader = readFileSync(path.join(work, '__wasm_split.js'), 'utf8');
loader = loader.replace(/"\.\/([\w.]+\.wasm)"/g, (all, name) => (renamed.has(name) ? `"./${renamed.get(name)}"` : all));
let glue = readFileSync(path.join(work, 'bindgen/wxfollower.js'), 'utf8');
const mainWasm = readFileSync(path.join(work, 'opt/wxfollower_bg.wasm'));
const appHash = hash(glue, loader, mainWasm);
const names = { glue: `wxfollower-${appHash}.js`, loader: `split-${appHash}.js`, wasm: `wxfollower-${appHash}_bg.wasm` };
loader = loader.replaceAll('"./wxfollower.js"', `"./${names.glue}"`);
// Only the module specifiers: the import object keeps the name the wasm imports from.
glue = glue.replaceAll('from "./__wasm_split.js"', `from "./${names.loader}"`).replaceAll("'wxfollower_bg.wasm'", `'${names.wasm}'`);
out.set(names.glue, Buffer.from(glue));
out.set(names.loader, Buffer.from(loader));
out.set(names.wasm, mainWasm);
const css = readFileSync(path.join(root, 'public/app.css'));
const cssName = `app-${hash(css)}.css`;
out.set(cssName, css);

// Which modules each area needs (its own and the shared chunks), from the loader, and which
// addresses open which area, from the routes in src/lib.rs: an address's area is preloaded
// beside the main module instead of after it has started.
const chunkFiles = new Map([...loader.matchAll(/const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)"/g)].map((m) => [m[1], m[2]]));
const areaFiles = new Map();
for (const m of loader.matchAll(/export const __wasm_split_load_(\w+?)(?:_\d{6,})? = wrapAsyncCb\(makeLoad\(([\s\S]*?)\n, \[([^\]]*)\]\)\);/g)) {
  const own = m[2].match(/new URL\("\.\/([^"]+)"/)?.[1];
  const deps = m[3].split(',').map((d) => chunkFiles.get(d.trim())).filter(Boolean);
  areaFiles.set(m[1], [...(own ? [own] : []), ...deps]);
}
const lib = readFileSync(path.join(root, 'src/lib.rs'), 'utf8');
const routeArea = new Map();
for (const m of lib.matchAll(/lazy_area!\((\w+) \{([\s\S]*?)\}\);/g)) {
  for (const r of m[2].matchAll(/(\w+Route) =>/g)) routeArea.set(r[1], m[1]);
}
const routes = [...lib.matchAll(/path=path!\("([^"]+)"\) view=\{Lazy::<(\w+)>::new\(\)\}/g)]
  .map((m) => ({ path: m[1], area: routeArea.get(m[2]) }))
  .filter((r) => r.area && areaFiles.has(r.area))
  // The router prefers static segments: test those patterns first.
  .sort((a, b) => b.path.split('/').filter((s) => s && !s.startsWith(':')).length - a.path.split('/').filter((s) => s && !s.startsWith(':')).length);
if (routeArea.size === 0 || routes.length === 0) throw new Error('no lazy areas found in src/lib.rs: the preload table would be empty');
const pattern = (p) => `^${p.replace(/:[a-z_]+/g, '[^/]+')}/?$`;
const areas = [...new Set(routes.map((r) => r.area))];
// The address's area is preloaded at once; once the page has shown, the other areas are
// prefetched at low priority, so a tap on a tab does not wait for the network (the files are
// cached for a year by name). Before the router knows which area it needs, and without waiting
// for the main module to ask.
const preloadScript = `(function(){var a=${JSON.stringify(areas.map((a) => areaFiles.get(a).map((f) => `/${f}`)))},r=${JSON.stringify(routes.map((r) => [pattern(r.path), areas.indexOf(r.area)]))},p=location.pathname,seen={};
function link(rel,f){if(seen[f])return;seen[f]=1;var l=document.createElement('link');l.rel=rel;l.as='fetch';l.crossOrigin='anonymous';l.href=f;document.head.appendChild(l)}
for(var i=0;i<r.length;i++)if(new RegExp(r[i][0]).test(p)){a[r[i][1]].forEach(function(f){link('preload',f)});break}
addEventListener('load',function(){setTimeout(function(){(window.requestIdleCallback||setTimeout)(function(){a.forEach(function(fs){fs.forEach(function(f){link('prefetch',f)})})})},3000)})})();`;

// index.html: Trunk's links replaced by the built files.
const startScript = `import init from '/${names.glue}';
const wasm = await init({ module_or_path: '/${names.wasm}' });
dispatchEvent(new CustomEvent('wxf:started', { detail: { wasm } }));`;
let html = sourceHtml
  .replace(/\s*<link data-trunk rel="css"[^>]*>/, '')
  .replace(/\s*<link data-trunk rel="rust"[^>]*>/, '');
const head = [
  `<link rel="stylesheet" href="/${cssName}" integrity="${sri(css)}">`,
  `<link rel="modulepreload" href="/${names.glue}" crossorigin="anonymous" integrity="${sri(out.get(names.glue))}">`,
  `<link rel="modulepreload" href="/${names.loader}" crossorigin="anonymous" integrity="${sri(out.get(names.loader))}">`,
  // No integrity on a fetch preload: browsers ignore it there (and say so in the console).
  `<link rel="preload" href="/${names.wasm}" crossorigin="anonymous" as="fetch" type="application/wasm">`,
  `<script>${preloadScript}</script>`,
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
for (const area of areas) log(`  ${area}: ${areaFiles.get(area).length} module(s), ${kb(areaFiles.get(area).reduce((s, f) => s + br(f), 0))} brotli`);
