// Driving the sign-up flow like a person: keyboard for the forms, files for the photos.
'use strict';

const assert = require('node:assert/strict');

const STEP_TIMEOUT = 90000;

// Screens where the flow stops and waits for the person: reaching one of these instead of the
// awaited step fails at once, with what the screen says.
const RESTING = ['retake', 'declined', 'details', 'done'];

async function waitStep(page, step, timeout = STEP_TIMEOUT) {
  const handle = await page.waitForFunction(({ want, resting }) => {
    const root = document.querySelector('[data-idv-step]');
    if (!root) return null;
    const now = root.getAttribute('data-idv-step');
    if (now === want) return { ok: true };
    const err = root.querySelector('.idv-send-error .idv-error');
    if (now === 'send' && err && err.textContent && want !== 'send') return { ok: false, now, text: err.textContent };
    if (resting.includes(now)) return { ok: false, now, text: root.innerText.slice(0, 400) };
    return null;
  }, { want: step, resting: RESTING.filter((s) => s !== step) }, { timeout });
  const r = await handle.jsonValue();
  if (!r.ok) throw new Error(`waiting for step ${step}, the flow shows ${r.now}: ${r.text}`);
}

/** Account step with the keyboard only: Tab from the focused heading through the form. */
async function fillAccount(page, email, password) {
  await waitStep(page, 'account', 20000);
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.tagName);
  assert.equal(focused, 'H2', 'the step heading has the focus');
  await page.keyboard.press('Tab');
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
}

/** Document type with the keyboard: first radio is passport, ArrowDown moves to ID card. */
async function chooseDocType(page, type) {
  await waitStep(page, 'doctype');
  await page.keyboard.press('Tab');
  if (type === 'id-card') await page.keyboard.press('ArrowDown');
  else await page.keyboard.press('Space');
  const checked = await page.locator('input[name="docType"]:checked').getAttribute('value');
  assert.equal(checked, type);
  await page.keyboard.press('Tab'); // Back
  await page.keyboard.press('Tab'); // Continue
  await page.keyboard.press('Enter');
}

/** One capture step by file upload; leaves the preview on screen (returns before "Use"). */
async function uploadPhoto(page, kind, file) {
  await waitStep(page, `capture-${kind}`);
  await page.locator(`input[type="file"][data-kind="${kind}"]`).setInputFiles(file);
  await page.locator('.idv-preview-img').waitFor({ timeout: 20000 });
}

/** The same with the keyboard only: Tab to the file input, Space opens the file chooser. */
async function uploadPhotoByKeyboard(page, kind, file) {
  await waitStep(page, `capture-${kind}`);
  for (let i = 0; i < 4; i++) {
    const on = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-kind'));
    if (on === kind) break;
    await page.keyboard.press('Tab');
  }
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-kind')), kind, 'Tab reaches the file input');
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Space');
  await (await chooser).setFiles(file);
  await page.locator('.idv-preview-img').waitFor({ timeout: 20000 });
  // Focus lands on "Use this photo"; Enter takes it.
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Use this photo');
}

async function usePhoto(page) {
  await page.getByRole('button', { name: 'Use this photo' }).click();
}

async function detailsValues(page) {
  await waitStep(page, 'details');
  const v = {};
  for (const name of ['firstName', 'lastName', 'dateOfBirth', 'nationality', 'documentNumber']) {
    v[name] = await page.locator(`input[name="${name}"]`).inputValue();
  }
  return v;
}

/** No horizontal scrolling at the current (phone) width. */
async function assertFits(page) {
  const { sw, cw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
  assert.ok(sw <= cw, `page scrolls sideways: ${sw} > ${cw}`);
}

module.exports = { waitStep, fillAccount, chooseDocType, uploadPhoto, uploadPhotoByKeyboard, usePhoto, detailsValues, assertFits };
