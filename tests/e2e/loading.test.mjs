// How the release build loads: a first visit fetches the shared core and the opened area's pack
// only, with the page's first API reads begun beside them; the likely next areas follow in the
// background once the page has shown, and an area whose code cannot be fetched says so and
// recovers on retry.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { api, expectEventually, scrollToForms, scrollToMessages, signedInPage, signIn, suite, unstyledClasses } from './harness.mjs';

const env = suite({ before, after });

/** The app code the page requested, in order: `pack <area>` for an area's pack (`pack <part>
 * (rest)` for a part of a page already here: the part's modules that page did not bring;
 * `pack <area>.<part>` for both in one, when the visit wants the part at once),
 * `module <name>` for a single module (`split_<area>` or `chunk_<n>`). */
function watchCode(page) {
  const code = [];
  page.on('request', (r) => {
    const m = new URL(r.url()).pathname.match(/^\/(?:pack_([\w.]+?)-[0-9a-f]{16}\.(rest\.)?bin|((?:split|chunk)_\w+?)-[0-9a-f]{16}\.wasm)$/);
    if (m) code.push(m[1] ? `pack ${m[1]}${m[2] ? ' (rest)' : ''}` : `module ${m[3]}`);
  });
  return code;
}

/** A signed-in follower's page whose module `name` (its pack, or its own file) cannot be fetched
 * until `unblock()`: the network failing just for that download. `user` is who is signed in. */
async function pageWithCodeBlocked(name, user = 'u-xiaoman') {
  await env.server.reset();
  const session = await signIn(env.server, user);
  const { page } = await signedInPage(env.browser, session);
  let blocked = true;
  const file = new RegExp(`/(pack|split)_${name}-[0-9a-f]{16}\\.(rest\\.bin|bin|wasm)$`);
  await page.route(file, (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  return { page, session, unblock: () => { blocked = false; } };
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
  // (Fetching ahead goes on meanwhile: once the cart has shown, its own parts come first.)
  assert.ok(!code.slice(before).some((c) => c === 'pack cart_area' || c === 'module split_cart_area'), `the cart opened without fetching its code: ${code.slice(before).join(', ')}`);
  assert.deepEqual(problems(), []);
  await page.context().close();
});

test('English comes as a file and a module of its own, only when wanted, and a page never shows in Chinese first', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const englishFetched = (urls) => urls.filter((u) => /\/english-[0-9a-f]{16}\.txt$/.test(u) || /\/(pack|split)_lang_english-/.test(u));
  // A Chinese phone: neither at start nor fetched ahead.
  {
    const { page, problems } = await signedInPage(env.browser, session);
    const urls = [];
    page.on('request', (r) => urls.push(r.url()));
    await page.goto(env.server.base + '/');
    await page.waitForSelector('.home-name');
    await page.waitForTimeout(3000);
    assert.deepEqual(englishFetched(urls), [], 'a Chinese visit does not download English');
    assert.match(await page.textContent('nav.tabbar'), /首页/);
    // Chosen on the home page: fetched then, and shown.
    await page.click('.home-header button:has-text("English")');
    await page.waitForFunction(() => /Home/.test(document.querySelector('nav.tabbar')?.textContent || ''), null, { timeout: 10_000 });
    assert.equal(englishFetched(urls).length, 2, `the texts and the module: ${englishFetched(urls).join(', ')}`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.deepEqual(problems(), []);
    await page.context().close();
  }
  // An English phone: the first thing the app paints over the skeleton is already English.
  {
    const { page, problems } = await signedInPage(env.browser, session, { locale: 'en-US' });
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        const tabs = document.querySelector('nav.tabbar');
        if (tabs && tabs.textContent.trim()) {
          window.__firstTabs = tabs.textContent;
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true, characterData: true });
    });
    const code = watchCode(page);
    await page.goto(env.server.base + '/cart');
    await page.waitForSelector('.cart-line');
    assert.match(await page.evaluate(() => window.__firstTabs), /Home/, 'the tab bar was English from its first paint');
    assert.doesNotMatch(await page.evaluate(() => window.__firstTabs), /首页/);
    assert.match(await page.textContent('.page-title'), /Cart/);
    assert.ok(code.includes('pack lang_english') && code.includes('pack cart_area'), code.join(', '));
    assert.deepEqual(problems(), []);
    await page.context().close();
  }
});

test('the comment thread and the picture preview are not in the feed\'s first download: they are the first things fetched ahead, and then open without fetching code', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const { page, problems } = await signedInPage(env.browser, session);
  const code = watchCode(page);
  await page.goto(env.server.base + '/moments');
  await page.waitForSelector('.moment');
  // (The pull gesture installs itself once the feed has shown: its part may already be coming.)
  assert.equal(code[0], 'pack moments_area', 'the feed needs its own pack');
  assert.ok(code.slice(1).every((c) => c === 'pack moments_pull (rest)'), `and nothing else before it shows: ${code.join(', ')}`);
  // Fetched ahead one download at a time, the feed's parts first and each as one pack of what the
  // feed did not bring (a tap may come soon): once another area's code is asked for, theirs is here.
  const nextArea = () => code.findIndex((c) => /^(pack |module split_)(?!moments)\w+_area$/.test(c));
  for (let i = 0; i < 200 && nextArea() < 0; i++) await page.waitForTimeout(100);
  assert.deepEqual(code.slice(1, nextArea()).sort(), ['pack moments_like (rest)', 'pack moments_preview (rest)', 'pack moments_pull (rest)', 'pack moments_thread (rest)', 'pack moments_updates (rest)'], `the feed's parts come first among what is fetched ahead: ${code.join(', ')}`);
  const before = code.length;
  await page.locator('.moment:has(.moment-comments) .moment-comment').first().click();
  await page.waitForSelector('.thread-comment');
  assert.ok(!code.slice(before).some((c) => /moments_thread/.test(c)), `the thread opened from what was fetched ahead: ${code.slice(before).join(', ')}`);
  await page.goBack();
  await page.waitForSelector('.thread-comment', { state: 'hidden' });
  // Outside WeChat a picture opens the app's own preview, from what was fetched ahead too.
  const beforePreview = code.length;
  await page.locator('.moment .grid-cell').first().click();
  await page.waitForSelector('.preview .preview-slide img');
  // (Other areas' modules may still be coming in the background meanwhile.)
  assert.ok(!code.slice(beforePreview).some((c) => /moments_preview/.test(c)), `the preview opened from what was fetched ahead: ${code.slice(beforePreview).join(', ')}`);
  assert.deepEqual(problems(), []);
  await page.context().close();
});

test('a thread opened before its code is here waits for it; when it cannot be fetched the follower is told, a second tap opens it, and back closes it', { timeout: 90_000 }, async () => {
  const { page, unblock } = await pageWithCodeBlocked('moments_thread');
  await page.goto(env.server.base + '/moments');
  await page.waitForSelector('.moment');
  const comments = page.locator('.moment:has(.moment-comments) .moment-comment').first();
  await comments.click();
  await page.waitForSelector('.toast-error');
  assert.match(await page.locator('.toast-error').textContent(), /网络/, 'the follower is told it is the network');
  assert.equal(await page.locator('.thread-comment').count(), 0);
  unblock();
  await page.waitForSelector('.toast-error', { state: 'detached', timeout: 10_000 }).catch(() => {});
  await comments.click();
  await page.waitForSelector('.thread-comment');
  // Mounted late, the sheet still takes the back button: back closes it and stays on the feed.
  await page.goBack();
  await page.waitForSelector('.thread-comment', { state: 'hidden' });
  assert.equal(new URL(page.url()).pathname, '/moments');
  assert.ok((await page.locator('.moment').count()) > 0, 'the feed is still there');
  await page.context().close();
});

test('an area whose code cannot be fetched says so, and a retry opens it', { timeout: 90_000 }, async () => {
  const { page, unblock } = await pageWithCodeBlocked('cart_area');
  await page.goto(env.server.base + '/cart');
  const alert = page.locator('[role=alert]');
  await alert.waitFor({ timeout: 20_000 });
  assert.match(await alert.textContent(), /网络/, 'the follower is told it is the network');
  assert.equal(await page.locator('.crash, .crash-screen').count(), 0, 'not the crash screen');
  unblock();
  await page.click('[role=alert] button');
  await page.waitForSelector('.cart-line', { timeout: 20_000 });
  await page.context().close();
});

test('a teacher\'s save (or copy of last week) whose code cannot be fetched says it is the network and keeps the draft; the next tap saves', { timeout: 90_000 }, async () => {
  const { page, session, unblock } = await pageWithCodeBlocked('week_write', 't-chen');
  const week = (await api(env.server, session, 'GET', '/handbook/children')).body.week;
  await page.goto(`${env.server.base}/school/c-mingming/${week}`);
  // Last week's values come with the same code: the network, and the forms are as they were.
  await page.click('text=沿用上周');
  const copyToast = page.locator('.toast-error');
  await copyToast.waitFor({ timeout: 20_000 });
  assert.match(await copyToast.textContent(), /网络/, 'copying: told it is the network');
  await page.waitForSelector('.actions-row button[aria-busy=false]');
  assert.equal(await page.locator('.hb-draft').count(), 0, 'nothing copied');
  await copyToast.waitFor({ state: 'detached', timeout: 20_000 });
  // Her nap time typed: a draft.
  await page.locator('[data-section=nap] [data-field=nap_minutes] input').fill('95');
  await page.waitForSelector('[data-section=nap] .hb-draft');
  const saves = (await env.server.records()).handbook_saves.length;
  const save = '[data-section=nap] > .actions button';
  await page.click(save);
  const toast = page.locator('.toast-error');
  await toast.waitFor({ timeout: 20_000 });
  assert.match(await toast.textContent(), /网络/, 'told it is the network');
  await page.waitForSelector(`${save}[aria-busy=false]`);
  assert.equal(await page.locator('[data-section=nap] .hb-draft').count(), 1, 'still an unsent draft: nothing is lost');
  assert.equal((await env.server.records()).handbook_saves.length, saves, 'nothing was sent');
  unblock();
  await page.click(save);
  await page.waitForFunction(() => !document.querySelector('[data-section=nap] .hb-draft'), null, { timeout: 20_000 });
  assert.equal((await env.server.records()).handbook_saves.length, saves + 1, 'saved on the next tap');
  await page.context().close();
});

test('a parent\'s week shows the teacher\'s sections with the page and the parent\'s form after them; when the form\'s code cannot be fetched, a retry in its place brings it', { timeout: 90_000 }, async () => {
  const { page, session, unblock } = await pageWithCodeBlocked('week_forms', 'p-wang');
  const code = watchCode(page);
  const week = (await api(env.server, session, 'GET', '/handbook/children')).body.week;
  await page.goto(`${env.server.base}/school/c-anan/${week}`);
  await page.waitForSelector('.hb-section-readonly[data-section]');
  assert.deepEqual(code.filter((c) => !/week_forms/.test(c)), ['pack week_area'], 'the teacher\'s sections need the week\'s pack and nothing else');
  // The parent reads down to where the form goes.
  await scrollToForms(page);
  const alert = page.locator('[role=alert]');
  await alert.waitFor({ timeout: 20_000 });
  assert.match(await alert.textContent(), /网络/, 'the parent is told it is the network, where the form goes');
  assert.equal(await page.locator('.hb-section-mine').count(), 0);
  assert.ok((await page.locator('.hb-section-readonly').count()) > 0, 'the teacher\'s sections stay');
  unblock();
  await page.click('[role=alert] button');
  await page.waitForSelector('.hb-section-mine');
  await scrollToMessages(page);
  const order = await page.$$eval('[data-section]', (all) => all.map((s) => s.classList.contains('hb-section-mine')));
  assert.ok(order.indexOf(true) > 0, `the teacher's sections first, then the form: ${order}`);
  await page.context().close();
});

test('a teacher\'s week comes with her forms in one download (a parent\'s does not), and nothing of either is fetched again', { timeout: 90_000 }, async () => {
  for (const [user, wanted] of [['t-liu', ['pack week_area.week_forms']], ['p-wang', ['pack week_area']]]) {
    await env.server.reset();
    const session = await signIn(env.server, user);
    const { page, problems } = await signedInPage(env.browser, session);
    const code = watchCode(page);
    const week = (await api(env.server, session, 'GET', '/handbook/children')).body.week;
    await page.goto(`${env.server.base}/school/c-anan/${week}`);
    await page.waitForSelector(user === 't-liu' ? '.hb-section-mine' : '.hb-section-readonly[data-section]');
    assert.deepEqual(code, wanted, `${user}'s week as it shows`);
    // Then the forms (the parent's once scrolled to) and the page's other parts, fetched ahead.
    await scrollToForms(page);
    await page.waitForSelector('.hb-section-mine');
    await page.waitForTimeout(5000);
    const weeks = code.filter((c) => /week_(area|forms)/.test(c));
    assert.deepEqual(weeks, user === 't-liu' ? wanted : [...wanted, 'pack week_forms (rest)'], `${user}: the week's code once each: ${code.join(', ')}`);
    assert.equal(new Set(code).size, code.length, `nothing fetched twice: ${code.join(', ')}`);
    assert.deepEqual(problems(), []);
    await page.context().close();
  }
});

test('a teacher\'s photo field is built with its own code as she scrolls near it, without the pictures\' code: choosing a picture fetches that, then the picture is uploaded and shown', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const session = await signIn(env.server, 't-chen');
  const { page, problems } = await signedInPage(env.browser, session);
  const code = watchCode(page);
  const { week, children } = (await api(env.server, session, 'GET', '/handbook/children')).body;
  await page.goto(`${env.server.base}/school/${children[0].child_id}/${week}`);
  await page.waitForSelector('.hb-section-mine');
  assert.ok(!code.some((c) => /week_media|wechat_media/.test(c)), `her forms show without the media fields' code: ${code.join(', ')}`);
  const field = page.locator('.hb-section-mine .hb-field[data-kind=photos]');
  assert.equal(await field.count(), 0, 'the photo field, further down, is not built yet');
  // She scrolls down to it.
  for (const slot of await page.locator('.hb-section-mine .hb-media-slot').all()) await slot.scrollIntoViewIfNeeded();
  await field.locator('.picker').waitFor();
  assert.ok(code.some((c) => /week_media/.test(c)), `the media fields' code came: ${code.join(', ')}`);
  assert.ok(!code.some((c) => /wechat_media/.test(c)), `the field shows without the pictures' code: ${code.join(', ')}`);
  // Outside WeChat the button opens the file picker; a phone's picture, as the file input hands it over.
  const chooser = page.waitForEvent('filechooser');
  await field.locator('.picker').click();
  await (await chooser).setFiles({ name: 'IMG_0001.png', mimeType: 'image/png', buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP438AARAwQCgAt7gX9iz9uhAAAAABJRU5ErkJggg==', 'base64') });
  await field.locator('.hb-photo-slot img').waitFor({ timeout: 20_000 });
  assert.match(await field.locator('.hb-photo-slot img').getAttribute('src'), /\/media\//, 'the uploaded picture, from the API');
  assert.ok(code.some((c) => /wechat_media/.test(c)), `its code came with the choice: ${code.join(', ')}`);
  assert.deepEqual(problems(), []);
  await page.context().close();
});

/** The early reads `src/lib.rs` declares for `address` (`*` reads on every address). */
function earlyReadsFor(address) {
  const lib = readFileSync(new URL('../../src/lib.rs', import.meta.url), 'utf8');
  const table = lib.match(/pub const EARLY_READS: &\[\(&str, &str\)\] = &\[([\s\S]*?)\];/)[1];
  return [...table.matchAll(/\("([^"]+)", "([^"]+)"\)/g)].filter((m) => m[1] === '*' || m[1] === address).map((m) => m[2]);
}

test('a page\'s first reads are asked while its code downloads, and only once', { timeout: 120_000 }, async () => {
  for (const [address, user, content] of [['/moments', 'u-xiaoman', '.moment'], ['/', 'u-xiaoman', '.home-name'], ['/seckill', 'u-xiaoman', '.seckill-item'], ['/cart', 'u-xiaoman', '.cart-line'], ['/school', 'p-wang', '.roster-child, .cell']]) {
    await env.server.reset();
    const session = await signIn(env.server, user);
    const { page, context, problems } = await signedInPage(env.browser, session);
    // A phone's network, so "while the code downloads" is a real interval (~1 s for the main module).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 100, downloadThroughput: 1.6 * 1024 * 1024 / 8, uploadThroughput: 750 * 1024 / 8 });
    const reads = [];
    let mainModuleDone = Infinity;
    const t0 = Date.now();
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/api/v1/') && r.method() === 'GET') reads.push({ read: url.pathname.slice(7) + url.search, at: Date.now() - t0 });
    });
    page.on('requestfinished', (r) => {
      if (/\/wxfollower-[0-9a-f]{16}_bg\.wasm$/.test(r.url())) mainModuleDone = Date.now() - t0;
    });
    await page.goto(env.server.base + address);
    await page.waitForSelector(content, { timeout: 30_000 });
    await page.waitForTimeout(500);
    const early = earlyReadsFor(address);
    assert.ok(early.length >= 2, `${address}: early reads found in src/lib.rs`);
    for (const read of early) {
      const asked = reads.filter((r) => r.read === read);
      assert.equal(asked.length, 1, `${address}: ${read} is asked once (the app took the early answer): ${JSON.stringify(reads)}`);
      assert.ok(asked[0].at < mainModuleDone, `${address}: ${read} was asked at ${asked[0].at} ms, before the main module arrived at ${mainModuleDone} ms`);
      // The page's own first read is the early one, not the same resource with other parameters.
      const path = read.split('?')[0];
      assert.deepEqual(reads.filter((r) => r.read.split('?')[0] === path).map((r) => r.read), [read], `${address}: ${path} read as declared`);
    }
    // The server clock is measured by the pages whose times must be right at once (the flash
    // sale's, the home page's clock), and by the feed once it has settled; not by every start.
    const measured = () => reads.some((r) => r.read === '/time');
    const timed = ['/', '/seckill'].includes(address);
    assert.equal(measured(), timed, `${address}: the clock is ${timed ? '' : 'not '}measured: ${JSON.stringify(reads)}`);
    if (address === '/moments') {
      for (let i = 0; i < 40 && !measured(); i++) await page.waitForTimeout(250);
      assert.ok(measured(), `the feed measures the clock once it has settled: ${JSON.stringify(reads)}`);
    }
    assert.deepEqual(problems(), []);
    await context.close();
  }
});

test('early reads with a session the API no longer accepts: the page comes up as a guest, not as an error', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  await env.server.control('POST', '/sessions/expire', {});
  const { page, problems } = await signedInPage(env.browser, session);
  const answers = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/moments') answers.push(r.status());
  });
  await page.goto(env.server.base + '/moments');
  await page.waitForSelector('.moment', { timeout: 30_000 });
  assert.equal(await page.locator('[role=alert]').count(), 0, 'no error shown');
  assert.deepEqual(answers, [401, 200], 'the early read was refused, the guest\'s read answered');
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('wxf.session')));
  assert.ok(stored.user.is_guest && stored.token !== session.token, 'a new guest session replaced the refused one');
  assert.deepEqual(problems().filter((p) => !/401/.test(p)), []);
  await page.context().close();
});

test('inside WeChat the JS-SDK is set up once the page has shown, from its own module', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const { page, problems } = await signedInPage(env.browser, session, {
    userAgent: 'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002F37) NetType/WIFI Language/zh_CN',
  });
  // WeChat's jweixin, as far as set-up goes: records wx.config and answers ready.
  await page.route(/res2?\.wx\.qq\.com\/open\/js\/jweixin/, (route) => route.fulfill({
    contentType: 'application/javascript',
    body: `window.wx = new Proxy({
      config(p) { window.__wxConfig = p; setTimeout(() => this.onReady && this.onReady(), 0); },
      ready(f) { this.onReady = f; }, error() {},
    }, { get: (t, k) => (k in t ? t[k] : () => {}) });`,
  }));
  const order = [];
  page.on('request', (r) => {
    const m = new URL(r.url()).pathname.match(/^\/(?:pack_(\w+?)-|(?:split|chunk)_(wechat_sdk)\w*-)/);
    if (m) order.push(m[1] || m[2]);
  });
  await page.goto(env.server.base + '/seckill');
  await page.waitForSelector('.seckill-item');
  await page.waitForFunction(() => window.__wxConfig, null, { timeout: 20_000 });
  const config = await page.evaluate(() => window.__wxConfig);
  assert.equal(config.appId, 'wxstandin0000001');
  assert.match(config.signature, /^[0-9a-f]{40}$/, 'signed by the API');
  assert.ok(order.indexOf('wechat_sdk') > order.indexOf('seckill_area') && order.indexOf('seckill_area') >= 0, `the SDK's code comes after the page's: ${order.join(', ')}`);
  assert.deepEqual(problems(), []);
  await page.context().close();
});

test('a cart change made while the sending code cannot be fetched waits, and is sent once it can', { timeout: 90_000 }, async () => {
  const { page, session, unblock } = await pageWithCodeBlocked('cart_sync');
  await page.goto(env.server.base + '/cart');
  await page.waitForSelector('.store');
  const line = page.locator('.store .cart-line').first();
  const title = await line.locator('.line-title').textContent();
  const q0 = Number(await line.locator('.stepper-value').textContent());
  await line.locator('.stepper-button').last().click();
  await page.waitForSelector('.sync-banner');
  assert.equal(Number(await line.locator('.stepper-value').textContent()), q0 + 1, 'shown at once');
  const saved = async () => (await api(env.server, session, 'GET', '/cart')).body.stores.flatMap((s) => s.lines).find((l) => l.title === title).quantity;
  assert.equal(await saved(), q0, 'not sent while its code cannot be fetched');
  unblock();
  await page.click('.sync-banner button');
  await page.waitForSelector('.sync-banner', { state: 'detached' });
  await expectEventually(saved, q0 + 1);
  await page.context().close();
});

test('every page has its rules: an area\'s own stylesheet is there before its page is built, on a first visit and after a navigation', { timeout: 240_000 }, async () => {
  await env.server.reset();
  const sessions = { 'u-xiaoman': await signIn(env.server, 'u-xiaoman'), 'p-wang': await signIn(env.server, 'p-wang'), 'p-zhang': await signIn(env.server, 'p-zhang'), 't-chen': await signIn(env.server, 't-chen') };
  const firstVisits = [
    ['u-xiaoman', '/', '.home-hello'],
    ['u-xiaoman', '/cart', '.cart-line'],
    ['u-xiaoman', '/shop', '.product'],
    ['u-xiaoman', '/checkout', '.checkout-summary'],
    ['u-xiaoman', '/seckill', '.seckill-item'],
    ['u-xiaoman', '/moments', '.moment'],
    ['u-xiaoman', '/menu', '.menubar-button'],
    ['u-xiaoman', '/menu/preview', '.phone-frame'],
    ['u-xiaoman', '/preview/widgets', '.open-popover'],
    ['u-xiaoman', '/preview', '.gallery-entry'],
    ['p-wang', '/school', '.roster-child'],
    ['p-zhang', '/school/notices', '.notice-unread'],
    ['p-zhang', '/school/leave', '.leave-form'],
    ['t-chen', '/school', '.roster-child'],
  ];
  for (const [user, address, shown] of firstVisits) {
    const { page, context } = await signedInPage(env.browser, sessions[user]);
    await page.goto(env.server.base + address);
    await page.waitForSelector(shown);
    assert.deepEqual(await unstyledClasses(page), [], `${address} as ${user}: classes without their rules`);
    if (address === '/school' && user === 't-chen') {
      // Into another area by a tap: the week editor, its rules fetched by the loader.
      await page.click('.roster-child >> nth=0');
      await page.waitForSelector('.hb-section');
      assert.deepEqual(await unstyledClasses(page), [], 'the week page after a tap: classes without their rules');
    }
    if (address === '/school/notices') {
      await page.click('.notice-unread >> nth=0');
      await page.waitForSelector('.notice-detail');
      assert.deepEqual(await unstyledClasses(page), [], 'a notice: classes without their rules');
    }
    if (address === '/') {
      await page.click('.tab[href="/seckill"]');
      await page.waitForSelector('.seckill-item');
      assert.deepEqual(await unstyledClasses(page), [], 'the seckill page after a tap: classes without their rules');
    }
    await context.close();
  }
});

test('an area\'s stylesheet that cannot be fetched is a network error with a retry, not an unstyled page', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const { page, context } = await signedInPage(env.browser, session);
  let blocked = true;
  await page.route(/\/app_seckill_area-[0-9a-f]{16}\.css$/, (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  await page.goto(env.server.base + '/');
  await page.waitForSelector('.home-hello');
  await page.click('.tab[href="/seckill"]');
  const alert = page.locator('[role=alert]');
  await alert.waitFor({ timeout: 20_000 });
  assert.match(await alert.textContent(), /网络/, 'the follower is told it is the network');
  assert.equal(await page.locator('.seckill-item').count(), 0, 'no page built without its rules');
  blocked = false;
  await page.click('[role=alert] button');
  await page.waitForSelector('.seckill-item', { timeout: 20_000 });
  assert.deepEqual(await unstyledClasses(page), []);
  await context.close();
});
