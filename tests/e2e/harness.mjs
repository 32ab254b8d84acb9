// End-to-end harness: the stand-in serving the built app (same origin as the API) and a real
// Chromium driven by playwright-core. Each test file gets its own server on its own port.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  return port;
}

/** Starts `standin --static dist` and waits until it answers. */
export async function startStandin() {
  const port = await freePort();
  const bin = path.join(root, 'target/debug/standin');
  const child = spawn(bin, ['--static', process.env.WXF_DIST || path.join(root, 'dist'), '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${base}/api/v1/time`);
      if (r.ok) break;
    } catch {}
    if (child.exitCode !== null) throw new Error(`stand-in exited: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const control = async (method, p, body) => {
    const r = await fetch(`${base}/__standin${p}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    return text ? JSON.parse(text) : null;
  };
  return {
    base,
    control,
    /** Injects faults for the next requests (see standin/src/faults.rs). */
    faults: (rules) => control('POST', '/faults', { rules }),
    records: () => control('GET', '/records'),
    reset: () => control('POST', '/reset'),
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit').catch(() => {});
    },
  };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * A phone-sized page that records console errors and uncaught exceptions; `problems()` lists
 * them so a test can fail on any.
 */
export async function phonePage(browser, options = {}) {
  const context = await browser.newContext({
    viewport: { width: 375, height: 667 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: options.locale || 'zh-CN',
    colorScheme: options.colorScheme || 'light',
    userAgent: options.userAgent,
    // Only for test tooling injected into the page (the accessibility audit): the app itself is
    // always tested under its Content-Security-Policy.
    bypassCSP: options.bypassCSP === true,
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('console', (m) => {
    // A failed request the test provoked on purpose is logged by the browser, not by the app.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return { page, context, problems: () => problems };
}

/** A real session for `userId` (through the stand-in's sign-in), as the app stores it. */
export async function signIn(server, userId) {
  const { code } = await server.control('POST', '/oauth/code', { user_id: userId });
  const r = await fetch(`${server.base}/api/v1/session/oauth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
  return r.json();
}

/** Calls the API as the holder of `session`. */
export async function api(server, session, method, path, body, headers = {}) {
  const r = await fetch(`${server.base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${session.token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

/** A page whose app starts signed in as the holder of `session`. */
export async function signedInPage(browser, session, options) {
  const opened = await phonePage(browser, options);
  await opened.page.addInitScript((s) => localStorage.setItem('wxf.session', s), JSON.stringify(session));
  return opened;
}

/**
 * The stand-in and a browser for one test file: started before its tests, stopped after.
 * Read `env.server` and `env.browser` inside tests.
 */
export function suite(hooks) {
  const env = { server: null, browser: null };
  hooks.before(async () => {
    env.server = await startStandin();
    env.browser = await launch();
  });
  hooks.after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/** Waits (up to 5 s) until `read()` resolves to `want`, then asserts it. */
export async function expectEventually(read, want) {
  for (let i = 0; i < 50; i++) {
    if ((await read()) === want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(await read(), want);
}

/** The classes on the page that public/app.css styles but no stylesheet the page has loaded
 * does: an area's rules missing (the release build sends each area's own rules with it). */
export async function unstyledClasses(page) {
  const source = readFileSync(path.join(root, 'public/app.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  let selectors = source;
  while (/\{[^{}]*\}/.test(selectors)) selectors = selectors.replace(/\{[^{}]*\}/g, ' ');
  const styled = [...new Set([...selectors.matchAll(/\.([a-zA-Z][\w-]*)/g)].map((m) => m[1]))];
  return page.evaluate((styled) => {
    const loaded = new Set();
    const walk = (rules) => {
      for (const r of rules) {
        for (const m of (r.selectorText || '').matchAll(/\.([a-zA-Z][\w-]*)/g)) loaded.add(m[1]);
        if (r.cssRules) walk(r.cssRules);
      }
    };
    for (const sheet of document.styleSheets) walk(sheet.cssRules);
    const used = new Set([...document.querySelectorAll('[class]')].flatMap((e) => [...e.classList]));
    return styled.filter((c) => used.has(c) && !loaded.has(c));
  }, styled);
}

/** Scrolls a week's handbook down to where the signed-in person's forms go, as a parent does
 * after reading the teacher's sections: the forms are built when they come near the screen. */
export async function scrollToForms(page) {
  await page.locator('.hb-forms').evaluate((el) => el.scrollIntoView());
}

/** Scrolls a week down to its messages, below the forms: they too are built when near. */
export async function scrollToMessages(page) {
  await scrollToForms(page);
  const messages = page.locator('.hb-messages');
  await messages.waitFor({ state: 'attached' });
  await messages.evaluate((el) => el.scrollIntoView());
  await page.waitForSelector('.hb-comments');
}
