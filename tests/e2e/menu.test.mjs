// The account menu as a follower uses it, and the previewer as an operator does.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { phonePage, suite } from './harness.mjs';

const env = suite({ before, after });

test('tapping a click button shows the account reply', async () => {
  const { page, problems } = await phonePage(env.browser);
  await page.goto(env.server.base + '/menu');
  await page.waitForSelector('.menubar-button');
  assert.equal(await page.locator('.tabbar').count(), 0, 'the menu bar takes the tab bar place');
  assert.equal(await page.locator('.menubar-button').count(), 3);
  await page.click('.menubar-button >> text=联系我们');
  await page.waitForSelector('.bubble-theirs');
  assert.match(await page.textContent('.bubble-theirs'), /400-820-0000/);
  const records = await env.server.records();
  assert.equal(records.menu_events.at(-1).event.key, 'CONTACT_US');
  // A sub-menu item answered with article cards whose links were checked.
  await page.click('.menubar-button >> nth=0');
  await page.click('[role=menuitem] >> text=今日推荐');
  await page.waitForSelector('.article[href^="https://mp.example.com/"]');
  // Back closes an open sub-menu and stays on the page.
  await page.click('.menubar-button >> nth=1');
  await page.waitForSelector('[role=menu]');
  await page.goBack();
  await page.waitForSelector('[role=menu]', { state: 'detached' });
  assert.match(page.url(), /\/menu$/);
  assert.deepEqual(problems(), []);
  await page.context().close();
});

test('scan and location buttons work outside WeChat', async () => {
  const { page, context } = await phonePage(env.browser);
  await context.grantPermissions(['geolocation'], { origin: env.server.base });
  await context.setGeolocation({ latitude: 30.583, longitude: 114.267 });
  await page.goto(env.server.base + '/menu');
  await page.click('.menubar-button >> text=服务');
  await page.click('[role=menuitem] >> text=附近门店');
  await page.waitForSelector('.bubble-theirs');
  assert.match(await page.textContent('.bubble-theirs'), /武汉广场店/);
  await page.click('.menubar-button >> text=服务');
  await page.click('[role=menuitem] >> text=扫码查价');
  await page.waitForSelector('.panel-half input');
  await page.fill('.panel-half input', '6901234567892');
  await page.click('.panel-half .btn-primary');
  await page.waitForFunction(() => [...document.querySelectorAll('.bubble-theirs')].some((b) => b.textContent.includes('6901234567892')));
  await context.close();
});

test('the previewer lists every problem of a broken menu and shares it by link', async () => {
  const { page, problems } = await phonePage(env.browser, { locale: 'en-US' });
  await page.goto(env.server.base + '/menu/preview');
  await page.waitForSelector('textarea');
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('wxf.session')).token);
  const broken = await (await fetch(env.server.base + '/api/v1/menu', { headers: { authorization: `Bearer ${token}`, 'x-scenario': 'invalid_menu' } })).text();
  await page.fill('textarea', broken);
  await page.waitForSelector('.problem');
  const listed = await page.$$eval('.problem', (items) => items.map((i) => ({ path: i.dataset.path, text: i.textContent })));
  for (const [path, code] of [['button', '40016'], ['button[0].name', '40018'], ['button[1]', '40017'], ['button[1].sub_button[0].url', '40055'], ['button[1].sub_button[1].type', '40024'], ['button[1].sub_button[2].key', null]]) {
    const found = listed.find((p) => p.path === path);
    assert.ok(found, `lists ${path}: ${JSON.stringify(listed)}`);
    if (code) assert.ok(found.text.includes(code), `${path} carries WeChat's code ${code}`);
  }
  assert.ok(await page.locator('.menubar-preview .menubar-invalid').count() >= 2, 'broken buttons are marked');
  // The pasted menu is kept as a draft across a reload.
  await page.reload();
  await page.waitForSelector('.problem');
  assert.equal(await page.locator('.problem').count(), listed.length, 'the draft survives a reload');
  // Tapping a button says what it would do.
  await page.click('.menubar-preview .menubar-button >> text=官网');
  assert.match(await page.textContent('.would'), /open https:\/\/shop\.example\.com\//);
  // Share by link: the same preview opens from it.
  await page.click('.share-preview');
  await page.waitForFunction(() => location.hash.startsWith('#m='));
  const link = page.url();
  const other = await phonePage(env.browser, { locale: 'en-US' });
  await other.page.goto(link);
  await other.page.waitForSelector('.problem');
  assert.equal(await other.page.locator('.problem').count(), listed.length);
  assert.deepEqual(problems(), []);
  await page.context().close();
  await other.page.context().close();
});
