// The pages' defences in a real browser: the Content-Security-Policy
// stops an injected inline script, a form posted with a wrong CSRF token
// is refused (403, a page saying so), and the staff's token cookie is
// out of a script's reach (HttpOnly).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, base, officerToken } from './lib.mjs';

let browser, context, page;

before(async () => {
  ({ browser, context } = await launch());
  page = await context.newPage();
});
after(async () => { await browser?.close(); });

test('an injected inline script does not run (CSP)', async () => {
  const res = await page.goto(`${base}/officer`);
  assert.match(res.headers()['content-security-policy'], /script-src 'self'/);
  const seen = await page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('securitypolicyviolation', (e) => resolve({ directive: e.effectiveDirective, ran: window.injected === true }), { once: true });
    const s = document.createElement('script');
    s.textContent = 'window.injected = true';
    document.body.appendChild(s);
    setTimeout(() => resolve({ directive: null, ran: window.injected === true }), 2000);
  }));
  assert.deepEqual(seen, { directive: 'script-src-elem', ran: false });
});

test('a form posted with a wrong CSRF token is refused', async () => {
  await page.goto(`${base}/officer`);
  await page.locator('input[name=csrf]').evaluate((i) => { i.value = 'AAAAAAAAAAAAAAAAAAAAAA'; });
  await page.getByLabel('Mã truy cập của cán bộ').fill(officerToken);
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/officer/signin')),
    page.getByRole('button', { name: 'Đăng nhập' }).click(),
  ]);
  assert.equal(res.status(), 403);
  await page.getByText('Biểu mẫu không hợp lệ hoặc đã hết hạn').waitFor();
  // Not signed in: the console still asks for the token.
  await page.goto(`${base}/officer/dossiers`);
  assert.equal(new URL(page.url()).pathname, '/officer');
});

test('the officer token cookie is HttpOnly, SameSite=Strict', async () => {
  await page.goto(`${base}/officer`);
  await page.getByLabel('Mã truy cập của cán bộ').fill(officerToken);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  const cookie = (await context.cookies()).find((c) => c.value === officerToken);
  assert.ok(cookie, 'the token is in a cookie');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(await page.evaluate(() => document.cookie.includes('dd_officer')), false);
  assert.ok(!page.url().includes(officerToken), 'never in a URL');
});
