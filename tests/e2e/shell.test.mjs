// The foundation, as a follower meets it: the app shell on live data, sign-in that leaves no
// code in the address, and a failed request that explains itself and recovers on retry.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { phonePage, signedInPage, signIn, suite } from './harness.mjs';

const env = suite({ before, after });

/** The home page has finished its own reads (so a fault set next is met by the page under test). */
async function homeSettled(page) {
  await page.waitForSelector('.home-name');
  await page.waitForFunction(() => ['.home-cart-count', '.home-seckill', '.home-latest .cell-desc'].every((s) => document.querySelector(s)?.textContent.trim().length > 0));
}

test('the shell loads with live data from the API', async () => {
  const { page, problems } = await phonePage(env.browser);
  await page.goto(env.server.base + '/');
  // The static skeleton paints first; the app replaces it.
  await page.waitForSelector('.home-name');
  await page.waitForFunction(() => document.querySelector('.home-latest .cell-desc')?.textContent.trim().length > 0);
  const moment = await page.textContent('.home-latest .cell-desc');
  const latest = await (await fetch(env.server.base + '/api/v1/moments?limit=1', {
    headers: { authorization: 'Bearer ' + (await page.evaluate(() => JSON.parse(localStorage.getItem('wxf.session')).token)) },
  })).json();
  assert.ok(moment.includes(latest.posts[0].text), 'the home page shows the newest moment from the API');
  assert.match(await page.textContent('.home-seckill'), /场正在抢购/);
  assert.match(await page.textContent('.server-time'), /^\d\d:\d\d:\d\d$/);
  assert.equal(await page.locator('.tabbar .tab').count(), 5);
  assert.equal(await page.getAttribute('.tabbar .tab >> nth=0', 'aria-current'), 'page');
  await page.click('.tabbar .tab >> nth=3');
  await page.waitForURL('**/school');
  // The address changes at the tap; the page once its code has arrived.
  await page.waitForFunction(() => /只对家长和老师开放/.test(document.querySelector('main')?.textContent || ''), null, { timeout: 10_000 });
  assert.deepEqual(problems(), []);
  await page.context().close();
});

test('signing in exchanges the code once and strips it from the address', async () => {
  const { page, problems } = await phonePage(env.browser);
  await page.goto(env.server.base + '/?from=menu');
  await page.waitForSelector('.home-name');
  assert.equal(await page.textContent('.home-name'), '游客');
  await page.click('text=登录');
  // The stand-in's chooser stands where WeChat's authorize page would.
  await page.waitForURL('**/__standin/oauth/authorize**');
  await page.click('text=粉丝 · 林小满');
  await page.waitForFunction(() => document.querySelector('.home-name')?.textContent === '林小满');
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('code'), null, 'no code left in the address');
  assert.equal(url.searchParams.get('state'), null);
  assert.equal(url.searchParams.get('from'), 'menu', 'other parameters are kept');
  await page.reload();
  await page.waitForFunction(() => document.querySelector('.home-name')?.textContent === '林小满');
  assert.match(await page.textContent('.home-cart-count'), /件商品/);
  assert.deepEqual(problems(), []);
  await page.context().close();
});

test('a code that did not come from our sign-in is never exchanged', async () => {
  const { page } = await phonePage(env.browser);
  const { code } = await env.server.control('POST', '/oauth/code', { user_id: 'p-wang' });
  await page.goto(`${env.server.base}/?code=${code}&state=forged1`);
  await page.waitForSelector('.home-name');
  assert.equal(await page.textContent('.home-name'), '游客');
  assert.equal(new URL(page.url()).search, '');
  // Unused by the app, the code still works once for its rightful owner.
  const r = await fetch(env.server.base + '/api/v1/session/oauth', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  assert.equal(r.status, 200);
  await page.context().close();
});

test('an API failure shows an error with a working retry', async () => {
  const { page } = await phonePage(env.browser);
  await page.goto(env.server.base + '/');
  await homeSettled(page);
  // Every attempt of the next read of the moments fails (a read is tried three times).
  await env.server.faults([{ kind: 'error', path: '/moments', method: 'GET', times: 3 }]);
  await page.click('.tabbar .tab >> nth=4');
  await page.waitForSelector('[role=alert]');
  assert.match(await page.textContent('[role=alert]'), /服务器开小差了/);
  await page.click('[role=alert] button');
  await page.waitForSelector('.moment');
  assert.equal(await page.locator('[role=alert]').count(), 0, 'the retry recovered');
  await page.context().close();
});

test('a body of the wrong shape is an error, not a dead page', async () => {
  const { page, problems } = await phonePage(env.browser);
  await page.goto(env.server.base + '/');
  await homeSettled(page);
  await env.server.faults([{ kind: 'wrong_shape', path: '/seckill/sessions', times: 1 }]);
  await page.click('.tabbar .tab >> nth=1');
  await page.waitForSelector('[role=alert]');
  assert.match(await page.textContent('[role=alert]'), /数据有误/);
  await page.click('[role=alert] button');
  await page.waitForSelector('[role=tab]');
  assert.deepEqual(problems(), []);
  await page.context().close();
});

test("a bug that stops the app puts up a reload screen in the page's language; other errors do not", async () => {
  for (const [locale, words, button] of [['zh-CN', /填写的内容已保存/, '重新加载'], ['en-US', /what you typed is kept/, 'Reload']]) {
    const { page, context } = await phonePage(env.browser, { locale });
    await page.goto(env.server.base + '/');
    await page.waitForSelector('.home-name');
    assert.equal(await page.evaluate(() => document.documentElement.lang), locale === 'en-US' ? 'en' : 'zh-CN', 'the document says which language its text is in');
    // Someone else's script failing is not the app failing.
    await page.evaluate(() => { setTimeout(() => { throw new TypeError('a third-party script broke'); }); Promise.reject(new Error('not ours')); });
    await page.waitForTimeout(300);
    assert.equal(await page.locator('#crash').count(), 0, `${locale}: an error that is not a wasm trap leaves the page alone`);
    // A Rust panic ends in a wasm trap, met by the page as a WebAssembly.RuntimeError: thrown by an
    // event handler (an error event) or inside a task (an unhandled rejection).
    await page.evaluate(() => { setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable'); }); });
    await page.waitForSelector('#crash[role=alert]');
    assert.match(await page.textContent('#crash p'), words);
    assert.equal(await page.locator('#crash').count(), 1);
    await page.evaluate(() => { Promise.reject(new WebAssembly.RuntimeError('unreachable')); });
    await page.waitForTimeout(200);
    assert.equal(await page.locator('#crash').count(), 1, 'one screen, however many traps follow');
    await Promise.all([page.waitForNavigation(), page.click(`#crash button:has-text("${button}")`)]);
    await page.waitForSelector('.home-name');
    assert.equal(await page.locator('#crash').count(), 0, 'the reload brings the app back');
    await context.close();
  }
});

test('index.html is never cached and hashed assets are cached for a year', async () => {
  const index = await fetch(env.server.base + '/cart');
  assert.equal(index.headers.get('cache-control'), 'no-cache', 'client-side routes get index.html, uncached');
  const html = await index.text();
  const wasm = html.match(/[\w-]+_bg\.wasm/)?.[0];
  assert.ok(wasm, 'index.html references the hashed wasm');
  const asset = await fetch(`${env.server.base}/${wasm}`, { method: 'HEAD' });
  assert.equal(asset.headers.get('content-type'), 'application/wasm');
  assert.match(asset.headers.get('cache-control'), /max-age=31536000, immutable/);
});

test('back and forward move between pages; the address, the page and the current tab follow', async () => {
  const { page, problems } = await phonePage(env.browser);
  await page.goto(env.server.base + '/');
  await page.waitForSelector('.home-name');
  const entries = () => page.evaluate(() => history.length);
  const start = await entries();
  await page.click('.tabbar a[href="/cart"]');
  await page.waitForSelector('.cart-line, .state');
  await page.click('.tabbar a[href="/moments"]');
  await page.waitForSelector('.moment');
  assert.equal(await entries(), start + 2, 'each page is one history entry');
  // Tapping the current tab again adds no entry.
  await page.click('.tabbar a[href="/moments"]');
  assert.equal(await entries(), start + 2);
  await page.goBack();
  await page.waitForSelector('.cart-line, .state');
  assert.equal(new URL(page.url()).pathname, '/cart');
  assert.equal(await page.getAttribute('.tabbar a[href="/cart"]', 'aria-current'), 'page');
  assert.equal(await page.getAttribute('.tabbar a[href="/moments"]', 'aria-current'), null);
  await page.goForward();
  await page.waitForSelector('.moment');
  assert.equal(await page.getAttribute('.tabbar a[href="/moments"]', 'aria-current'), 'page');
  // An address no page has says so, with the way home.
  await page.goto(env.server.base + '/no/such/page');
  await page.waitForSelector('.state-empty');
  await page.click('.state-empty a[href="/"]');
  await page.waitForSelector('.home-name');
  assert.deepEqual(problems(), []);
  await page.context().close();
});

test('leaving a page while its data or a write is still on the way breaks nothing', { timeout: 120_000 }, async () => {
  // Each page's own reads are held back 2.5 s; the follower taps another tab meanwhile.
  const cases = [
    ['u-xiaoman', '/moments', /\/api\/v1\/moments\?/, '/cart'],
    ['u-xiaoman', '/seckill', /\/api\/v1\/seckill\/sessions/, '/cart'],
    ['p-wang', '/school', /\/api\/v1\/handbook\/children/, '/moments'],
    ['u-xiaoman', '/cart', /\/api\/v1\/cart$/, '/moments'],
  ];
  for (const [user, from, held, to] of cases) {
    await env.server.reset();
    const { page, problems } = await signedInPage(env.browser, await signIn(env.server, user));
    await page.route(held, async (route) => {
      await new Promise((r) => setTimeout(r, 2500));
      await route.continue().catch(() => {});
    });
    await page.goto(env.server.base + from);
    await page.waitForSelector('.tabbar');
    await page.waitForTimeout(500);
    await page.click(`.tabbar a[href="${to}"]`);
    await page.waitForTimeout(3500);
    assert.equal(await page.locator('#crash').count(), 0, `${from} left for ${to}: no crash screen`);
    assert.equal(new URL(page.url()).pathname, to);
    assert.deepEqual(problems(), [], `${from} left for ${to}`);
    await page.context().close();
  }
  // A like still on its way when the follower leaves the feed.
  await env.server.reset();
  const { page, problems } = await signedInPage(env.browser, await signIn(env.server, 'u-xiaoman'));
  await page.goto(env.server.base + '/moments');
  await page.waitForSelector('.moment .moment-like');
  await page.route(/\/api\/v1\/moments\/[^/]+\/like/, async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue().catch(() => {});
  });
  await page.click('.moment .moment-like');
  await page.click('.tabbar a[href="/cart"]');
  await page.waitForTimeout(2500);
  assert.equal(await page.locator('#crash').count(), 0, 'no crash screen after a like answered on another page');
  assert.deepEqual(problems(), []);
  await page.context().close();
});
