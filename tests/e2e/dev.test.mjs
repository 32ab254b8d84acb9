// The README's first command, `make dev`, as a developer meets it: the app served by `trunk
// serve` on :8080 with the stand-in behind its proxy on :8787, where a follower signs in through
// the chooser (a redirect the proxy must hand to the browser, not follow) and pays for the cart.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { launch, phonePage } from './harness.mjs';

const APP = 'http://127.0.0.1:8080';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Whether something already listens on `port` (a `make dev` the developer left running). */
const listening = (port) => new Promise((resolve) => {
  const socket = net.connect(port, '127.0.0.1');
  socket.once('connect', () => { socket.destroy(); resolve(true); });
  socket.once('error', () => resolve(false));
});

test('make dev: the app on the stand-in, signing in through the chooser, paying', { timeout: 600_000 }, async (t) => {
  for (const port of [8080, 8787]) {
    if (await listening(port)) return t.skip(`port ${port} is taken (a make dev already running?)`);
  }
  // The release build the other end-to-end tests use must stay as it is.
  const release = statSync('dist/index.html').mtimeMs;
  const dev = spawn('make', ['dev'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  dev.stdout.on('data', (d) => { output += d; });
  dev.stderr.on('data', (d) => { output += d; });
  try {
    // The first debug build takes a while; the page is served once it is done.
    const deadline = Date.now() + 480_000;
    let ready = false;
    while (!ready && Date.now() < deadline && dev.exitCode === null) {
      ready = await fetch(APP + '/').then((r) => r.ok && r.text()).then((html) => !!html && html.includes('wxf:api-base')).catch(() => false);
      if (!ready) await new Promise((r) => setTimeout(r, 2000));
    }
    assert.ok(ready, `make dev serves the app:\n${output.slice(-2000)}`);
    const { page, problems } = await phonePage(browser);
    await page.goto(APP + '/');
    await page.click('.home-actions .btn-primary', { timeout: 60_000 });
    await page.waitForURL('**/__standin/oauth/authorize**');
    await page.click('text=粉丝 · 林小满');
    await page.waitForURL((u) => !u.pathname.startsWith('/__standin'), { timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('.home-name')?.textContent === '林小满', null, { timeout: 30_000 });
    await page.click('.tabbar >> text=购物车');
    await page.click('.checkout:not([disabled])', { timeout: 30_000 });
    await page.click('text=提交订单');
    await page.waitForURL('**/orders/**');
    await page.click('text=立即支付');
    await page.click('.panel-sheet >> text=支付成功');
    await page.waitForSelector('.order-status[data-status=Paid]', { timeout: 30_000 });
    assert.deepEqual(problems(), []);
    await page.context().close();
    assert.equal(statSync('dist/index.html').mtimeMs, release, 'make dev leaves dist/ (the release build) alone');
  } finally {
    try { process.kill(-dev.pid, 'SIGTERM'); } catch { /* already gone */ }
  }
});
