// The design system as a designer and a follower meet it: the widget showcase passes an
// accessibility audit (axe-core) in every theme and language, themes and care mode apply and
// are remembered, and the phone's back button closes sheets before it leaves the page.
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { phonePage, suite } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = path.join(path.dirname(require.resolve('axe-core')), 'axe.min.js');

const env = suite({ before, after });

async function audit(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }),
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\n').slice(1, 2).join('')).join('\n    ')}`);
}

for (const variant of [
  { name: 'light, zh-CN', colorScheme: 'light', locale: 'zh-CN' },
  { name: 'dark, English', colorScheme: 'dark', locale: 'en-US' },
  { name: 'care mode, light', colorScheme: 'light', locale: 'zh-CN', care: true },
]) {
  test(`every widget passes the accessibility audit (${variant.name})`, async () => {
    const { page, problems } = await phonePage(env.browser, { ...variant, bypassCSP: true });
    await page.goto(env.server.base + '/preview/widgets');
    await page.waitForSelector('.showcase .grid-3');
    if (variant.care) {
      await page.click('.showcase [role=switch] >> nth=0');
      await page.waitForFunction(() => document.documentElement.dataset.care === 'on');
    }
    // Show the fields in their error state too.
    await page.click('.show-errors');
    await page.waitForSelector('.field-error');
    const serious = await audit(page);
    assert.deepEqual(serious, [], 'serious or critical accessibility violations:\n' + serious.join('\n'));
    assert.deepEqual(problems(), []);
    await page.context().close();
  });
}

test('an open dialog passes the audit and traps focus', async () => {
  const { page } = await phonePage(env.browser, { bypassCSP: true });
  await page.goto(env.server.base + '/preview/widgets');
  await page.click('.open-dialog');
  await page.waitForSelector('[role=alertdialog]');
  assert.ok(await page.evaluate(() => document.activeElement.closest('[role=alertdialog]') !== null));
  assert.deepEqual(await audit(page), []);
  await page.context().close();
});

test('themes and care mode apply to the whole app and are remembered', async () => {
  const { page } = await phonePage(env.browser);
  await page.goto(env.server.base + '/preview/widgets');
  await page.waitForSelector('.showcase');
  const bodyBg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bodyBg();
  await page.click('.showcase [role=tab] >> nth=2');
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  assert.notEqual(await bodyBg(), light, 'dark theme changes the page');
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.cell-title')).fontSize));
  const normal = await size();
  await page.click('.showcase [role=switch] >> nth=0');
  await page.waitForFunction(() => document.documentElement.dataset.care === 'on');
  assert.ok((await size()) > normal, 'care mode enlarges the type');
  await page.reload();
  await page.waitForSelector('.showcase');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'remembered across a reload');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.care), 'on');
  await page.context().close();
});

test('the back button closes an open sheet before it leaves the page', async () => {
  const { page } = await phonePage(env.browser);
  await page.goto(env.server.base + '/');
  await page.waitForSelector('.home-name');
  await page.goto(env.server.base + '/preview/widgets');
  await page.waitForSelector('.showcase');
  await page.click('.open-sheet');
  await page.waitForSelector('.panel-sheet');
  await page.goBack();
  await page.waitForSelector('.panel-sheet', { state: 'detached' });
  assert.match(page.url(), /\/preview\/widgets$/, 'still on the page');
  await page.click('.open-half');
  await page.waitForSelector('.panel-half');
  await page.click('.half-close');
  await page.waitForSelector('.panel-half', { state: 'detached' });
  assert.match(page.url(), /\/preview\/widgets$/, 'closing from the page does not navigate');
  await page.goBack();
  await page.waitForURL((u) => !u.pathname.startsWith('/preview'));
  await page.context().close();
});
