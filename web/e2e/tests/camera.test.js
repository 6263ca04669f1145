// The camera path: Chromium's fake capture device plays a Y4M made from a rendered passport;
// the person takes the photos with the camera (guide frame, capture button) and signs up. Also:
// a refused camera falls back to the file upload and says why.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');

const h = require('../lib/harness');
const f = require('../lib/flow');

let server;
let workDir;
let passport;
let y4m;

before(async () => {
  server = await h.startServer('camera');
  workDir = h.tempDir('idverify-e2e-cam-');
  passport = h.fixtures(path.join(workDir, 'passport'), ['--count', '1', '--seed', '21', '--format', 'td3']).docs[0];
  // The Y4M is made in a plain browser first (decoding the JPEG there).
  const maker = await h.launch();
  try {
    y4m = await h.makeY4m(maker.context, passport.front, path.join(workDir, 'passport.y4m'));
  } finally {
    await maker.close();
  }
});

after(async () => {
  if (server) await server.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

async function cameraBrowser(grant) {
  const b = await h.launch([
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${y4m}`,
  ]);
  if (grant) await b.context.grantPermissions(['camera'], { origin: server.base });
  return b;
}

async function takeWithCamera(page, kind, shot) {
  await f.waitStep(page, `capture-${kind}`);
  await page.getByRole('button', { name: 'Use the camera' }).click();
  await page.waitForFunction(() => {
    const v = document.querySelector('video.idv-video');
    return v && v.readyState >= 2 && v.videoWidth > 0;
  }, null, { timeout: 20000 });
  assert.equal(await page.locator('.idv-guide').count(), 1, 'a guide frame is drawn over the video');
  if (shot) await shot(page, `camera-${kind}`);
  const take = page.getByRole('button', { name: 'Take photo' });
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Take photo');
  await take.click();
  await page.locator('.idv-preview-img').waitFor({ timeout: 20000 });
  // Tracks are stopped once the photo is taken.
  assert.equal(await page.locator('video.idv-video').count(), 0);
}

test('the camera path: front and selfie taken with the (fake) camera, then prefilled details', async () => {
  const b = await cameraBrowser(true);
  const page = await b.context.newPage();
  const { shot } = h.shooter('camera');
  const uploads = [];
  page.on('response', (r) => {
    if (/\/files$/.test(r.url())) uploads.push(r.json());
  });
  try {
    await page.goto(`${server.base}/demo`);
    await f.fillAccount(page, 'camera@example.com', 'correct horse battery');
    await f.chooseDocType(page, 'passport');
    await takeWithCamera(page, 'front', shot);
    await shot(page, 'camera-front-preview');
    await f.usePhoto(page);
    await takeWithCamera(page, 'selfie', null);
    await f.usePhoto(page);
    const shown = await f.detailsValues(page);
    await shot(page, 'camera-details');
    assert.equal(shown.documentNumber, passport.truth.spec.document_number);
    assert.equal(shown.dateOfBirth, passport.truth.spec.birth_date);
    // What the service stored: the captures, re-encoded as JPEG in the page.
    const stored = await Promise.all(uploads);
    assert.deepEqual(stored.map((u) => u.kind), ['front', 'selfie']);
    for (const u of stored) {
      assert.equal(u.mediaType, 'image/jpeg');
      assert.ok(u.bytes > 10000, `a ${u.bytes}-byte capture`);
    }
  } finally {
    await b.close();
  }
});

test('a refused camera falls back to the file upload and says why', async () => {
  const b = await cameraBrowser(false);
  const page = await b.context.newPage();
  const { shot } = h.shooter('camera-refused');
  try {
    await page.goto(`${server.base}/demo`);
    await f.fillAccount(page, 'nocamera@example.com', 'correct horse battery');
    await f.chooseDocType(page, 'passport');
    await f.waitStep(page, 'capture-front');
    await page.getByRole('button', { name: 'Use the camera' }).click();
    const alert = page.locator('.idv-error[role="alert"]');
    await alert.filter({ hasText: /refused/ }).waitFor({ timeout: 20000 });
    assert.match(await alert.innerText(), /Upload a photo instead/);
    const focusedKind = await page.evaluate(() => document.activeElement.getAttribute('data-kind'));
    assert.equal(focusedKind, 'front', 'focus moves to the file upload');
    await shot(page, 'refused');
    await page.locator('input[type="file"][data-kind="front"]').setInputFiles(passport.front);
    await page.locator('.idv-preview-img').waitFor({ timeout: 20000 });
    await shot(page, 'fallback-upload');
  } finally {
    await b.close();
  }
});
