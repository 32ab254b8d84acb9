// Trunk post-build hook (release): writes brotli/gzip copies of the assets, and puts a Content-Security-Policy in the built index.html that allows
// only what the app needs — its own origin, the API's origin (from `wxf:api-base`), WeChat's
// JS-SDK host, wasm, and the one inline start-up script Trunk writes (by its hash).
// Release builds only: `trunk serve` adds its own live-reload script in development.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';

if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);
const file = path.join(process.env.TRUNK_STAGING_DIR || 'dist', 'index.html');
let html = readFileSync(file, 'utf8');
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
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\n?/, '');
html = html.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="${policy}">`);
writeFileSync(file, html);
console.log(`csp: ${hashes.length} inline script hash(es); api ${api || 'same origin'}`);

// Precompressed copies for servers that send them (brotli and gzip, as a CDN would).
const dir = path.dirname(file);
for (const name of readdirSync(dir)) {
  if (!/\.(wasm|js|css|html|svg)$/.test(name) || !statSync(path.join(dir, name)).isFile()) continue;
  const bytes = readFileSync(path.join(dir, name));
  writeFileSync(path.join(dir, `${name}.br`), zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
  writeFileSync(path.join(dir, `${name}.gz`), zlib.gzipSync(bytes, { level: 9 }));
}
