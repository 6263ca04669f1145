// The operator console end to end in headless Chromium against a real `idverify serve`:
// operators created with `idverify operators create`, set-up links, sign-in; a document whose
// MRZ cannot be found (a rendered negative specimen: DC001, needs-review) is reviewed from the
// queue and approved with the keyboard; the integrator's webhook (a local HTTP server) receives
// the new, signed status; the audit trail shows the image views and the decision; a forged CSRF
// token is refused; a reviewer gets 403 on the admin pages; five wrong passwords lock the
// account. Screenshots of every page go to target/e2e/console-*.png.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const h = require('../lib/harness');

const PASSWORD = 'correct horse battery staple';
let server;
let browser;
let workDir;
let hook;
let app;
let admin;
let reviewer;

function cli(...args) {
  return JSON.parse(execFileSync(h.IDVERIFY, [...args, '--data-dir', server.dataDir], { encoding: 'utf8' }));
}

/** A local integrator back end: records every webhook POST. */
function startHook() {
  const hits = [];
  const srv = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      hits.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({
    hits, url: `http://127.0.0.1:${srv.address().port}/hook`, close: () => new Promise((r) => srv.close(r)),
  })));
}

async function waitFor(fn, what, ms = 60000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A verification fed through the public API with the application's publishable key. */
async function verify(front) {
  const c = await (await fetch(`${server.base}/verifications`, {
    method: 'POST', headers: { 'X-Client-Key': app.publishableKey, 'content-type': 'application/json' }, body: '{}',
  })).json();
  const form = new FormData();
  form.append('kind', 'front');
  form.append('file', new Blob([fs.readFileSync(front)], { type: 'image/jpeg' }), 'front.jpg');
  const up = await fetch(`${server.base}/verifications/${c.id}/files`, { method: 'POST', headers: { Authorization: `Bearer ${c.token}` }, body: form });
  assert.equal(up.status, 202);
  const sub = await fetch(`${server.base}/verifications/${c.id}/submit`, { method: 'POST', headers: { Authorization: `Bearer ${c.token}` } });
  assert.equal(sub.status, 202);
  return waitFor(async () => {
    const s = await (await fetch(`${server.base}/verifications/${c.id}/status`, { headers: { Authorization: `Bearer ${c.token}` } })).json();
    return s.status === 'done' ? { id: c.id, status: s } : null;
  }, 'the verification to be processed', 120000);
}

async function jwks() {
  return (await fetch(`${server.base}/.well-known/jwks.json`)).json();
}

function verifyWebhook(hit, keys) {
  const kid = hit.headers['x-signature-kid'];
  const jwk = keys.keys.find((k) => k.kid === kid);
  assert.ok(jwk, `key ${kid} in the JWKS`);
  const key = crypto.createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
  const msg = Buffer.concat([hit.body, Buffer.from(hit.headers['x-timestamp'], 'ascii')]);
  return crypto.verify('sha512', msg, { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(hit.headers['x-signature'], 'base64url'));
}

async function login(page, email, password) {
  await page.goto(`${server.base}/console/login`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

before(async () => {
  server = await h.startServer('console');
  hook = await startHook();
  workDir = h.tempDir('idverify-e2e-console-');
  app = cli('apps', 'create', '--name', 'Console shop', '--webhook', hook.url);
  admin = cli('operators', 'create', '--email', 'Admin@Example.org', '--role', 'admin');
  reviewer = cli('operators', 'create', '--email', 'reviewer@example.org', '--role', 'reviewer');
  browser = await h.launch([], { viewport: { width: 1280, height: 900 } });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (hook) await hook.close();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

test('an operator reviews a needs-review verification from the queue; the integrator gets the signed new status', async () => {
  const { shot } = h.shooter('console');
  assert.equal(admin.email, 'admin@example.org');
  assert.match(admin.setupUrl, /\/console\/setup#os_[0-9a-f]{64}$/);
  const negative = h.fixtures(path.join(workDir, 'nomrz'), ['--count', '0', '--negatives', '1', '--seed', '14']).negatives[0];
  const v = await verify(negative);
  assert.equal(v.status.applicationStatus, 'needs-review');
  await waitFor(() => hook.hits.length >= 1, 'the first webhook');

  const page = await browser.context.newPage();
  // Set-up link: the token is in the fragment (never sent to the server in a request line).
  await page.goto(`${server.base}/console/setup#${admin.setupUrl.split('#')[1]}`);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('#confirm').fill(PASSWORD);
  await shot(page, 'setup');
  await page.getByRole('button', { name: 'Set password' }).click();
  await page.getByText('You can now sign in as admin@example.org.').waitFor();

  await login(page, 'admin@example.org', PASSWORD);
  await shot(page, 'login');
  await page.waitForURL(/\/console\/queue$/);
  const row = page.locator(`#queue tr[data-id="${v.id}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /needs-review/);
  assert.match(await row.innerText(), /DC001/);
  await shot(page, 'queue');

  await row.getByRole('link').click();
  await page.waitForURL(new RegExp(`/console/review/${v.id}$`));
  await page.locator('#concerns li[data-concern="DC001"]').waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector('img[data-kind="front"]');
    return img && img.complete && img.naturalWidth > 0;
  });
  await shot(page, 'review');
  // Keyboard: "a" asks for the reason, Enter in the reason approves.
  await page.keyboard.press('a');
  assert.match(await page.locator('#decision .error').innerText(), /Give a reason/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'reason');
  await page.keyboard.type('MRZ covered by a sticker; checked the printed zone by hand');
  await page.keyboard.press('Enter');
  await page.locator('#decided[data-decision="approved"]').waitFor();
  await shot(page, 'decided');

  // The integrator: a second webhook with the new status, signed; the results API agrees.
  await waitFor(() => hook.hits.length >= 2, 'the re-sent webhook');
  const keys = await jwks();
  const hit = hook.hits[hook.hits.length - 1];
  assert.ok(verifyWebhook(hit, keys), 'the webhook signature verifies with the JWKS');
  const body = JSON.parse(hit.body.toString('utf8'));
  assert.equal(body.id, v.id);
  assert.equal(body.applicationStatus, 'approved');
  assert.equal(h.verifyJwt(body.signed, keys).payload.id, v.id);
  const res = await (await fetch(`${server.base}/verifications/results/${v.id}`, { headers: { 'X-API-Key': app.secretKey } })).json();
  assert.equal(res.data.results.status, 'approved');
  const manual = res.data.checks.find((c) => c.name === 'manualReview');
  assert.deepEqual(manual.details, { operator: 'admin@example.org', reason: 'MRZ covered by a sticker; checked the printed zone by hand' });
  assert.equal(h.verifyJwt(res.signed, keys).payload.data.results.status, 'approved');

  // The audit trail: who viewed the images and decided.
  await page.goto(`${server.base}/console/audit`);
  await page.locator('#audit tr[data-event="manual-review"]').waitFor();
  const audit = await page.locator('#audit').innerText();
  assert.match(audit, /image-viewed/);
  assert.match(audit, /operator:admin@example\.org/);
  assert.match(audit, new RegExp(v.id));
  await shot(page, 'audit');

  // Overview: the chart and the figures; the same figures on /metrics.
  await page.goto(`${server.base}/console/`);
  await page.locator('svg[data-chart="status"] rect').first().waitFor();
  assert.equal(await page.locator('[data-figure="queue"] b').innerText(), '0');
  await shot(page, 'overview');
  const metrics = await (await fetch(`${server.base}/metrics`)).text();
  assert.match(metrics, /idverify_review_queue_length 0/);
  assert.match(metrics, /idverify_manual_decisions_total\{decision="approved"\} 1/);

  for (const p of ['apps', 'operators', 'account']) {
    await page.goto(`${server.base}/console/${p}`);
    await page.locator('main h1').filter({ hasText: /Applications|Operators|Account/ }).waitFor();
    await shot(page, p);
  }
  assert.match(await page.locator('nav').innerText(), /Applications/);

  // A forged CSRF token (or none) is refused, even with the session cookie.
  const forged = await page.evaluate(async () => {
    const post = (headers) => fetch('/console/api/logout-all', { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' })
      .then(async (r) => [r.status, (await r.json()).message]);
    return [await post({ 'X-CSRF-Token': 'forged' }), await post({})];
  });
  assert.deepEqual(forged, [[403, 'Missing or invalid CSRF token'], [403, 'Missing or invalid CSRF token']]);
  const me = await page.evaluate(() => fetch('/console/api/me').then((r) => r.status));
  assert.equal(me, 200, 'still signed in: the forged requests did nothing');
  await page.close();
});

test('a reviewer gets 403 on the admin pages; five wrong passwords lock the account', async () => {
  const { shot } = h.shooter('console-reviewer');
  const page = await browser.context.newPage();
  await page.goto(`${server.base}/console/account`);
  await page.locator('#logout').click();
  await page.waitForURL(/\/console\/login$/);
  const token = reviewer.setupUrl.split('#')[1];
  const setup = await fetch(`${server.base}/console/api/setup`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, password: PASSWORD }),
  });
  assert.equal(setup.status, 200);
  await login(page, 'reviewer@example.org', PASSWORD);
  await page.waitForURL(/\/console\/queue$/);
  assert.doesNotMatch(await page.locator('nav').innerText(), /Applications/);
  for (const p of ['apps', 'operators']) {
    const resp = await page.goto(`${server.base}/console/${p}`);
    assert.equal(resp.status(), 403, `/console/${p}`);
    await page.locator('[data-denied="403"]').waitFor();
    await shot(page, `403-${p}`);
  }
  const api = await page.evaluate(() => fetch('/console/api/operators').then((r) => r.status));
  assert.equal(api, 403);
  await page.locator('#logout').click();
  await page.waitForURL(/\/console\/login$/);

  for (let n = 1; n <= 5; n++) {
    await page.locator('#email').fill('reviewer@example.org');
    await page.locator('#password').fill(`wrong password ${n}`);
    const answer = page.waitForResponse((r) => r.url().endsWith('/console/api/login'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.equal((await answer).status(), n < 5 ? 401 : 423, `attempt ${n}`);
  }
  assert.match(await page.locator('[role="alert"]').innerText(), /locked/);
  await page.locator('#password').fill(PASSWORD);
  const answer = page.waitForResponse((r) => r.url().endsWith('/console/api/login'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.equal((await answer).status(), 423, 'locked: the right password is refused too');
  await shot(page, 'locked');
  await page.close();
});
