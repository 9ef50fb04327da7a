// The harness itself: Chromium reaches the server scripts/test-browser
// started, and the server prints the SMS the tests read their OTPs from.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, base, api, citizen, smsTo, otpAfter } from './lib.mjs';

test('Chromium opens the API health check', async () => {
  const { browser, context } = await launch();
  try {
    const page = await context.newPage();
    const res = await page.goto(`${base}/healthz`);
    assert.equal(res.status(), 200);
    // app/handlers.rs: {"status": "ok", "backend": ..., "outbox_unsent": n}
    const body = JSON.parse(await page.locator('body').innerText());
    assert.equal(body.status, 'ok');
    assert.equal(body.backend, 'sqlite');
  } finally {
    await browser.close();
  }
});

test('an OTP is read from the SMS the server prints', async () => {
  // Võ Ngọc Hương, the registry's third row: registered here only.
  const c = citizen('066307119255');
  const before = smsTo(c.phone).length;
  await api('POST', '/v1/registrations', {
    body: { id_number: c.id, phone: c.phone, qr: c.qr, terms_accepted: true }, expect: 201,
  });
  const code = await otpAfter(c.phone, before);
  // A wrong code is refused, the one from the SMS accepted.
  const wrong = String((Number(code) + 1) % 10 ** code.length).padStart(code.length, '0');
  const refused = await api('POST', '/v1/otp/verify', { body: { id_number: c.id, code: wrong }, expect: 401 });
  assert.equal(refused.error.code, 'wrong_otp');
  const ok = await api('POST', '/v1/otp/verify', { body: { id_number: c.id, code }, expect: 200 });
  assert.match(ok.flow_token, /^[0-9a-f]+$/);
});
