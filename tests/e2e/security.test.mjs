// Hardening as a follower's browser meets it: the built page carries a Content-Security-Policy
// that the app lives within, and hostile text and links placed by the API in every human text
// field (the stand-in's `hostile` fault) never run, never become links, and never break layout.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, scrollToMessages, signedInPage, signIn, suite } from './harness.mjs';

const env = suite({ before, after });

/** Counts CSP violations in the page from the first script on. */
async function watchViolations(context) {
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

test('the built page has a strict policy and the app runs within it', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const html = await (await fetch(env.server.base + '/')).text();
  const policy = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1];
  assert.ok(policy, 'a policy is in the page');
  const script = policy.split(';').find((d) => d.trim().startsWith('script-src'));
  assert.ok(!/'unsafe-inline'|'unsafe-eval'/.test(script), `no inline or eval script: ${script}`);
  assert.match(policy, /object-src 'none'/);
  assert.match(policy, /base-uri 'none'/);
  const session = await signIn(env.server, 'u-xiaoman');
  const { page, context, problems } = await signedInPage(env.browser, session);
  await watchViolations(context);
  for (const path of ['/', '/cart', '/seckill', '/moments', '/shop']) {
    await page.goto(env.server.base + path);
    await page.waitForSelector('.page-title, .home-name');
    await page.waitForTimeout(300);
    assert.deepEqual(await page.evaluate(() => window.__violations), [], `no violation on ${path}`);
  }
  assert.deepEqual(problems(), []);
  await page.context().close();
});

const PAGES = {
  'u-xiaoman': ['/', '/menu', '/cart', '/shop', '/seckill', '/moments', '/orders', '/checkout'],
  'p-wang': ['/school', '/school/notices', '/school/leave', '/school/c-anan/WEEK'],
};

test('hostile text and links from the API never run, never link, never break the layout', { timeout: 180_000 }, async () => {
  await env.server.reset();
  const week = (await api(env.server, await signIn(env.server, 'p-wang'), 'GET', '/handbook/children')).body.week;
  const notice = (await api(env.server, await signIn(env.server, 'p-wang'), 'GET', '/notices')).body.notices[0].notice_id;
  PAGES['p-wang'].push(`/school/notices/${notice}`);
  // Every answer from here on has its names, titles, texts and links replaced.
  await env.server.faults([{ kind: 'hostile' }]);
  for (const [user, paths] of Object.entries(PAGES)) {
    const session = await signIn(env.server, user);
    const { page, problems } = await signedInPage(env.browser, session);
    for (const p of paths) {
      const path = p.replace('WEEK', week);
      await page.goto(env.server.base + path);
      await page.waitForSelector('.page-title, .home-name, .state');
      // Down to the end: what is built as it comes near the screen (a parent's form and the
      // week's messages) is checked too.
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      if (await page.locator('.hb-forms').count()) await scrollToMessages(page);
      await page.waitForTimeout(500);
      const report = await page.evaluate(() => ({
        pwned: window.__pwned,
        injected: [...document.querySelectorAll('#app script, #app iframe, #app svg[onload], #app img[onerror], #app [onclick], #app [onerror]')].map((e) => e.outerHTML.slice(0, 80)),
        badLinks: [...document.querySelectorAll('#app a[href]')].map((a) => a.getAttribute('href')).filter((h) => /^(javascript|data):|^\/\/|@/i.test(h)),
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        // Shown as text, or refused with a clear state (a menu WeChat would reject is not shown).
        shows: /<img|<script|<svg|<iframe|<a h|gpj|7\*7|𝕌|零/.test(document.body.innerText) || !!document.querySelector('#app .state, #app .menubar-empty'),
      }));
      assert.equal(report.pwned, undefined, `no script ran on ${path}`);
      assert.deepEqual(report.injected, [], `no markup from the API on ${path}`);
      assert.deepEqual(report.badLinks, [], `no unsafe link on ${path}`);
      assert.ok(report.overflow <= 1, `nothing wider than the phone on ${path} (${report.overflow}px)`);
      assert.ok(report.shows, `the hostile text is shown as text on ${path}`);
    }
    assert.deepEqual(problems(), []);
    await page.context().close();
  }
});

test('a shared link picks no scenario, theme or language unless previews are on, and never a remembered one', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const { page, context, problems } = await signedInPage(env.browser, session);
  const withScenario = [];
  page.on('request', (r) => { if (r.headers()['x-scenario']) withScenario.push(r.url()); });
  // As deployed against a real API: the page without `wxf:preview`.
  await page.route((url) => url.pathname === '/cart', async (route) => {
    const html = await (await route.fetch()).text();
    assert.match(html, /<meta name="wxf:preview" content="on">/);
    await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html.replace(/<meta name="wxf:preview"[^>]*>/, '') });
  });
  await page.goto(env.server.base + '/cart?scenario=empty&theme=dark&lang=en');
  await page.waitForSelector('.cart-line');
  assert.deepEqual(withScenario, [], 'no request carries the scenario');
  assert.notEqual(await page.getAttribute('html', 'data-theme'), 'dark');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.match(await page.textContent('.page-title'), /购物车/);
  // With previews on (the stand-in's page): the address is honoured for that visit only.
  await page.goto(env.server.base + '/?theme=dark&lang=en');
  await page.waitForSelector('.home-name');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.goto(env.server.base + '/');
  await page.waitForSelector('.home-name');
  assert.notEqual(await page.getAttribute('html', 'data-theme'), 'dark', 'a previewed theme is not remembered');
  assert.notEqual(await page.getAttribute('html', 'lang'), 'en', 'a previewed language is not remembered');
  assert.deepEqual(problems(), []);
  await context.close();
});
