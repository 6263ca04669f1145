// An integrator's page on another origin, under a strict CSP of its own, embeds the flow from
// the service: the flow's calls pass CORS for an origin the application allows, and are refused
// for one it does not.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');
const fs = require('node:fs');

const h = require('../lib/harness');
const f = require('../lib/flow');

let server;
let browser;
let workDir;
let passport;
let selfie;
let app;
const shops = [];

const EMBED_JS = `
  const el = document.getElementById('signup');
  IdVerify.mount(el, { publishableKey: el.getAttribute('data-key') }).setOnComplete((data) => {
    document.body.setAttribute('data-complete', data.ocr.id);
  });
`;

/** A shop on its own 127.0.0.1 port with a strict CSP that allows only itself and the service. */
function startShop(serviceBase, key) {
  return new Promise((resolve) => {
    const srv = http.createServer((req, res) => {
      if (req.url === '/embed.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(EMBED_JS);
        return;
      }
      const csp = [
        "default-src 'none'",
        `script-src 'self' ${serviceBase}`,
        `style-src ${serviceBase}`,
        `connect-src ${serviceBase}`,
        'img-src blob: data:',
        'media-src blob:',
        "base-uri 'none'",
      ].join('; ');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title></head>
        <body><h1>Another shop</h1><div id="signup" data-key="${key}"></div>
        <script src="${serviceBase}/flow/signup.js"></script><script src="/embed.js"></script></body></html>`);
    });
    srv.listen(0, '127.0.0.1', () => {
      shops.push(srv);
      resolve(`http://127.0.0.1:${srv.address().port}`);
    });
  });
}

before(async () => {
  server = await h.startServer('crossorigin');
  browser = await h.launch();
  workDir = h.tempDir('idverify-e2e-xo-');
  passport = h.fixtures(path.join(workDir, 'p'), ['--count', '1', '--seed', '31', '--format', 'td3']).docs[0];
  selfie = await h.makeSelfie(browser.context, path.join(workDir, 'selfie.jpg'));
  app = JSON.parse(execFileSync(h.IDVERIFY, ['apps', 'create', '--name', 'another shop', '--data-dir', server.dataDir]).toString());
});

after(async () => {
  for (const s of shops) s.close();
  if (browser) await browser.close();
  if (server) await server.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

async function runFlow(page, shop) {
  const answers = [];
  const violations = [];
  page.on('response', (r) => {
    if (r.url().startsWith(server.base) && /\/verifications/.test(r.url())) answers.push(`${r.request().method()} ${new URL(r.url()).pathname.replace(/[0-9a-f]{36}/, ':id')} ${r.status()}`);
  });
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text()); });
  await page.goto(shop);
  await f.fillAccount(page, 'cross@example.com', 'correct horse battery');
  await f.chooseDocType(page, 'passport');
  await f.uploadPhoto(page, 'front', passport.front);
  await f.usePhoto(page);
  await f.uploadPhoto(page, 'selfie', selfie);
  await f.usePhoto(page);
  return { answers, violations };
}

test('an allowed origin runs the flow cross-origin under its own strict CSP', async () => {
  const shop = await startShop(server.base, app.publishableKey);
  execFileSync(h.IDVERIFY, ['apps', 'origins', '--app', app.appId, shop, '--data-dir', server.dataDir]);
  const page = await browser.context.newPage();
  const { shot } = h.shooter('crossorigin');
  const { answers, violations } = await runFlow(page, shop);
  const shown = await f.detailsValues(page);
  assert.equal(shown.documentNumber, passport.truth.spec.document_number);
  await shot(page, 'details');
  await page.getByRole('button', { name: 'Confirm and finish' }).click();
  await page.locator('body[data-complete]').waitFor();
  assert.ok(answers.includes('POST /verifications 202'), answers.join(', '));
  assert.ok(answers.includes('POST /verifications/:id/submit 202'), answers.join(', '));
  assert.ok(answers.includes('GET /verifications/:id/status 200'), answers.join(', '));
  assert.deepEqual(violations, []);
  await shot(page, 'done');
  await page.close();
});

test('an origin the application does not allow is refused', async () => {
  const shop = await startShop(server.base, app.publishableKey);
  const page = await browser.context.newPage();
  const { shot } = h.shooter('crossorigin-refused');
  const { answers } = await runFlow(page, shop);
  // The browser blocks the call after the refused preflight: the page reads nothing.
  const error = page.locator('.idv-send-error .idv-error');
  await error.waitFor({ timeout: 20000 });
  assert.match(await error.innerText(), /could not be reached/);
  assert.ok(!answers.some((a) => a.startsWith('POST /verifications 202')), answers.join(', '));
  await shot(page, 'refused');
  await page.close();
});
