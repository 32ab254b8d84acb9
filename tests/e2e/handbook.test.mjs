// The home-school handbook as a teacher and a parent use it: the teacher fills a child's week
// (copying last week's values) and sends it; the parent opens it (the teacher sees it read),
// starts a reply, reloads mid-typing and finds the draft, the save fails once and succeeds on
// retry; the teacher sees the reply. Plus notices with receipts and a leave request decided.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, scrollToForms, signedInPage, signIn, suite } from './harness.mjs';

const env = suite({ before, after });

const TEACHER_SECTIONS = ['meals', 'nap', 'mood_health', 'self_care', 'learning', 'teacher_comment'];

test('a week goes from teacher to parent and back, and nothing typed is lost', { timeout: 120_000 }, async () => {
  await env.server.reset();
  const teacher = await signIn(env.server, 't-chen');
  const { page: t, problems: tProblems } = await signedInPage(env.browser, teacher);
  await t.goto(env.server.base + '/school');
  // The roster filters by status: 明轩 has not been started this week.
  await t.click('[role=tab]:has-text("未开始")');
  await t.click('.roster-child:has-text("王明轩"), .roster-child:has-text("明轩")');
  await t.waitForSelector('.hb-section-mine');
  const week = new URL(t.url()).pathname.split('/').at(-1);
  // Teacher speed: last week's values fill every section; each is then saved.
  await t.click('text=沿用上周');
  await t.waitForSelector('.hb-section-mine .hb-draft');
  for (const id of TEACHER_SECTIONS) {
    await t.click(`.hb-section[data-section=${id}] > .actions button`);
    await t.waitForFunction((id) => !document.querySelector(`.hb-section[data-section=${id}] .hb-draft`), id);
  }
  await t.click('text=发送给家长');
  await t.waitForSelector('.week-status[data-status=Sent]');

  // The parent opens the week: the teacher's sections read-only, their own a form.
  const parent = await signIn(env.server, 'p-chen');
  const { page: p, problems: pProblems } = await signedInPage(env.browser, parent);
  await p.goto(`${env.server.base}/school/c-mingming/${week}`);
  await p.waitForSelector('.hb-section-readonly[data-section=meals]');
  // The teacher's sections show with the page; the parent's form is built, with its code, when
  // the parent scrolls down to it.
  assert.equal(await p.locator('.hb-section-mine').count(), 0, 'no form before the parent is near it');
  await scrollToForms(p);
  await p.waitForSelector('.hb-section-mine[data-section=home]');
  const order = await p.$$eval('[data-section]', (all) => all.map((s) => s.dataset.section));
  assert.ok(order.indexOf('meals') < order.indexOf('home'), `the schema's order: ${order}`);
  // The read receipt reached the teacher.
  const seen = await api(env.server, teacher, 'GET', '/handbook/children');
  assert.equal(seen.body.children.find((c) => c.child_id === 'c-mingming').week_status, 'read');

  // A reply, half typed, survives a reload.
  const notes = p.locator('.hb-section[data-section=home] [data-field=home_notes] textarea');
  await notes.fill('在家睡得很好，周末去了公园');
  await p.waitForSelector('.hb-section[data-section=home] .hb-draft');
  await p.reload();
  await p.waitForSelector('.hb-section[data-section=home] .hb-draft');
  assert.equal(await notes.inputValue(), '在家睡得很好，周末去了公园', 'the draft is back after a reload');

  // Required acknowledgement missing: caught before any request.
  const before = (await env.server.records()).handbook_saves.length;
  await p.click('.hb-section[data-section=home] > .actions button');
  await p.waitForSelector('.hb-section[data-section=home] [data-field=ack] .field-error');
  assert.equal((await env.server.records()).handbook_saves.length, before, 'nothing sent with a missing field');
  await p.click('.hb-section[data-section=home] [data-field=ack] [role=switch]');

  // The save fails once; the draft stays; the retry succeeds.
  await env.server.faults([{ kind: 'error', path: '/handbook/children/c-mingming', method: 'PUT', times: 1 }]);
  await p.click('.hb-section[data-section=home] > .actions button');
  await p.waitForSelector('.toast:has-text("服务器"), .toast-error, [role=alert]');
  assert.ok(await p.locator('.hb-section[data-section=home] .hb-draft').count() === 1, 'still a draft after the failure');
  await p.click('.hb-section[data-section=home] > .actions button');
  await p.waitForFunction(() => !document.querySelector('.hb-section[data-section=home] .hb-draft'));
  await p.reload();
  await scrollToForms(p);
  await p.waitForSelector('.hb-section[data-section=home]');
  assert.equal(await notes.inputValue(), '在家睡得很好，周末去了公园', 'saved on the server');

  // The teacher sees the reply.
  await t.reload();
  await t.waitForSelector('.week-status[data-status=Replied]');
  assert.match(await t.textContent('.hb-section[data-section=home]'), /在家睡得很好/);
  assert.deepEqual(tProblems(), []);
  assert.deepEqual(pProblems(), []);
  await t.context().close();
  await p.context().close();
});

test('a save against a version that moved shows both and keeps what the parent chooses', { timeout: 90_000 }, async () => {
  await env.server.reset();
  // 朵朵's week is sent; her father edits on two phones.
  const parent = await signIn(env.server, 'p-li');
  const { page, problems } = await signedInPage(env.browser, parent);
  const list = await api(env.server, parent, 'GET', '/handbook/children');
  const week = list.body.week;
  await page.goto(`${env.server.base}/school/c-duoduo/${week}`);
  await scrollToForms(page);
  await page.waitForSelector('.hb-section-mine[data-section=home]');
  const notes = page.locator('[data-section=home] [data-field=home_notes] textarea');
  await notes.fill('手机上写的');
  await page.click('[data-section=home] [data-field=ack] [role=switch]');
  // Meanwhile the other phone saves first.
  const current = await api(env.server, parent, 'GET', `/handbook/children/c-duoduo/weeks/${week}`);
  const saved = await api(env.server, parent, 'PUT', `/handbook/children/c-duoduo/weeks/${week}/sections/home`, { version: current.body.version, values: { home_notes: '平板上写的', ack: true } });
  assert.equal(saved.status, 200);
  await page.click('[data-section=home] > .actions button');
  await page.waitForSelector('.hb-conflict');
  const text = await page.textContent('.hb-conflict');
  assert.match(text, /手机上写的/);
  assert.match(text, /平板上写的/);
  await page.click('.hb-conflict .keep-mine');
  await page.waitForFunction(() => !document.querySelector('.hb-conflict') && !document.querySelector('[data-section=home] .hb-draft'));
  const after = await api(env.server, parent, 'GET', `/handbook/children/c-duoduo/weeks/${week}`);
  assert.equal(after.body.values.home.home_notes, '手机上写的', 'mine kept, as chosen');
  assert.deepEqual(problems(), []);
  await page.context().close();
});

test('a notice is read once and the teacher sees it; a leave request is decided', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const parent = await signIn(env.server, 'p-zhang');
  const { page, problems } = await signedInPage(env.browser, parent);
  await page.goto(env.server.base + '/school/notices');
  await page.click('.notice-unread >> nth=0');
  await page.waitForSelector('.notice-detail');
  const noticeId = new URL(page.url()).pathname.split('/').at(-1);
  const teacher = await signIn(env.server, 't-chen');
  const receipts = await api(env.server, teacher, 'GET', `/notices/${noticeId}/receipts`);
  assert.ok(receipts.body.read.some((r) => r.parent_name === '浩然妈妈'), 'the receipt reached the teacher');

  await page.goto(env.server.base + '/school/leave');
  await page.waitForSelector('.leave-form');
  const dates = page.locator('.leave-form input[type=date]');
  await dates.nth(0).fill('2026-12-01');
  await dates.nth(1).fill('2026-12-02');
  await page.fill('.leave-form textarea', '去外婆家');
  await page.click('text=提交申请');
  await page.waitForSelector('.leave-request[data-status=pending]');
  const { page: t } = await signedInPage(env.browser, teacher);
  await t.goto(env.server.base + '/school/leave');
  await t.click('.leave-request[data-status=pending]:has-text("去外婆家") .leave-approve');
  await t.waitForSelector('.leave-request[data-status=approved]:has-text("去外婆家")');
  await page.reload();
  await page.waitForSelector('.leave-request[data-status=approved]:has-text("去外婆家")');
  assert.deepEqual(problems(), []);
  await t.context().close();
  await page.context().close();
});

test('a session that expires mid-reply signs in again and the reply is still there', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const parent = await signIn(env.server, 'p-wang');
  const { page, problems } = await signedInPage(env.browser, parent);
  const week = (await api(env.server, parent, 'GET', '/handbook/children')).body.week;
  await page.goto(`${env.server.base}/school/c-anan/${week}`);
  await scrollToForms(page);
  const notes = page.locator('[data-section=home] [data-field=home_notes] textarea');
  await notes.fill('周末去了植物园');
  await page.click('[data-section=home] [data-field=ack] [role=switch]');
  await env.server.control('POST', '/sessions/expire', {});
  await page.click('[data-section=home] > .actions button');
  // The stand-in's chooser stands where WeChat's sign-in would; it returns to this page.
  await page.waitForURL('**/__standin/oauth/authorize**');
  await page.click('text=家长 · 乐乐妈妈');
  await page.waitForURL(`**/school/c-anan/${week}`);
  await page.waitForSelector('[data-section=home] .hb-draft');
  assert.equal(await notes.inputValue(), '周末去了植物园', 'the unsent reply survived the sign-in');
  await page.click('[data-section=home] > .actions button');
  await page.waitForFunction(() => !document.querySelector('[data-section=home] .hb-draft'));
  const saved = await api(env.server, await signIn(env.server, 'p-wang'), 'GET', `/handbook/children/c-anan/weeks/${week}`);
  assert.equal(saved.body.values.home.home_notes, '周末去了植物园');
  assert.equal(page.url().includes('token'), false, 'no token in the address');
  assert.deepEqual(problems().filter((p) => !/401/.test(p)), []);
  await page.context().close();
});

test('a teacher applies one value to the whole class without touching the rest', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const teacher = await signIn(env.server, 't-chen');
  const week = (await api(env.server, teacher, 'GET', '/handbook/children')).body.week;
  const before = (await api(env.server, teacher, 'GET', `/handbook/children/c-lele/weeks/${week}`)).body.values.nap;
  const { page, problems } = await signedInPage(env.browser, teacher);
  await page.goto(`${env.server.base}/school/c-mingming/${week}`);
  const nap = page.locator('[data-section=nap] [data-field=nap_minutes]');
  await nap.locator('input').fill('95');
  await nap.locator('.hb-apply-class').click();
  await page.waitForSelector('.toast-success');
  const roster = (await api(env.server, teacher, 'GET', '/handbook/children')).body.children.map((c) => c.child_id).filter((c) => c !== 'c-mingming');
  for (const child of roster) {
    const values = (await api(env.server, teacher, 'GET', `/handbook/children/${child}/weeks/${week}`)).body.values.nap;
    assert.equal(values.nap_minutes, 95, `${child} has it`);
  }
  const lele = (await api(env.server, teacher, 'GET', `/handbook/children/c-lele/weeks/${week}`)).body.values.nap;
  assert.equal(lele.nap_quality, before.nap_quality, 'the other fields of the section are kept');
  assert.deepEqual(problems(), []);
  await page.context().close();
});

test('the class list coming after the week does not build a teacher\'s forms again under her typing', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const teacher = await signIn(env.server, 't-chen');
  const week = (await api(env.server, teacher, 'GET', '/handbook/children')).body.week;
  const { page, problems } = await signedInPage(env.browser, teacher);
  // A slow answer for the class list (it gives the next / previous child's links).
  let release;
  const held = new Promise((ok) => { release = ok; });
  await page.route(/\/api\/v1\/handbook\/children$/, async (route) => { await held; await route.continue(); });
  await page.goto(`${env.server.base}/school/c-mingming/${week}`);
  await page.waitForSelector('.hb-section-mine');
  assert.equal(await page.locator('.next-child').count(), 0, 'no next child before the class list is here');
  const nap = page.locator('[data-section=nap] [data-field=nap_minutes] input');
  await nap.click();
  await page.keyboard.type('9');
  // Every element of her forms, as they are while she types.
  await page.evaluate(() => { window.__forms = [...document.querySelectorAll('.hb-forms *')]; });
  release();
  await page.waitForSelector('.next-child');
  await page.keyboard.type('5');
  assert.equal(await nap.inputValue(), '95', 'what she typed, in the field she is typing in');
  assert.ok(await nap.evaluate((el) => document.activeElement === el), 'the field keeps her caret');
  const gone = await page.evaluate(() => window.__forms.filter((el) => !el.isConnected).map((el) => el.className || el.tagName));
  assert.deepEqual(gone, [], 'nothing of her forms was built again');
  assert.deepEqual(problems(), []);
  await page.context().close();
});
