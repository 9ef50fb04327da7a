// The pages' defences in a real browser: the Content-Security-Policy
// stops an injected inline script, a form posted with a wrong CSRF token
// is refused (403, a page saying so), and the staff's token cookie and the
// citizen's session cookie are out of a script's reach (HttpOnly). Each
// test has its own browser context (no cookie of another test).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pagePerTest, base, officerToken, citizen } from './lib.mjs';
import { W, path, press, registerOnWeb, logIn } from './citizen.mjs';

let context, page;

pagePerTest((p) => { page = p; context = p.context(); });

/// Whether a script injected into the page at `url` runs, and the
/// directive that stopped it.
async function injected(url) {
  const res = await page.goto(url);
  assert.match(res.headers()['content-security-policy'], /script-src 'self'/);
  return page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('securitypolicyviolation', (e) => resolve({ directive: e.effectiveDirective, ran: window.injected === true }), { once: true });
    const s = document.createElement('script');
    s.textContent = 'window.injected = true';
    document.body.appendChild(s);
    setTimeout(() => resolve({ directive: null, ran: window.injected === true }), 2000);
  }));
}

test('an injected inline script does not run (CSP)', async () => {
  for (const url of [`${base}/officer`, `${base}/register`, `${base}/login`]) {
    assert.deepEqual(await injected(url), { directive: 'script-src-elem', ran: false }, url);
  }
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

test('a citizen form posted with a wrong CSRF token is refused', async () => {
  await page.goto(`${base}/login`);
  await page.locator('input[name=csrf]').evaluate((i) => { i.value = 'AAAAAAAAAAAAAAAAAAAAAA'; });
  await page.getByLabel(W.loginName).fill('001199122141');
  await page.getByLabel(W.password, { exact: true }).fill('Sen@Vang2024');
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'),
    page.getByRole('button', { name: W.login, exact: true }).click(),
  ]);
  assert.equal(res.status(), 403);
  // render.rs's `csrf_refused`.
  await page.getByText('Biểu mẫu không hợp lệ hoặc đã hết hạn').waitFor();
});

test('the citizen session cookie is HttpOnly, SameSite=Strict, never in a URL', async () => {
  const c = citizen('001194947275'); // Phan Thu Vy
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  await registerOnWeb(page, c);
  await logIn(page, c.id);
  assert.equal(path(page), '/account');
  const cookies = await context.cookies();
  assert.ok(cookies.some((k) => k.name === 'dd_session'), JSON.stringify(cookies.map((k) => k.name)));
  for (const k of cookies) {
    assert.equal(k.httpOnly, true, k.name);
    assert.equal(k.sameSite, 'Strict', k.name);
    if (k.value.length >= 16) {
      for (const u of urls) assert.ok(!u.includes(k.value), `${k.name} in ${u}`);
    }
  }
  assert.equal(await page.evaluate(() => document.cookie), '');
  await press(page, 'Đăng xuất');
  await page.goto(`${base}/account`);
  // Logged out: the account asks to log in again (render.rs's words).
  await page.getByText('Vui lòng đăng nhập để tiếp tục.').waitFor();
});
