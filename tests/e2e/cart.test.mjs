// The cart as followers use it: carried on the server, shared with a friend, paid once across
// stores; a double tap is one order; a change made while the API fails survives a reload.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, signedInPage, signIn, suite } from './harness.mjs';

const env = suite({ before, after });

async function cartLines(session) {
  const cart = (await api(env.server, session, 'GET', '/cart')).body;
  return cart.stores.flatMap((s) => s.lines);
}

test('add from two stores, share, a friend copies, checkout with a coupon, pay once', async () => {
  await env.server.reset();
  const yihang = await signIn(env.server, 'u-yihang');
  const xiaoman = await signIn(env.server, 'u-xiaoman');
  const { page, context } = await signedInPage(env.browser, yihang);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.base });
  await page.goto(env.server.base + '/shop');
  await page.click('.product[data-sku=sku-2002] .add-to-cart');
  await page.click('.product[data-sku=sku-3001] .add-to-cart');
  await page.goto(env.server.base + '/cart');
  await page.waitForFunction(() => document.querySelectorAll('.store').length === 2);
  assert.deepEqual((await cartLines(yihang)).map((l) => l.sku_id).sort(), ['sku-2002', 'sku-3001'], 'the cart is on the server');
  await page.click('.share-cart');
  await page.waitForSelector('.toast');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /\/shared\/[A-Za-z0-9]{20,}$/, 'an opaque share link');

  // The friend opens it, sees who shared it, and copies it into their own cart.
  const friend = await signedInPage(env.browser, xiaoman);
  await friend.page.goto(link);
  await friend.page.waitForSelector('.shared-line');
  assert.match(await friend.page.textContent('h1'), /周一航/);
  await friend.page.click('text=加入我的购物车');
  await friend.page.waitForSelector('.toast');
  const mine = (await cartLines(xiaoman)).map((l) => l.sku_id);
  assert.ok(mine.includes('sku-2002') && mine.includes('sku-3001'), 'copied into the friend cart');
  assert.deepEqual((await cartLines(yihang)).map((l) => l.sku_id).sort(), ['sku-2002', 'sku-3001'], 'the owner cart is untouched');

  // Checkout with a coupon, once for all stores.
  await friend.page.goto(env.server.base + '/cart');
  await friend.page.waitForSelector('.checkout:not([disabled])');
  await friend.page.click('.checkout');
  await friend.page.waitForSelector('.checkout-total');
  const before = await friend.page.textContent('.checkout-total');
  await friend.page.click('.coupons-cell');
  await friend.page.click('.coupon[data-coupon=cp-all-200-20]');
  await friend.page.waitForFunction((b) => document.querySelector('.checkout-total')?.textContent !== b, before);
  assert.match(await friend.page.textContent('.checkout-summary'), /-¥20\.00/);
  await friend.page.goBack();
  await friend.page.click('text=提交订单');
  await friend.page.waitForURL('**/orders/**');
  await friend.page.click('text=立即支付');
  await friend.page.click('.panel-sheet >> text=支付成功');
  await friend.page.waitForSelector('.order-status[data-status=Paid]', { timeout: 15_000 });
  const records = await env.server.records();
  const orders = records.orders_created.filter((o) => o.user_id === 'u-xiaoman');
  assert.equal(orders.length, 1, 'one order for every store');
  assert.equal(records.payments.length, 1, 'paid once');
  await friend.page.context().close();
  await context.close();
});

test('a double-tapped order is one order', async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const { page } = await signedInPage(env.browser, session);
  await page.goto(env.server.base + '/cart');
  await page.waitForSelector('.checkout:not([disabled])');
  await page.click('.checkout');
  await page.waitForSelector('.checkout-total');
  // The answer is slow: the follower taps twice, then once more.
  await env.server.faults([{ kind: 'latency', path: '/orders', method: 'POST', latency_ms: 1500 }]);
  await page.dblclick('text=提交订单');
  await page.click('text=提交订单', { force: true }).catch(() => {});
  await page.waitForURL('**/orders/**', { timeout: 15_000 });
  const records = await env.server.records();
  assert.equal(records.orders_created.length, 1, 'exactly one order');
  await page.context().close();
});

test('a change made while the API fails is kept across a reload and sent later', async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const { page } = await signedInPage(env.browser, session);
  await page.goto(env.server.base + '/cart');
  await page.waitForSelector('.store');
  await env.server.faults([{ kind: 'error', path: '/cart/lines', method: 'PATCH' }]);
  const line = page.locator('.store .cart-line').first();
  const title = await line.locator('.line-title').textContent();
  const q0 = Number(await line.locator('.stepper-value').textContent());
  await line.locator('.stepper-button').last().click();
  await page.waitForSelector('.sync-banner');
  assert.equal(Number(await line.locator('.stepper-value').textContent()), q0 + 1, 'shown at once');
  await page.reload();
  await page.waitForSelector('.store');
  const again = page.locator('.cart-line', { hasText: title }).first();
  assert.equal(Number(await again.locator('.stepper-value').textContent()), q0 + 1, 'still there after a reload');
  await env.server.control('DELETE', '/faults');
  await page.click('.sync-banner button');
  await page.waitForSelector('.sync-banner', { state: 'detached' });
  const saved = (await cartLines(session)).find((l) => l.title === title);
  assert.equal(saved.quantity, q0 + 1, 'the server has it now');
  await page.context().close();
});

test('lines marked in edit mode are removed after asking, and sent once undo has passed', async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const { page } = await signedInPage(env.browser, session);
  await page.goto(env.server.base + '/cart');
  await page.waitForSelector('.store .cart-line');
  const lines = page.locator('.store .cart-line');
  const count = await lines.count();
  assert.ok(count >= 2, 'the seeded cart has lines to remove');
  const titles = [await lines.nth(0).locator('.line-title').textContent(), await lines.nth(1).locator('.line-title').textContent()];
  await page.click('.edit-cart');
  await page.waitForSelector('.delete-marked[disabled]');
  await lines.nth(0).locator('.checkbox-input').click();
  await lines.nth(1).locator('.checkbox-input').click();
  await page.click('.delete-marked:not([disabled])');
  // The dialog is a part of its own in the release build: its code arrives with this tap at the latest.
  const dialog = page.locator('[role=alertdialog]');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /2/, 'says how many');
  await dialog.locator('.dialog-confirm').click();
  await page.waitForSelector('.undo-bar');
  await page.waitForFunction((n) => document.querySelectorAll('.store .cart-line').length === n, count - 2);
  const onServer = async () => (await cartLines(session)).map((l) => l.title);
  assert.ok(titles.every((t) => t), 'lines have titles');
  const kept = await onServer();
  assert.ok(titles.every((t) => kept.includes(t)), 'nothing is sent while it can be undone');
  await page.waitForSelector('.undo-bar', { state: 'detached', timeout: 10_000 });
  let left = await onServer();
  for (let i = 0; i < 50 && titles.some((t) => left.includes(t)); i++) {
    await new Promise((r) => setTimeout(r, 100));
    left = await onServer();
  }
  for (const t of titles) assert.ok(!left.includes(t), `${t} removed on the server`);
  await page.context().close();
});

test('a guest cart is merged into the account on sign-in', async () => {
  await env.server.reset();
  const { page } = await (await import('./harness.mjs')).phonePage(env.browser);
  await page.goto(env.server.base + '/shop');
  await page.click('.product[data-sku=sku-1002] .add-to-cart');
  await page.goto(env.server.base + '/cart');
  await page.waitForSelector('.store');
  await page.goto(env.server.base + '/');
  await page.click('text=登录');
  await page.click('text=粉丝 · 周一航');
  await page.waitForFunction(() => document.querySelector('.home-name')?.textContent === '周一航');
  const session = JSON.parse(await page.evaluate(() => localStorage.getItem('wxf.session')));
  await page.waitForFunction(async (token) => {
    const r = await fetch('/api/v1/cart', { headers: { authorization: 'Bearer ' + token } });
    const cart = await r.json();
    return cart.stores.some((s) => s.lines.some((l) => l.sku_id === 'sku-1002'));
  }, session.token);
  await page.context().close();
});

test('an unpaid order can be paid later, before its deadline', async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const lines = (await cartLines(session)).filter((l) => l.status === 'ok').map((l) => l.line_id);
  const preview = (await api(env.server, session, 'POST', '/checkout/preview', { line_ids: lines, coupon_ids: [] })).body;
  const address = { name: '林小满', phone: '13800001234', region: '湖北省 武汉市', detail: '解放大道 690 号' };
  await api(env.server, session, 'POST', '/orders', { line_ids: lines, coupon_ids: [], address, expected_total_fen: preview.total_fen }, { 'idempotency-key': 'pay-later-order-1' });
  const { page } = await signedInPage(env.browser, session);
  await page.goto(env.server.base + '/cart');
  await page.click('text=待支付');
  await page.waitForSelector('.unpaid-order');
  assert.match(await page.textContent('.unpaid-order'), /\d\d:\d\d:\d\d/, 'with its deadline counting down');
  await page.click('.unpaid-order');
  await page.waitForSelector('.order-status[data-status=PendingPayment]');
  await page.click('text=立即支付');
  await page.click('.panel-sheet >> text=支付成功');
  await page.waitForSelector('.order-status[data-status=Paid]', { timeout: 15_000 });
  await page.context().close();
});

test('an address being typed at checkout survives a reload', async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const { page, problems } = await signedInPage(env.browser, session);
  await page.goto(env.server.base + '/cart');
  await page.waitForSelector('.checkout:not([disabled])');
  await page.click('.checkout');
  await page.waitForSelector('.checkout-total');
  // Outside WeChat the address cell opens our own form.
  await page.click('.cell.address');
  const field = (n) => page.locator('.half-body input').nth(n);
  await field(0).fill('王小二');
  await field(1).fill('1390000');
  await page.reload();
  await page.waitForSelector('.half-body input');
  assert.equal(await field(0).inputValue(), '王小二', 'the name is back');
  assert.equal(await field(1).inputValue(), '1390000', 'so is the half-typed phone');
  await field(1).fill('13900001111');
  await page.click('.save-address');
  await page.waitForFunction(() => document.querySelector('.cell.address')?.textContent.includes('王小二'));
  await page.click('text=提交订单');
  await page.waitForURL('**/orders/**', { timeout: 15_000 });
  const records = await env.server.records();
  assert.deepEqual([records.orders_created.at(-1).address.name, records.orders_created.at(-1).address.phone], ['王小二', '13900001111'], 'ordered to the typed address');
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('wxf.draft.checkout_address')).length), 0, 'the draft goes once the order is placed');
  assert.deepEqual(problems(), []);
  await page.context().close();
});
