// Flash sales as a follower meets them: grab once, pay, never a second order; sold out says so;
// a session that starts while the page is open enables its button at the server's zero.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signedInPage, signIn, suite } from './harness.mjs';

const env = suite({ before, after });

test('a live item is grabbed once, paid, and a second grab makes no second order', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const { page, problems } = await signedInPage(env.browser, session);
  await page.goto(env.server.base + '/seckill');
  await page.waitForSelector('.seckill-item');
  assert.equal(await page.getAttribute('[role=tab][aria-selected=true]', 'aria-selected'), 'true');
  assert.match(await page.textContent('[role=tab][aria-selected=true]'), /抢购中/, 'the live session is selected');
  // The sold-out item says so.
  assert.ok(await page.locator('.seckill-item[data-state=SoldOut] button[disabled]').count() >= 1);
  const live = page.locator('.seckill-item[data-state=Live]').first();
  const title = await live.locator('.line-title').textContent();
  await live.locator('button').click();
  await page.waitForURL('**/orders/**');
  await page.click('text=立即支付');
  await page.click('.panel-sheet >> text=支付成功');
  await page.waitForSelector('.order-status[data-status=Paid]', { timeout: 15_000 });
  // Back to the sale: one per person, so the same item cannot be grabbed again.
  await page.goto(env.server.base + '/seckill');
  const again = page.locator('.seckill-item', { hasText: title }).first();
  await again.waitFor();
  assert.equal(await again.getAttribute('data-state'), 'LimitReached');
  const records = await env.server.records();
  assert.equal(records.orders_created.filter((o) => o.kind === 'seckill').length, 1, 'exactly one order');
  assert.deepEqual(problems(), []);
  await page.context().close();
});

test('with the phone clock an hour off, the button enables within 100 ms of server zero', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const { starts_at } = await env.server.control('POST', '/seckill/sessions', { starts_in_ms: 12_000, duration_ms: 600_000, stock: 5, limit: 1 });
  // Sessions are named by their start in Beijing time (HH:MM).
  const title = new Date(starts_at + 8 * 3_600_000).toISOString().slice(11, 16);
  const session = await signIn(env.server, 'u-yihang');
  const { page, context } = await signedInPage(env.browser, session);
  // The phone's clock is an hour ahead: both the wall clock and the page's time origin.
  await context.addInitScript(() => {
    const skew = 3_600_000;
    const realNow = Date.now.bind(Date);
    window.__realNow = realNow;
    Date.now = () => realNow() + skew;
    Object.defineProperty(performance, 'timeOrigin', { value: performance.timeOrigin + skew });
  });
  await page.goto(env.server.base + '/seckill');
  await page.waitForSelector('[role=tab]');
  await page.click(`[role=tab]:has-text("${title}")`);
  await page.waitForSelector('.seckill-item[data-state=Upcoming] .countdown', { timeout: 10_000 });
  assert.ok(Date.now() < starts_at, 'the session has not started yet (the test was quick enough)');
  // Time the flip inside the page, on the real clock.
  const enabledAt = await page.evaluate(() => new Promise((resolve, reject) => {
    const done = () => document.querySelector('.seckill-item[data-state=Live]');
    if (done()) return resolve(window.__realNow());
    setTimeout(() => reject(new Error('the button never enabled')), 30_000);
    new MutationObserver((_, obs) => { if (done()) { obs.disconnect(); resolve(window.__realNow()); } }).observe(document.body, { subtree: true, attributes: true, childList: true });
  }));
  const error = enabledAt - starts_at;
  assert.ok(error >= -20, `not before the server's zero (${error} ms)`);
  assert.ok(error < 100, `within 100 ms of the server's zero (${error} ms)`);
  await page.context().close();
});
