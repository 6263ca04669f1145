// Shared e2e plumbing: build paths, specimen fixtures from the testkit binary, a fresh
// `idverify serve --demo` on 127.0.0.1, headless Debian Chromium with a fresh profile,
// screenshots under target/e2e/, and an independent ES512 check of tokens (node:crypto).
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TARGET = process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target');
const BIN_DIR = path.join(TARGET, process.env.IDVERIFY_PROFILE || 'debug');
const IDVERIFY = process.env.IDVERIFY_BIN || path.join(BIN_DIR, 'idverify');
const FIXTURES = process.env.IDVERIFY_FIXTURES_BIN || path.join(BIN_DIR, 'idverify-fixtures');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = path.join(TARGET, 'e2e');
const BASE_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Renders specimens with the testkit binary; returns {dir, docs: [{truth, files...}]}. */
function fixtures(dir, args) {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync(FIXTURES, ['--out', dir, '--truth', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  const docs = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const m = /^(\d{4})_(\w+)\.truth\.json$/.exec(name);
    if (!m) continue;
    const truth = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')).truth;
    const stem = `${m[1]}_${m[2]}`;
    const front = path.join(dir, `${stem}.jpg`);
    const back = path.join(dir, `${stem}_back.jpg`);
    docs.push({ truth, front, back: fs.existsSync(back) ? back : null });
  }
  const negatives = fs.readdirSync(dir).filter((n) => /^neg\d+_\w+\.jpg$/.test(n)).map((n) => path.join(dir, n));
  return { dir, docs, negatives };
}

/** Starts `idverify serve --demo` with a fresh data dir; resolves once /healthz answers. */
async function startServer(name) {
  const port = await freePort();
  const dataDir = tempDir('idverify-e2e-data-');
  fs.mkdirSync(SHOTS, { recursive: true });
  const log = fs.openSync(path.join(SHOTS, `${name}-server.log`), 'w');
  const child = spawn(IDVERIFY, ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir, '--demo'], {
    stdio: ['ignore', log, log],
    env: { ...process.env, IDVERIFY_LOG: process.env.IDVERIFY_LOG || 'info' },
  });
  const stop = () => { if (child.exitCode === null) child.kill('SIGTERM'); };
  process.on('exit', stop);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`idverify serve exited with ${child.exitCode}; see ${name}-server.log`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch (e) { /* not up yet */ }
    if (Date.now() > deadline) { stop(); throw new Error('idverify serve did not come up in 30 s'); }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    dataDir,
    async stop() {
      stop();
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Headless Chromium with a fresh user-data-dir; `extraArgs` e.g. the fake camera flags. */
async function launch(extraArgs = [], contextOptions = {}) {
  const profile = tempDir('idverify-e2e-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...BASE_ARGS, ...extraArgs],
    viewport: { width: 360, height: 800 },
    deviceScaleFactor: 1,
    ...contextOptions,
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Screenshot helper: target/e2e/<prefix>-NN-<step>.png, full page. */
function shooter(prefix) {
  let n = 0;
  const taken = [];
  return {
    taken,
    async shot(page, step) {
      n += 1;
      const file = path.join(SHOTS, `${prefix}-${String(n).padStart(2, '0')}-${step}.png`);
      await page.screenshot({ path: file, fullPage: true });
      taken.push(file);
      return file;
    },
  };
}

/** A JPEG "selfie" drawn in the browser (a face-like drawing; the service only stores it). */
async function makeSelfie(context, file) {
  const page = await context.newPage();
  const b64 = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 480; c.height = 640;
    const g = c.getContext('2d');
    g.fillStyle = '#9fb8d0'; g.fillRect(0, 0, 480, 640);
    g.fillStyle = '#e0b89a'; g.beginPath(); g.ellipse(240, 280, 120, 160, 0, 0, 2 * Math.PI); g.fill();
    g.fillStyle = '#3b2a20'; g.beginPath(); g.ellipse(240, 160, 130, 70, 0, Math.PI, 2 * Math.PI); g.fill();
    g.fillStyle = '#222';
    g.beginPath(); g.arc(195, 260, 12, 0, 2 * Math.PI); g.fill();
    g.beginPath(); g.arc(285, 260, 12, 0, 2 * Math.PI); g.fill();
    g.strokeStyle = '#8a3b2e'; g.lineWidth = 6; g.beginPath(); g.arc(240, 330, 45, 0.15 * Math.PI, 0.85 * Math.PI); g.stroke();
    g.fillStyle = '#2d4b6b'; g.fillRect(90, 470, 300, 170);
    return c.toDataURL('image/jpeg', 0.9).split(',')[1];
  });
  await page.close();
  fs.writeFileSync(file, Buffer.from(b64, 'base64'));
  return file;
}

/**
 * A one-frame Y4M (4:2:0) for Chromium's fake camera, made from a JPEG: the image is decoded
 * and scaled to fit `width`×`height` on a dark background in the browser, converted to I420 here.
 */
async function makeY4m(context, jpeg, file, width = 1280, height = 720) {
  const page = await context.newPage();
  const rgba = await page.evaluate(async ({ b64, w, h }) => {
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
    const c = document.createElement('canvas');
    c.width = w; c.height = h;
    const g = c.getContext('2d');
    g.fillStyle = '#202428'; g.fillRect(0, 0, w, h);
    const s = Math.min((w * 0.94) / bmp.width, (h * 0.94) / bmp.height);
    const dw = bmp.width * s, dh = bmp.height * s;
    g.drawImage(bmp, (w - dw) / 2, (h - dh) / 2, dw, dh);
    const data = g.getImageData(0, 0, w, h).data;
    let bin = '';
    for (let i = 0; i < data.length; i += 0x8000) bin += String.fromCharCode.apply(null, data.subarray(i, i + 0x8000));
    return btoa(bin);
  }, { b64: fs.readFileSync(jpeg).toString('base64'), w: width, h: height });
  await page.close();
  const px = Buffer.from(rgba, 'base64');
  const Y = Buffer.alloc(width * height);
  const U = Buffer.alloc((width / 2) * (height / 2));
  const V = Buffer.alloc((width / 2) * (height / 2));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const r = px[i], g = px[i + 1], b = px[i + 2];
      Y[y * width + x] = Math.max(0, Math.min(255, Math.round(0.299 * r + 0.587 * g + 0.114 * b)));
      if (y % 2 === 0 && x % 2 === 0) {
        const j = (y / 2) * (width / 2) + x / 2;
        U[j] = Math.max(0, Math.min(255, Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)));
        V[j] = Math.max(0, Math.min(255, Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)));
      }
    }
  }
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\nFRAME\n`, 'ascii');
  fs.writeFileSync(file, Buffer.concat([header, Y, U, V]));
  return file;
}

/** Verifies an ES512 compact JWS against a JWKS with node:crypto; returns the payload. */
function verifyJwt(token, jwks) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('not a compact JWS');
  const [h, p, s] = parts;
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
  if (header.alg !== 'ES512') throw new Error(`alg ${header.alg}`);
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new Error(`no key ${header.kid} in the JWKS`);
  const key = crypto.createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
  const ok = crypto.verify('sha512', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  if (!ok) throw new Error('signature does not verify');
  return { header, payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) };
}

module.exports = {
  ROOT, SHOTS, IDVERIFY, FIXTURES, CHROMIUM, BASE_ARGS,
  tempDir, fixtures, startServer, launch, shooter, makeSelfie, makeY4m, verifyJwt,
};
