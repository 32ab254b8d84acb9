// Paying: an order placed from the cart is paid once through the simulated WeChat payment, and
// the page says "paid" only after the server has confirmed it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, signIn, signedInPage, suite } from './harness.mjs';

const env = suite({ before, after });

async function placeOrder(session, key) {
  const cart = (await api(env.server, session, 'GET', '/cart')).body;
  const lineIds = cart.stores.flatMap((s) => s.lines).filter((l) => l.status === 'ok').map((l) => l.line_id);
  const preview = (await api(env.server, session, 'POST', '/checkout/preview', { line_ids: lineIds, coupon_ids: [] })).body;
  const address = { name: '林小满', phone: '13800001234', region: '湖北省 武汉市', detail: '解放大道 690 号' };
  const placed = await api(env.server, session, 'POST', '/orders', { line_ids: lineIds, coupon_ids: [], address, expected_total_fen: preview.total_fen }, { 'idempotency-key': key });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  return placed.body;
}

test('a purchase completes through the simulated payment, confirmed by the server', async () => {
  const session = await signIn(env.server, 'u-xiaoman');
  const order = await placeOrder(session, 'e2e-pay-order-1');
  const { page, problems } = await signedInPage(env.browser, session);
  await page.goto(`${env.server.base}/orders/${order.order_id}`);
  await page.waitForSelector('.order-status[data-status=PendingPayment]');
  assert.match(await page.textContent('.order-total'), /¥/);
  assert.equal(await page.locator('.cells .cell').count(), order.sub_orders.length, 'one row per store, paid together');
  await page.click('text=立即支付');
  // Outside WeChat in development: the stand-in's simulated WeChat Pay.
  await page.waitForSelector('.panel-sheet');
  await page.click('.panel-sheet >> text=支付成功');
  await page.waitForSelector('.order-status[data-status=Paid]', { timeout: 15_000 });
  const records = await env.server.records();
  assert.equal(records.payments.filter((p) => p.order_id === order.order_id).length, 1, 'paid once');
  const confirmed = await api(env.server, session, 'GET', `/orders/${order.order_id}`);
  assert.equal(confirmed.body.status, 'paid');
  assert.equal(await page.locator('text=立即支付').count(), 0, 'nothing left to pay');
  assert.deepEqual(problems(), []);
  await page.context().close();
});

test('a cancelled payment leaves the order payable, and it can be paid later', async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const order = await placeOrder(session, 'e2e-pay-order-2');
  const { page } = await signedInPage(env.browser, session);
  await page.goto(`${env.server.base}/orders/${order.order_id}`);
  await page.click('text=立即支付');
  await page.click('.panel-sheet >> text=取消支付');
  await page.waitForSelector('.toast');
  assert.match(await page.textContent('.toast'), /已取消支付/);
  assert.equal(await page.getAttribute('.order-status', 'data-status'), 'PendingPayment');
  assert.match(await page.textContent('.order-deadline'), /\d\d:\d\d/, 'the deadline counts down');
  // Pay later: reopen the order and pay.
  await page.reload();
  await page.click('text=立即支付');
  await page.click('.panel-sheet >> text=支付成功');
  await page.waitForSelector('.order-status[data-status=Paid]', { timeout: 15_000 });
  const records = await env.server.records();
  assert.equal(records.orders_created.length, 1, 'one order, however many payment attempts');
  await page.context().close();
});

test('cancelling an unpaid order asks first, then closes it', async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const order = await placeOrder(session, 'e2e-pay-order-3');
  const { page } = await signedInPage(env.browser, session);
  await page.goto(`${env.server.base}/orders/${order.order_id}`);
  await page.click('text=取消订单');
  await page.waitForSelector('[role=alertdialog]');
  await page.click('[role=alertdialog] .dialog-confirm');
  await page.waitForSelector('.order-status[data-status=Cancelled]');
  assert.equal((await api(env.server, session, 'GET', `/orders/${order.order_id}`)).body.status, 'cancelled');
  await page.context().close();
});
