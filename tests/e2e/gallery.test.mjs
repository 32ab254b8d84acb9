// The designer gallery: every entry renders the real page in three phone frames without a
// console error, an uncaught error or the crash screen; switches and deep links work.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { phonePage, suite } from './harness.mjs';

const env = suite({ before, after });

test('every gallery entry renders in every phone frame without an error', { timeout: 600_000 }, async () => {
  await env.server.reset();
  const { page, problems } = await phonePage(env.browser);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(env.server.base + '/preview');
  await page.waitForSelector('.gallery-entry');
  const ids = await page.$$eval('.gallery-entry', (links) => links.map((a) => a.dataset.entry));
  assert.ok(ids.length >= 35, `every state is listed (${ids.length})`);
  for (const id of ids) {
    await page.goto(`${env.server.base}/preview?entry=${id}&theme=${id.length % 2 ? 'dark' : 'light'}&lang=${id.length % 3 ? 'zh' : 'en'}`);
    await page.waitForSelector('.phone-screen');
    assert.equal(await page.locator('.phone-screen').count(), 3, `${id}: three phones`);
    for (const frame of page.frames().filter((f) => f !== page.mainFrame())) {
      await frame.waitForSelector('.page-title, .home-name, .state, .menubar', { timeout: 20_000 });
      assert.equal(await frame.locator('#crash').count(), 0, `${id}: no crash screen`);
    }
    assert.deepEqual(problems(), [], `${id}: no console or uncaught error`);
  }
  await page.context().close();
});

test('a deep link opens its entry with its theme and language', async () => {
  const { page, problems } = await phonePage(env.browser);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(`${env.server.base}/preview?entry=moments.video&theme=dark&lang=en`);
  await page.waitForSelector('.phone-screen');
  const frame = page.frames().find((f) => f !== page.mainFrame());
  await frame.waitForSelector('.moment-video');
  assert.equal(await frame.evaluate(() => document.documentElement.getAttribute('data-theme')), 'dark');
  assert.match(await frame.textContent('.page-title'), /[A-Za-z]/, 'in English');
  assert.equal(await page.getAttribute('.gallery-entry[aria-current=page]', 'data-entry'), 'moments.video');
  assert.deepEqual(problems(), []);
  await page.context().close();
});
