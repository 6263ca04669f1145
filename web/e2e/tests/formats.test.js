// Issue 16 in the browser: the file picker offers the formats the service reads, and a file
// Chromium cannot decode — a passport photo saved as HEIC, as iPhones do — is sent as it is,
// read by the service, and prefills the details like a JPEG would.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

const h = require('../lib/harness');
const f = require('../lib/flow');

let server;
let browser;
let workDir;
let passport;
let selfie;

before(async () => {
  server = await h.startServer('formats');
  browser = await h.launch();
  workDir = h.tempDir('idverify-e2e-formats-');
  passport = h.fixtures(path.join(workDir, 'passport'), ['--count', '1', '--seed', '21', '--format', 'td3']).docs[0];
  selfie = await h.makeSelfie(browser.context, path.join(workDir, 'selfie.jpg'));
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

test('a HEIC passport photo is sent as it is, read by the service and prefills the details', async () => {
  // Debian's heif-enc (libheif-examples, installed by scripts/lib/ensure.sh).
  const heic = path.join(workDir, 'passport.heic');
  execFileSync('heif-enc', ['-q', '90', '-o', heic, passport.front], { stdio: 'ignore' });
  const page = await browser.context.newPage();
  const { shot } = h.shooter('heic');
  await page.goto(`${server.base}/demo`);
  await f.fillAccount(page, 'iphone.person@example.com', 'correct horse battery');
  await f.chooseDocType(page, 'passport');
  await f.waitStep(page, 'capture-front');
  const input = page.locator('input[type="file"][data-kind="front"]');
  const accept = await input.getAttribute('accept');
  for (const type of ['image/jpeg', 'image/heic', 'image/tiff', 'image/bmp', 'application/pdf', '.heic', '.pdf']) {
    assert.ok(accept.split(',').includes(type), `accept lists ${type}: ${accept}`);
  }
  await input.setInputFiles(heic);
  const note = page.locator('.idv-preview-file');
  await note.waitFor({ timeout: 20000 });
  assert.match(await note.innerText(), /passport\.heic will be sent as it is/);
  await shot(page, 'front-as-is');
  await f.usePhoto(page);
  await f.uploadPhoto(page, 'selfie', selfie);
  const uploads = [];
  page.on('response', (r) => {
    if (r.url().endsWith('/files') && r.request().method() === 'POST') uploads.push(r.json());
  });
  await f.usePhoto(page);
  const shown = await f.detailsValues(page);
  await shot(page, 'details-prefilled');
  const front = (await Promise.all(uploads)).find((u) => u.kind === 'front');
  assert.equal(front.mediaType, 'image/heic', 'the HEIC file itself was sent');
  assert.equal(front.bytes, fs.statSync(heic).size);
  const spec = passport.truth.spec;
  assert.equal(shown.documentNumber, spec.document_number);
  assert.equal(shown.dateOfBirth, spec.birth_date);
  assert.equal(shown.nationality, spec.nationality);
  await page.close();
});
