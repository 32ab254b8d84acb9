// How the release build loads: a first visit fetches the shared core and the opened area only,
// the other areas follow in the background once the page has shown, and an area whose code
// cannot be fetched says so and recovers on retry.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signedInPage, signIn, suite } from './harness.mjs';

const env = suite({ before, after });

/** The area modules (`split_<area>-<hash>.wasm`) the page requested, in order. */
function watchAreas(page) {
  const areas = [];
  page.on('request', (r) => {
    const m = new URL(r.url()).pathname.match(/^\/split_(\w+?)-[0-9a-f]{16}\.wasm$/);
    if (m) areas.push(m[1]);
  });
  return areas;
}

test('a first visit fetches only its own area; the others come after the page has shown', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const { page, problems } = await signedInPage(env.browser, session);
  const areas = watchAreas(page);
  await page.goto(env.server.base + '/seckill');
  await page.waitForSelector('.seckill-item');
  assert.deepEqual(areas, ['seckill_area'], 'the seckill page needs the seckill area and nothing else');
  // In the background, at low priority: every other area, so a tab opens without waiting.
  await page.waitForFunction(() => document.querySelectorAll('link[rel=prefetch]').length > 0, null, { timeout: 20_000 });
  for (const area of ['cart_area', 'handbook_area', 'moments_area', 'menu_area']) {
    await page.waitForFunction((a) => performance.getEntriesByType('resource').some((e) => e.name.includes(`/split_${a}-`) && e.responseEnd > 0), area, { timeout: 20_000 });
  }
  await page.click('nav.tabbar a[href="/cart"]');
  await page.waitForSelector('.cart-line');
  assert.deepEqual(problems(), []);
  await page.context().close();
});

test('an area whose code cannot be fetched says so, and a retry opens it', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const { page } = await signedInPage(env.browser, session);
  let blocked = true;
  await page.route(/\/split_cart_area-[0-9a-f]{16}\.wasm$/, (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  await page.goto(env.server.base + '/cart');
  const alert = page.locator('[role=alert]');
  await alert.waitFor({ timeout: 20_000 });
  assert.match(await alert.textContent(), /网络/, 'the follower is told it is the network');
  assert.equal(await page.locator('.crash, .crash-screen').count(), 0, 'not the crash screen');
  blocked = false;
  await page.click('[role=alert] button');
  await page.waitForSelector('.cart-line', { timeout: 20_000 });
  await page.context().close();
});
