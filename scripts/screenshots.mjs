// `make screenshots`: every gallery entry × phone × theme × language as PNG files plus an HTML
// contact sheet, in screenshots/<time>/. With `--compare <earlier folder>` it also reports which
// pictures changed and by how much, with a diff image for each (red where pixels differ).
// The entries are read from the gallery itself (/preview), so this never drifts from it.
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { launch, startStandin, signIn } from '../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
const compareWith = args.includes('--compare') ? args[args.indexOf('--compare') + 1] : null;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const out = path.join('screenshots', new Date().toISOString().replace(/[:.]/g, '-'));
mkdirSync(out, { recursive: true });
const PHONES = [
  { name: 'android-360x800', width: 360, height: 800 },
  { name: 'iphone-375x667', width: 375, height: 667 },
  { name: 'iphone-390x844', width: 390, height: 844 },
];
const THEMES = ['light', 'dark'];
const LANGS = ['zh', 'en'];

const server = await startStandin();
const browser = await launch();
const shots = [];
try {
  const index = await browser.newPage();
  await index.goto(server.base + '/preview');
  await index.waitForSelector('.gallery-entry');
  let entries = await index.$$eval('.gallery-entry', (links) => links.map((a) => ({ id: a.dataset.entry, path: a.dataset.path, scenario: a.dataset.scenario, user: a.dataset.user })));
  await index.close();
  if (only) entries = entries.filter((e) => e.id.startsWith(only));
  const weeks = {};
  for (const phone of PHONES) {
    const context = await browser.newContext({ viewport: { width: phone.width, height: phone.height }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    let signedAs = null;
    for (const entry of entries) {
      if (signedAs !== entry.user) {
        const session = await signIn(server, entry.user);
        await page.goto(server.base + '/__standin/records');
        await page.evaluate((s) => localStorage.setItem('wxf.session', s), JSON.stringify(session));
        weeks[entry.user] ??= (await (await fetch(`${server.base}/api/v1/handbook/children`, { headers: { authorization: `Bearer ${session.token}` } })).json()).week ?? '';
        signedAs = entry.user;
      }
      for (const theme of THEMES) {
        for (const lang of LANGS) {
          const query = [entry.scenario && `scenario=${entry.scenario}`, `theme=${theme}`, `lang=${lang}`].filter(Boolean).join('&');
          await page.goto(`${server.base}${entry.path.replace('{week}', weeks[entry.user])}?${query}`);
          await page.waitForSelector('.page-title, .home-name, .state, .menubar', { timeout: 15_000 }).catch(() => {});
          // Pictures lazy-load and fade in; loading states never settle (that is the state).
          await page.waitForTimeout(entry.scenario === 'loading' ? 300 : 700);
          const file = `${entry.id}__${phone.name}__${theme}__${lang}.png`;
          await page.screenshot({ path: path.join(out, file) });
          shots.push({ file, entry: entry.id, phone: phone.name, theme, lang });
        }
      }
    }
    await context.close();
  }
  // Change report: compare with an earlier run, pixel by pixel, in the browser's canvas.
  const changes = [];
  if (compareWith && existsSync(compareWith)) {
    const page = await browser.newPage();
    for (const shot of shots) {
      const before = path.join(compareWith, shot.file);
      if (!existsSync(before)) { changes.push({ file: shot.file, changed: 'new' }); continue; }
      const a = readFileSync(before).toString('base64');
      const b = readFileSync(path.join(out, shot.file)).toString('base64');
      if (a === b) continue;
      const result = await page.evaluate(async ([a, b]) => {
        const load = (src) => new Promise((r) => { const i = new Image(); i.onload = () => r(i); i.src = 'data:image/png;base64,' + src; });
        const [ia, ib] = await Promise.all([load(a), load(b)]);
        const w = Math.max(ia.width, ib.width), h = Math.max(ia.height, ib.height);
        const read = (img) => { const c = new OffscreenCanvas(w, h); const x = c.getContext('2d'); x.drawImage(img, 0, 0); return x.getImageData(0, 0, w, h).data; };
        const da = read(ia), db = read(ib);
        const diff = new OffscreenCanvas(w, h); const dx = diff.getContext('2d'); dx.drawImage(ib, 0, 0); dx.fillStyle = 'rgba(255,255,255,0.7)'; dx.fillRect(0, 0, w, h);
        const marks = dx.getImageData(0, 0, w, h);
        let changed = 0;
        for (let i = 0; i < da.length; i += 4) {
          if (Math.abs(da[i] - db[i]) + Math.abs(da[i + 1] - db[i + 1]) + Math.abs(da[i + 2] - db[i + 2]) > 24) {
            changed += 1; marks.data[i] = 255; marks.data[i + 1] = 0; marks.data[i + 2] = 0; marks.data[i + 3] = 255;
          }
        }
        dx.putImageData(marks, 0, 0);
        const blob = await diff.convertToBlob({ type: 'image/png' });
        const bytes = new Uint8Array(await blob.arrayBuffer());
        let bin = ''; for (const x of bytes) bin += String.fromCharCode(x);
        return { changed, total: w * h, png: btoa(bin) };
      }, [a, b]);
      if (result.changed > 0) {
        const diffFile = shot.file.replace('.png', '.diff.png');
        writeFileSync(path.join(out, diffFile), Buffer.from(result.png, 'base64'));
        changes.push({ file: shot.file, diff: diffFile, pixels: result.changed, percent: +(100 * result.changed / result.total).toFixed(3) });
      }
    }
    await page.close();
  }
  // The contact sheet.
  const rows = shots.map((s) => `<figure><a href="${s.file}"><img src="${s.file}" loading="lazy" width="180"></a><figcaption>${s.entry}<br>${s.phone} · ${s.theme} · ${s.lang}</figcaption></figure>`).join('\n');
  const changed = changes.map((c) => `<li>${c.file}: ${c.changed === 'new' ? 'new' : `${c.pixels} px (${c.percent}%) <a href="${c.diff}">diff</a>`}</li>`).join('\n');
  writeFileSync(path.join(out, 'index.html'), `<!doctype html><meta charset="utf-8"><title>Screenshots</title>
<style>body{font:14px system-ui;margin:16px}main{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;width:180px;font-size:11px}img{border:1px solid #ccc}</style>
<h1>${shots.length} screenshots</h1>${compareWith ? `<h2>Changed since ${compareWith}: ${changes.length}</h2><ul>${changed}</ul>` : ''}<main>${rows}</main>`);
  writeFileSync(path.join(out, 'changes.json'), JSON.stringify(changes, null, 2));
  console.log(`${shots.length} screenshots in ${out} (contact sheet: ${path.join(out, 'index.html')})`);
  if (compareWith) {
    console.log(`${changes.length} changed compared with ${compareWith}`);
    for (const c of changes) console.log(`  ${c.file}: ${c.changed === 'new' ? 'new' : `${c.pixels} px (${c.percent}%)`}`);
  }
} finally {
  await browser.close();
  await server.stop();
}
