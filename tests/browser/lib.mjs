// What the browser tests share: the browser, the server started by
// scripts/test-browser (its address, tokens and log in the environment),
// the SMS it prints, a JSON client for preparing accounts, the chip files
// of the simulator, screenshots.

import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { before, after, beforeEach, afterEach } from 'node:test';

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through scripts/test-browser`);
  return v;
}

export const base = need('DINHDANH_BASE_URL');
export const officerToken = need('DINHDANH_OFFICER_TOKEN');
export const orgToken = need('DINHDANH_ORG_TOKEN');
export const orgId = need('DINHDANH_ORG_ID');

// playwright-core lives under target/browser, not beside the tests.
const require = createRequire(need('DINHDANH_PLAYWRIGHT') + '/');
const { chromium } = require('playwright-core');

/// Chromium headless with the flags this machine needs: without the
/// background-networking ones it tries Google's hosts, refused here.
function startBrowser() {
  return chromium.launch({
    executablePath: need('DINHDANH_CHROMIUM'),
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/// A fresh context of `browser` (no cookies, no storage): Vietnamese, a
/// desktop window; `options` are Playwright's beyond those
/// (`javaScriptEnabled`).
function newContext(browser, options = {}) {
  return browser.newContext({ locale: 'vi-VN', viewport: { width: 1100, height: 900 }, ...options });
}

/// A browser of its own and a context in it, for a test that wants both.
export async function launch(options = {}) {
  const browser = await startBrowser();
  return { browser, context: await newContext(browser, options) };
}

/// The hooks of a test file whose tests each start from a fresh page in a
/// fresh context (no cookie of another test, so no test depends on
/// another having run), one browser for the file: `ready(page, t)` is
/// called before each test with its page (to keep it, or sign in).
export function pagePerTest(ready, options = {}) {
  let browser, context;
  before(async () => { browser = await startBrowser(); });
  after(async () => { await browser?.close(); });
  beforeEach(async (t) => {
    context = await newContext(browser, options);
    await ready(await context.newPage(), t);
  });
  afterEach(async () => { await context?.close(); });
}

/// A full-page screenshot, target/browser/screenshots/NAME.png.
export async function shot(page, name) {
  await page.screenshot({ path: join(need('DINHDANH_SCREENSHOTS'), `${name}.png`), fullPage: true });
}

/// The server's log without colour codes.
function log() {
  // eslint-disable-next-line no-control-regex
  return readFileSync(need('DINHDANH_SERVER_LOG'), 'utf8').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}

/// Every SMS the server printed to `phone` so far (lines `SMS to PHONE: TEXT`).
export function smsTo(phone) {
  const prefix = `SMS to ${phone}: `;
  return log().split('\n').filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
}

/// Waits for SMS number `count + 1` to `phone` (the outbox sends them a
/// moment after the request) and returns its one-time code.
export async function otpAfter(phone, count) {
  const deadline = Date.now() + 20000;
  for (;;) {
    const sent = smsTo(phone);
    if (sent.length > count) {
      const m = /\(OTP\).* la (\d+)\./.exec(sent[sent.length - 1]);
      assert.ok(m, `no OTP in the SMS: ${sent[sent.length - 1]}`);
      return m[1];
    }
    assert.ok(Date.now() < deadline, `no new SMS to ${phone} (had ${count})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/// One JSON request to the API, as the app would send it; throws unless
/// the status is `expect`.
export async function api(method, path, { body, token, device, expect } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  if (device) headers['x-device-id'] = device;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (expect !== undefined) assert.equal(res.status, expect, `${method} ${path}: ${text}`);
  return json;
}

/// The citizens of examples/reference-server/registry.csv the tests use,
/// each test its own (the tests share one server); `qr` is the card's QR
/// payload as the README's tour writes it (ID||name|DDMMYYYY|sex|residence|issued).
export function citizen(idNumber) {
  const csv = readFileSync(new URL('../../examples/reference-server/registry.csv', import.meta.url), 'utf8');
  const line = csv.split('\n').find((l) => l.startsWith(idNumber + ','));
  assert.ok(line, `${idNumber} is not in the registry`);
  const m = /^(\d{12}),([^,]*),(\d{4})-(\d\d)-(\d\d),([^,]*),"([^"]*)",(\d+),(\d{4})-(\d\d)-(\d\d)$/.exec(line.trim());
  assert.ok(m, `unexpected registry line ${line}`);
  const [, id, name, y, mo, d, sex, residence, phone, iy, imo, id_] = m;
  return {
    id, name, sex, residence, phone, dateOfBirth: `${y}-${mo}-${d}`,
    qr: `${id}||${name}|${d}${mo}${y}|${sex}|${residence}|${id_}${imo}${iy}`,
  };
}

/// The chip files of `c`'s card, written by the simulator
/// (`dinhdanh chip read --sim --qr ... --out DIR`, as the README's level-1
/// tour does with --cccd), base64 as the dossier's body carries them.
export function chipFiles(c) {
  const dir = mkdtempSync(join(need('DINHDANH_WORK'), 'card-'));
  execFileSync(need('DINHDANH_CLI'), ['chip', 'read', '--sim', '--qr', c.qr, '--out', dir], { stdio: 'pipe' });
  const b64 = (f) => readFileSync(join(dir, f)).toString('base64');
  return { dg1: b64('DG1.bin'), dg2: b64('DG2.bin'), dg13: b64('DG13.bin'), sod: b64('EF.SOD.bin') };
}

/// The tests' 240 x 320 stand-in for the citizen's selfie (the README's).
export function portrait() {
  return readFileSync(new URL('../data/portrait-240x320.jpg', import.meta.url)).toString('base64');
}

/// `c` registered from the QR, with a password, logged in, with a level-1
/// dossier of the chip's files submitted: what the app does before an
/// officer sees it (the README's tour, by the API). Returns the verdict.
export async function submitLevel1(c, password = 'Sen@Vang2024') {
  const before = smsTo(c.phone).length;
  await api('POST', '/v1/registrations', {
    body: { id_number: c.id, phone: c.phone, qr: c.qr, terms_accepted: true }, expect: 201,
  });
  const code = await otpAfter(c.phone, before);
  const { flow_token } = await api('POST', '/v1/otp/verify', { body: { id_number: c.id, code }, expect: 200 });
  await api('POST', '/v1/password', { body: { password, confirmation: password }, token: flow_token, expect: 200 });
  const { token } = await api('POST', '/v1/login', {
    body: { id_number: c.id, password }, device: `phone-${c.id}`, expect: 200,
  });
  const answer = await api('POST', '/v1/dossiers', {
    body: { ...chipFiles(c), portrait_jpeg: portrait() }, token, expect: 201,
  });
  return answer.verdict;
}
