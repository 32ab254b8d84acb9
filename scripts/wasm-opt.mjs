// wasm-opt as the release build runs it, its output kept by what it was given (module, wasm-opt's
// version and flags): most modules come out of a split unchanged by a change elsewhere, and
// wasm-opt is most of a build's time. Used by scripts/release.mjs and the bench's size breakdown.
import { createHash } from 'node:crypto';
import { execFile as execFileCb, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const execFile = promisify(execFileCb);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const wasmOpt = path.join(root, 'node_modules/.bin/wasm-opt');
const cache = path.join(root, 'target/split/wasm-opt-cache');

/** The flags: `-O3` and index.html's `data-wasm-opt-params` (which `make dev`'s Trunk reads too),
 *  then names kept (`-g`, for the size breakdown) or the producers' sections dropped. */
export function optFlags(keepNames) {
  const html = readFileSync(path.join(root, 'index.html'), 'utf8');
  const params = (html.match(/data-wasm-opt-params="([^"]*)"/)?.[1] || '').split(/\s+/).filter(Boolean);
  // `-O3`, not `-Oz`: its code is 5 % larger raw but 2–4 % smaller in brotli, which is what a
  // follower downloads (-Oz's folding leaves code less alike), and faster.
  // `--low-memory-unused`: the stack is first in memory and grows down from 1 MiB, the data
  // above it, so only the stack's last kilobyte (a kilobyte short of overflowing) is below 1 kB;
  // constant offsets then fold into loads and stores. `-fimfs 12`: a function is inlined where
  // it is called only up to 12 instructions rather than 20, for one copy called is less code.
  // Together 0.8 % less brotli over the largest modules (README, the eleventh session).
  return ['-O3', ...params, '--low-memory-unused', '-fimfs', '12', ...(keepNames ? ['-g'] : ['--strip-producers', '--strip-target-features'])];
}

/** The optimised module's path in the cache (made now unless it is there). */
export async function optimised(from, flags) {
  mkdirSync(cache, { recursive: true });
  const key = createHash('sha256');
  [readFileSync(from), execFileSync(wasmOpt, ['--version']).toString(), flags.join(' ')].forEach((p) => key.update(p));
  const cached = path.join(cache, key.digest('hex').slice(0, 16) + '.wasm');
  if (!existsSync(cached)) {
    await execFile(wasmOpt, [...flags, from, '-o', cached + '.tmp']);
    renameSync(cached + '.tmp', cached);
  }
  utimesSync(cached, new Date(), new Date());
  return cached;
}

/** Outputs no build has used for a week go. */
export function pruneCache() {
  if (!existsSync(cache)) return;
  for (const f of readdirSync(cache)) if (Date.now() - statSync(path.join(cache, f)).mtimeMs > 7 * 86400e3) rmSync(path.join(cache, f), { force: true });
}
