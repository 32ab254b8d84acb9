// How the release build loads: a first visit fetches the shared core and the opened area's pack
// only, the likely next areas follow in the background once the page has shown, and an area whose code
// cannot be fetched says so and recovers on retry.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signedInPage, signIn, suite } from './harness.mjs';

const env = suite({ before, after });

/** The app code the page requested, in order: `pack <area>` for an area's pack, `module <name>`
 * for a single module (`split_<area>` or `chunk_<n>`). */
function watchCode(page) {
  const code = [];
  page.on('request', (r) => {
    const m = new URL(r.url()).pathname.match(/^\/(?:pack_(\w+?)-[0-9a-f]{16}\.bin|((?:split|chunk)_\w+?)-[0-9a-f]{16}\.wasm)$/);
    if (m) code.push(m[1] ? `pack ${m[1]}` : `module ${m[2]}`);
  });
  return code;
}

test('a first visit fetches its own area in one request; the likely next areas come after the page has shown', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const { page, problems } = await signedInPage(env.browser, session);
  const code = watchCode(page);
  await page.goto(env.server.base + '/seckill');
  await page.waitForSelector('.seckill-item');
  assert.deepEqual(code, ['pack seckill_area'], 'the seckill page needs the seckill pack and nothing else');
  // In the background: the other tabs' areas (as packs, or the few modules they still miss).
  const fetched = (area) => code.some((c) => c === `pack ${area}` || c === `module split_${area}`);
  for (const area of ['cart_area', 'school_area', 'moments_area', 'checkout_area', 'week_area']) {
    for (let i = 0; i < 200 && !fetched(area); i++) await page.waitForTimeout(100);
    assert.ok(fetched(area), `${area} is fetched ahead: ${code.join(', ')}`);
  }
  assert.ok(!code.some((c) => /preview_area/.test(c)), 'the designers\' previews are not fetched ahead for a follower');
  await page.waitForTimeout(1000);
  // The cart tab then opens from what is already here: no code is fetched for it.
  const before = code.length;
  await page.click('nav.tabbar a[href="/cart"]');
  await page.waitForSelector('.cart-line');
  assert.deepEqual(code.slice(before), [], 'the cart opened without fetching code');
  assert.deepEqual(problems(), []);
  await page.context().close();
});

test('an area whose code cannot be fetched says so, and a retry opens it', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const { page } = await signedInPage(env.browser, session);
  let blocked = true;
  await page.route(/\/(pack|split)_cart_area-[0-9a-f]{16}\.(bin|wasm)$/, (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
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
