// The benchmark: figures printed as a table and written to bench-out/results.json. Cases are
// measured in headless Chromium with 4× CPU slowdown against the stand-in serving dist/.
// (Not a test: it reports; budgets that gate releases are checked at the end.)
import { mkdirSync, writeFileSync } from 'node:fs';
import { launch, startStandin } from '../../tests/e2e/harness.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function cart1000(server, browser) {
  const post = (p, b) => fetch(server.base + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) }).then((r) => r.json());
  const firstRender = [];
  const selectAll = [];
  let nodes = 0;
  for (let run = 0; run < RUNS; run++) {
    await server.reset();
    await server.control('POST', '/cart/fill', { user_id: 'u-xiaoman', lines: 1000, stores: 50 });
    const { code } = await server.control('POST', '/oauth/code', { user_id: 'u-xiaoman' });
    const session = await post('/api/v1/session/oauth', { code });
    const context = await browser.newContext({ viewport: { width: 375, height: 667 } });
    await context.addInitScript((s) => localStorage.setItem('wxf.session', s), JSON.stringify(session));
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const t0 = Date.now();
    await page.goto(server.base + '/cart');
    await page.waitForFunction(() => document.querySelectorAll('.store .cart-line').length === 1000, null, { timeout: 120_000 });
    firstRender.push(Date.now() - t0);
    nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
    selectAll.push(await page.evaluate(() => new Promise((resolve) => {
      const total = document.querySelector('.cart-total');
      const before = total.textContent;
      const t = performance.now();
      document.querySelector('.cart-summary .checkbox-input').click();
      const check = () => (total.textContent !== before ? requestAnimationFrame(() => resolve(performance.now() - t)) : requestAnimationFrame(check));
      requestAnimationFrame(check);
    })));
    await context.close();
  }
  return [
    { case: 'cart 1,000 lines / 50 stores', figure: 'navigation → all lines rendered', value: median(firstRender), unit: 'ms' },
    { case: 'cart 1,000 lines / 50 stores', figure: 'select all → new total painted (tap → paint)', value: Math.round(median(selectAll)), unit: 'ms', budget: 100 },
    { case: 'cart 1,000 lines / 50 stores', figure: 'DOM nodes', value: nodes, unit: 'nodes' },
  ];
}

const server = await startStandin();
const browser = await launch();
const results = [];
try {
  results.push(...(await cart1000(server, browser)));
} finally {
  await browser.close();
  await server.stop();
}
const width = Math.max(...results.map((r) => (r.case + ' · ' + r.figure).length));
console.log(`\nBenchmark (median of ${RUNS}, 4× CPU slowdown)\n`);
for (const r of results) {
  const over = r.budget !== undefined && r.value > r.budget;
  console.log(`${(r.case + ' · ' + r.figure).padEnd(width)}  ${String(r.value).padStart(7)} ${r.unit}${r.budget !== undefined ? `   budget ${r.budget} ${r.unit}${over ? '  OVER' : '  ok'}` : ''}`);
}
mkdirSync('bench-out', { recursive: true });
writeFileSync('bench-out/results.json', JSON.stringify({ runs: RUNS, cpu_slowdown: 4, results }, null, 2));
console.log('\nwritten to bench-out/results.json');
process.exitCode = results.some((r) => r.budget !== undefined && r.value > r.budget) ? 1 : 0;
