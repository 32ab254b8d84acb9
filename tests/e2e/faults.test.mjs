// The fault matrix: each main write flow × each fault the network or the API can throw at it.
// A cell passes when the page says what happened (or recovers on its own), the person
// recovers by retrying or signing in again without retyping, and the stand-in's records show
// the effect exactly once. The matrix is printed as a table at the end.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, scrollToForms, signedInPage, signIn, suite } from './harness.mjs';

const env = suite({ before, after });

// One occurrence of each fault; write faults also run "after" the handler (the write happened,
// the answer was lost), the case idempotency keys exist for.
const FAULTS = {
  'latency 3 s': { kind: 'latency', latency_ms: 3000 },
  'HTTP 500': { kind: 'error' },
  '503 + Retry-After': { kind: 'unavailable', retry_after_s: 1 },
  'timeout': { kind: 'timeout', after: true },
  'dropped connection': { kind: 'drop', after: true },
  'malformed JSON': { kind: 'malformed', after: true },
  'wrong shape': { kind: 'wrong_shape', after: true },
  '401 expired': { kind: 'unauthorized' },
  '429 too many': { kind: 'too_many', retry_after_s: 1 },
};

/** Waits for the first of several outcomes; returns its name. */
async function first(page, outcomes, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const [name, check] of Object.entries(outcomes)) {
      if (await check()) return name;
    }
    await page.waitForTimeout(100);
  }
  return 'nothing';
}

const FLOWS = {
  'menu event': {
    user: 'u-xiaoman',
    label: '粉丝 · 林小满',
    rule: { path: '/menu/events', method: 'POST' },
    // A click event is WeChat's kind of message: sent again after a lost answer, it is answered
    // again (no purchase rides on it), so "at least once" is the promise here.
    atLeastOnce: true,
    async open(page) {
      await page.goto(env.server.base + '/menu');
      await page.waitForSelector('.menubar-button');
    },
    act: (page) => page.click('.menubar-button >> text=联系我们'),
    done: (page) => page.locator('.bubble-theirs:has-text("400-820-0000")').count().then((n) => n > 0),
    failed: (page) => page.locator('[role=alert] button').count().then((n) => n > 0),
    retry: (page) => page.click('[role=alert] button'),
    async redo(page) { await this.open(page); await this.act(page); },
    count: (records) => records.menu_events.filter((e) => e.event.key === 'CONTACT_US').length,
  },
  'cart checkout': {
    user: 'u-xiaoman',
    label: '粉丝 · 林小满',
    rule: { path: '/orders', method: 'POST' },
    async open(page) {
      await page.goto(env.server.base + '/cart');
      await page.waitForSelector('.checkout:not([disabled])');
      await page.click('.checkout');
      await page.waitForSelector('.checkout-total');
    },
    act: (page) => page.click('text=提交订单'),
    done: (page) => Promise.resolve(/\/orders\/./.test(new URL(page.url()).pathname)),
    failed: (page) => page.locator('.toast:not(.toast-success)').count().then((n) => n > 0),
    retry: (page) => page.click('text=提交订单'),
    async redo(page) { await this.open(page); await this.act(page); },
    count: (records) => records.orders_created.filter((o) => o.kind === 'cart').length,
  },
  'comment post': {
    user: 'u-xiaoman',
    label: '粉丝 · 林小满',
    rule: { path: '/moments/', method: 'POST' },
    async open(page) {
      await page.goto(env.server.base + '/moments');
      await page.locator('.moment').first().locator('.moment-comment').click();
      await page.waitForSelector('.thread-composer textarea');
    },
    async act(page) {
      await page.fill('.thread-composer textarea', '矩阵测试评论');
      await page.click('.thread-send');
    },
    done: (page) => page.locator('.thread-comment[data-state=Sent]:has-text("矩阵测试评论")').count().then((n) => n > 0),
    failed: (page) => page.locator('.thread-comment[data-state=Failed]').count().then((n) => n > 0),
    retry: (page) => page.click('.thread-comment[data-state=Failed] .thread-retry'),
    // After signing in again the thread is closed: open it and say it again.
    async redo(page) { await this.open(page); await this.act(page); },
    count: (records) => records.comments_created.filter((c) => c.kind === 'moment').length,
  },
  'handbook save': {
    user: 'p-wang',
    label: '家长 · 乐乐妈妈',
    rule: { path: '/handbook/children/c-anan/weeks/', method: 'PUT' },
    async open(page) {
      const week = (await api(env.server, await signIn(env.server, 'p-wang'), 'GET', '/handbook/children')).body.week;
      await page.goto(`${env.server.base}/school/c-anan/${week}`);
      await scrollToForms(page);
      await page.waitForSelector('[data-section=home] [data-field=home_notes] textarea');
    },
    async act(page) {
      const notes = page.locator('[data-section=home] [data-field=home_notes] textarea');
      if ((await notes.inputValue()) !== '矩阵测试') {
        await notes.fill('矩阵测试');
        await page.click('[data-section=home] [data-field=ack] [role=switch]');
      }
      await page.click('[data-section=home] > .actions button');
    },
    done: (page) => page.locator('[data-section=home] .hb-draft').count().then((n) => n === 0),
    // The success toast ("已保存") is not a failure: counting it raced the draft mark going away.
    failed: (page) => page.locator('.toast:not(.toast-success), [role=alert]').count().then((n) => n > 0),
    retry: (page) => page.click('[data-section=home] > .actions button'),
    // The draft came back with the page: saving again is one tap.
    async redo(page) { await page.waitForSelector('[data-section=home] .hb-draft'); await page.click('[data-section=home] > .actions button'); },
    count: (records) => records.handbook_saves.filter((s) => s.section_id === 'home').length,
  },
  'seckill grab': {
    user: 'u-xiaoman',
    label: '粉丝 · 林小满',
    rule: { path: '/seckill/items/', method: 'POST' },
    async open(page) {
      await page.goto(env.server.base + '/seckill');
      await page.waitForSelector('.seckill-item[data-state=Live] button:not([disabled])');
    },
    act: (page) => page.click('.seckill-item[data-state=Live] button'),
    done: (page) => Promise.resolve(/\/orders\//.test(page.url())),
    failed: (page) => page.locator('.toast:not(.toast-success)').count().then((n) => n > 0),
    async retry(page) {
      await page.waitForSelector('.seckill-item[data-state=Live] button:not([disabled]), .seckill-item[data-state=LimitReached]', { timeout: 15_000 });
      if (await page.locator('.seckill-item[data-state=Live] button:not([disabled])').count()) await page.click('.seckill-item[data-state=Live] button');
    },
    async redo(page) { await this.open(page); await this.act(page); },
    count: (records) => records.orders_created.filter((o) => o.kind === 'seckill').length,
  },
};

const matrix = {};

for (const [flowName, flow] of Object.entries(FLOWS)) {
  for (const [faultName, fault] of Object.entries(FAULTS)) {
    test(`${flowName} × ${faultName}`, { timeout: 90_000 }, async () => {
      matrix[flowName] ??= {};
      matrix[flowName][faultName] = 'FAIL';
      await env.server.reset();
      const session = await signIn(env.server, flow.user);
      const { page, problems } = await signedInPage(env.browser, session);
      await flow.open(page);
      await env.server.faults([{ ...flow.rule, ...fault, times: 1 }]);
      await flow.act(page);
      if (fault.kind === 'unauthorized') {
        // The session is refused: sign in again, come back, carry on without retyping.
        await page.waitForURL('**/__standin/oauth/authorize**', { timeout: 15_000 });
        await page.click(`text=${flow.label}`);
        await page.waitForURL((u) => !u.pathname.startsWith('/__standin'));
        await flow.redo(page);
      }
      let outcome = await first(page, { done: () => flow.done(page), failed: () => flow.failed(page) });
      if (outcome === 'failed') {
        await page.waitForTimeout(fault.retry_after_s ? fault.retry_after_s * 1000 + 200 : 200);
        await flow.retry(page);
        outcome = await first(page, { done: () => flow.done(page) });
      }
      assert.equal(outcome, 'done', 'recovered');
      const records = await env.server.records();
      if (flow.atLeastOnce) assert.ok(flow.count(records) >= 1, 'the event arrived');
      else assert.equal(flow.count(records), 1, 'the effect happened exactly once');
      assert.deepEqual(problems().filter((p) => !/401|Failed to fetch|ERR_|network/i.test(p)), []);
      matrix[flowName][faultName] = 'pass';
      await page.context().close();
    });
  }
}

after(() => {
  const faults = Object.keys(FAULTS);
  const width = Math.max(...Object.keys(FLOWS).map((f) => f.length));
  const lines = [`${''.padEnd(width)} | ${faults.join(' | ')}`];
  for (const flow of Object.keys(FLOWS)) {
    lines.push(`${flow.padEnd(width)} | ${faults.map((f) => (matrix[flow]?.[f] ?? '—').padEnd(f.length)).join(' | ')}`);
  }
  console.log(`\nFault matrix (flow × fault → pass/FAIL)\n${lines.join('\n')}\n`);
});
