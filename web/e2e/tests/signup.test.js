// The sign-up flow end to end in headless Chromium against a real `idverify serve --demo`:
// a person signs up on the demo shop with rendered specimens (files), the decline path for an
// expired document, the retake prompt for an image without a readable MRZ, a failed submit that
// is retried, and a lost connection. Screenshots of every step go to target/e2e/.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');

const h = require('../lib/harness');
const f = require('../lib/flow');

const ATTRIBUTE_KEYS = ['documentType', 'firstName', 'originalFirstName', 'lastName', 'originalLastName',
  'documentNumbers', 'idNumber', 'referenceId', 'gender', 'nationality', 'issueCountry', 'dateOfExpiry',
  'dateOfBirth', 'placeOfBirth'];

let server;
let browser;
let fx;
let selfie;
let workDir;

before(async () => {
  server = await h.startServer('signup');
  browser = await h.launch();
  workDir = h.tempDir('idverify-e2e-fx-');
  fx = {
    // 600 dpi: a 2022 px wide card, which the flow must downscale to 1600 px before upload.
    card: h.fixtures(path.join(workDir, 'card'), ['--count', '1', '--seed', '11', '--format', 'td1', '--dpi', '600']).docs[0],
    passport: h.fixtures(path.join(workDir, 'passport'), ['--count', '1', '--seed', '12', '--format', 'td3']).docs[0],
    expired: h.fixtures(path.join(workDir, 'expired'), ['--count', '1', '--seed', '13', '--format', 'td3', '--valid-on', '2012-03-01']).docs[0],
    noMrz: h.fixtures(path.join(workDir, 'nomrz'), ['--count', '0', '--negatives', '1', '--seed', '14']).negatives[0],
  };
  assert.ok(fx.card.back, 'the ID card has a back');
  selfie = await h.makeSelfie(browser.context, path.join(workDir, 'selfie.jpg'));
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

async function jwks() {
  const r = await fetch(`${server.base}/.well-known/jwks.json`);
  assert.equal(r.status, 200);
  return r.json();
}

/** Checks the callback object against CONTRACT §4 and verifies its token independently. */
async function checkCallback(data, email) {
  assert.deepEqual(Object.keys(data).sort(), ['account', 'ocr', 'person']);
  assert.equal(data.account.email, email);
  const ocr = data.ocr;
  assert.deepEqual(Object.keys(ocr).sort(), ['applicationStatus', 'data', 'id', 'resultUrl', 'signed']);
  assert.match(ocr.id, /^[0-9a-f]{36}$/);
  assert.ok(['approved', 'declined', 'needs-review'].includes(ocr.applicationStatus), ocr.applicationStatus);
  assert.equal(ocr.resultUrl, `${server.base}/verifications/results/${ocr.id}`);
  assert.equal(ocr.data.status, 'done');
  for (const k of ATTRIBUTE_KEYS) assert.ok(k in ocr.data.attributes, `attributes.${k}`);
  const { header, payload } = h.verifyJwt(ocr.signed, await jwks());
  assert.equal(header.typ, 'JWT');
  assert.equal(payload.id, ocr.id);
  assert.equal(payload.resultUrl, ocr.resultUrl);
  assert.equal(typeof payload.iss, 'string');
  assert.equal(typeof payload.iat, 'number');
  return ocr;
}

async function demoRecord(id) {
  const r = await fetch(`${server.base}/demo/api/results/${id}`);
  assert.equal(r.status, 200, 'the demo back end kept what it fetched');
  return r.json();
}

test('signs up with an ID card: prefilled details, callback per CONTRACT §4, token verifies, demo fetched a done result', async () => {
  const page = await browser.context.newPage();
  const { shot } = h.shooter('signup');
  const email = 'anna.person@example.com';
  const truth = fx.card.truth;
  await page.goto(`${server.base}/demo`);
  await f.waitStep(page, 'account');
  await f.assertFits(page);
  await shot(page, 'account');

  // Validation: submitting empty says what is wrong and focuses the first bad field.
  await page.getByRole('button', { name: 'Continue' }).click();
  assert.equal(await page.evaluate(() => document.activeElement.name), 'email');
  assert.match(await page.locator('.idv-error').first().innerText(), /required/);
  await shot(page, 'account-errors');
  await page.goto(`${server.base}/demo`);

  await f.fillAccount(page, email, 'correct horse battery');
  await f.waitStep(page, 'doctype');
  await shot(page, 'doctype');
  await f.chooseDocType(page, 'id-card');

  await f.uploadPhotoByKeyboard(page, 'front', fx.card.front);
  await shot(page, 'front-preview');
  await page.keyboard.press('Enter');
  await f.uploadPhoto(page, 'back', fx.card.back);
  await shot(page, 'back-preview');
  await f.usePhoto(page);
  await f.waitStep(page, 'capture-selfie');
  await f.assertFits(page);
  await shot(page, 'selfie-step');
  await f.uploadPhoto(page, 'selfie', selfie);
  await f.usePhoto(page);

  await f.waitStep(page, 'send');
  await page.locator('.idv-status').filter({ hasText: /Uploading|Sending|Checking|Starting/ }).first().waitFor();
  await shot(page, 'sending');

  const shown = await f.detailsValues(page);
  await f.assertFits(page);
  await shot(page, 'details-prefilled');
  // Prefilled from the document: printed forms when read, else the MRZ forms.
  const spec = truth.spec;
  const mrzSurname = truth.mrz_lines[2].split('<<')[0].replace(/</g, ' ');
  assert.equal(shown.dateOfBirth, spec.birth_date);
  assert.equal(shown.documentNumber, spec.document_number);
  assert.equal(shown.nationality, spec.nationality);
  assert.ok([spec.surname, mrzSurname].includes(shown.lastName), `last name ${shown.lastName}`);
  assert.ok(shown.firstName.length > 0);

  // The person corrects one field before confirming.
  await page.locator('input[name="firstName"]').fill(`${shown.firstName} Corrected`);
  const completeReq = page.waitForRequest((r) => r.url().endsWith('/demo/api/complete'));
  await page.getByRole('button', { name: 'Confirm and finish' }).click();
  const data = JSON.parse((await completeReq).postData());
  assert.equal(data.person.firstName, `${shown.firstName} Corrected`);
  assert.equal(data.person.dateOfBirth, spec.birth_date);
  const ocr = await checkCallback(data, email);
  assert.equal(ocr.data.attributes.documentType, 'id-card');

  await page.waitForURL(/\/demo\/result\?id=/);
  await page.locator('[data-loaded="true"]').waitFor({ timeout: 20000 });
  const decision = await page.locator('[data-decision]').getAttribute('data-decision');
  assert.equal(decision, ocr.applicationStatus);
  // The images were fetched through the demo back end with the secret key.
  for (const kind of ['front', 'back', 'selfie']) {
    const img = page.locator(`img[data-kind="${kind}"]`);
    await img.waitFor();
    await page.waitForFunction((k) => {
      const el = document.querySelector(`img[data-kind="${k}"]`);
      return el && el.complete && el.naturalWidth > 0;
    }, kind, { timeout: 20000 });
  }
  await shot(page, 'demo-result');
  // Downscaled in the browser: long side 1600 px, re-encoded as JPEG.
  const front = await page.evaluate(() => {
    const el = document.querySelector('img[data-kind="front"]');
    return { w: el.naturalWidth, h: el.naturalHeight };
  });
  assert.equal(Math.max(front.w, front.h), 1600, `front stored at ${front.w}x${front.h}`);

  const rec = await demoRecord(ocr.id);
  assert.equal(rec.tokenVerified, true);
  assert.equal(rec.result.status, 'done');
  assert.equal(rec.result.results.status, ocr.applicationStatus);
  assert.equal(rec.account.password, undefined, 'the demo does not keep the password');
  await page.close();
});

test('an expired passport shows the decline path', async () => {
  const page = await browser.context.newPage();
  const { shot } = h.shooter('expired');
  await page.goto(`${server.base}/demo`);
  await f.fillAccount(page, 'old.passport@example.com', 'correct horse battery');
  await f.chooseDocType(page, 'passport');
  await f.uploadPhoto(page, 'front', fx.expired.front);
  await f.usePhoto(page);
  await f.uploadPhoto(page, 'selfie', selfie);
  await f.usePhoto(page);
  await f.waitStep(page, 'declined');
  const text = await page.locator('[data-idv-step="declined"]').innerText();
  assert.match(text, /could not verify your document/);
  assert.match(text, /expired/i, 'the reason is shown');
  await shot(page, 'declined');
  // The person may still finish; the integrator gets the declined decision.
  const completeReq = page.waitForRequest((r) => r.url().endsWith('/demo/api/complete'));
  await page.getByRole('button', { name: 'Continue anyway' }).click();
  await f.detailsValues(page);
  await page.getByRole('button', { name: 'Confirm and finish' }).click();
  const data = JSON.parse((await completeReq).postData());
  const ocr = await checkCallback(data, 'old.passport@example.com');
  assert.equal(ocr.applicationStatus, 'declined');
  await page.locator('[data-loaded="true"]').waitFor({ timeout: 20000 });
  assert.equal(await page.locator('[data-decision]').getAttribute('data-decision'), 'declined');
  assert.ok(await page.locator('[data-concern="DC010"]').count() >= 1, 'the expiry concern is listed');
  await shot(page, 'demo-result-declined');
  await page.close();
});

test('an image without a readable MRZ asks for a retake with the concern message, and the retake goes through', async () => {
  const page = await browser.context.newPage();
  const { shot } = h.shooter('retake');
  await page.goto(`${server.base}/demo`);
  await f.fillAccount(page, 'retake@example.com', 'correct horse battery');
  await f.chooseDocType(page, 'passport');
  await f.uploadPhoto(page, 'front', fx.noMrz);
  await f.usePhoto(page);
  await f.uploadPhoto(page, 'selfie', selfie);
  await f.usePhoto(page);
  await f.waitStep(page, 'retake');
  const text = await page.locator('[data-idv-step="retake"]').innerText();
  assert.match(text, /couldn't read your document/);
  assert.match(text, /machine-readable lines/i, 'the concern is explained');
  assert.match(text, /good light/i, 'with the next step');
  await shot(page, 'retake-prompt');
  await page.getByRole('button', { name: 'Take new photos' }).click();
  await f.uploadPhoto(page, 'front', fx.passport.front);
  await shot(page, 'retake-new-front');
  await f.usePhoto(page);
  // The selfie is kept: straight to its preview.
  await f.waitStep(page, 'capture-selfie');
  await page.locator('.idv-preview-img').waitFor();
  await f.usePhoto(page);
  const shown = await f.detailsValues(page);
  assert.equal(shown.dateOfBirth, fx.passport.truth.spec.birth_date);
  await shot(page, 'retake-details');
  await page.close();
});

test('the same concern twice in a row does not loop: after two retakes the person goes on to review', async () => {
  const page = await browser.context.newPage();
  const { shot } = h.shooter('retake-loop');
  await page.goto(`${server.base}/demo`);
  await f.fillAccount(page, 'stuck@example.com', 'correct horse battery');
  await f.chooseDocType(page, 'passport');
  await f.uploadPhoto(page, 'front', fx.noMrz);
  await f.usePhoto(page);
  await f.uploadPhoto(page, 'selfie', selfie);
  await f.usePhoto(page);
  for (let round = 1; round <= 2; round += 1) {
    await f.waitStep(page, 'retake');
    const text = await page.locator('[data-idv-step="retake"]').innerText();
    // The reason and the next step.
    assert.match(text, /machine-readable lines/i, `round ${round}: the reason is shown`);
    assert.match(text, /good light/i, `round ${round}: the next step is shown`);
    const goOn = page.getByRole('button', { name: 'Continue to review' });
    assert.equal(await goOn.count(), round === 1 ? 0 : 1, `round ${round}: continue offered after a first retake`);
    await shot(page, `retake-round-${round}`);
    await page.getByRole('button', { name: 'Take new photos' }).click();
    await f.uploadPhoto(page, 'front', fx.noMrz);
    await f.usePhoto(page);
    await f.waitStep(page, 'capture-selfie');
    await page.locator('.idv-preview-img').waitFor();
    await f.usePhoto(page);
  }
  // Third answer with the same concern: no third retake prompt.
  await f.waitStep(page, 'details');
  const note = await page.locator('[data-idv-stuck]').innerText();
  assert.match(note, /a person will review/i);
  await shot(page, 'retake-loop-review');
  await page.close();
});

test('a failed submit is retried without losing what was entered', async () => {
  const page = await browser.context.newPage();
  const { shot } = h.shooter('retry');
  let submits = 0;
  const uploads = [];
  page.on('request', (r) => { if (/\/files$/.test(r.url())) uploads.push(r.url()); });
  await page.route('**/verifications/*/submit', async (route) => {
    submits += 1;
    if (submits === 1) {
      await route.fulfill({ status: 503, contentType: 'application/json', body: '{"statusCode":503,"message":"Service Unavailable","error":"Service Unavailable"}' });
    } else {
      await route.continue();
    }
  });
  await page.goto(`${server.base}/demo`);
  await f.fillAccount(page, 'retry@example.com', 'correct horse battery');
  await f.chooseDocType(page, 'passport');
  await f.uploadPhoto(page, 'front', fx.passport.front);
  await f.usePhoto(page);
  await f.uploadPhoto(page, 'selfie', selfie);
  await f.usePhoto(page);
  const retry = page.getByRole('button', { name: 'Try again' });
  await retry.waitFor({ timeout: 30000 });
  assert.match(await page.locator('[role="alert"]').last().innerText(), /kept/);
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Try again', 'focus moves to the retry button');
  await shot(page, 'submit-failed');
  await page.keyboard.press('Enter');
  await f.detailsValues(page);
  await shot(page, 'after-retry');
  assert.equal(submits, 2);
  assert.equal(uploads.length, 2, 'the photos were not uploaded again');
  const completeReq = page.waitForRequest((r) => r.url().endsWith('/demo/api/complete'));
  await page.getByRole('button', { name: 'Confirm and finish' }).click();
  const data = JSON.parse((await completeReq).postData());
  await checkCallback(data, 'retry@example.com');
  await page.close();
});

test('a lost connection is reported and the flow continues once back online', async () => {
  const context = browser.context;
  const page = await context.newPage();
  const { shot } = h.shooter('offline');
  await page.goto(`${server.base}/demo`);
  await f.fillAccount(page, 'offline@example.com', 'correct horse battery');
  await f.chooseDocType(page, 'passport');
  await f.uploadPhoto(page, 'front', fx.passport.front);
  await f.usePhoto(page);
  await f.uploadPhoto(page, 'selfie', selfie);
  await context.setOffline(true);
  await f.usePhoto(page);
  await page.locator('.idv-offline:not([hidden])').waitFor();
  await page.getByText(/connection was lost/).waitFor({ timeout: 20000 });
  await shot(page, 'offline');
  await context.setOffline(false);
  // Back online: the flow resumes by itself (no click), from where it stopped.
  await page.locator('.idv-send-error .idv-error').waitFor({ state: 'detached', timeout: 20000 });
  const shown = await f.detailsValues(page);
  assert.equal(shown.documentNumber, fx.passport.truth.spec.document_number);
  await shot(page, 'back-online');
  await page.close();
});

test('the flow speaks French with locale fr, and /flow/ works on its own under its CSP', async () => {
  const page = await browser.context.newPage();
  const { shot } = h.shooter('locale');
  const violations = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  await page.goto(`${server.base}/demo?locale=fr`);
  await f.waitStep(page, 'account');
  assert.equal(await page.locator('h2').innerText(), 'Votre compte');
  await shot(page, 'fr-account');
  const key = await page.locator('#signup').getAttribute('data-publishable-key');
  const resp = await page.goto(`${server.base}/flow/?key=${key}`);
  assert.match(resp.headers()['content-security-policy'], /script-src 'self'/);
  await f.waitStep(page, 'account');
  await shot(page, 'standalone');
  assert.deepEqual(violations, []);
  await page.close();
});
