// The citizen pages used in other ways (issue 16 point 4): in English
// after the switch, with the keyboard only, by their labels (every field of
// every page has one), and with JavaScript turned off.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, base, citizen, smsTo, otpAfter, api, shot } from './lib.mjs';
import {
  W, PASSWORD, heading, path, notice, press, fillRegistration, enterOtp, setPassword,
  logIn, level2Approved, startActivation, setPasscode, assertLabelled,
} from './citizen.mjs';

/// `fn(page)` in a fresh browser (context `options`), closed after.
async function withPage(options, fn) {
  const { browser, context } = await launch(options);
  try {
    await fn(await context.newPage());
  } finally {
    await browser.close();
  }
}

/// `c` registered with `PASSWORD` by the API (what the app does).
async function registeredByApi(c) {
  const before = smsTo(c.phone).length;
  await api('POST', '/v1/registrations', {
    body: { id_number: c.id, phone: c.phone, qr: c.qr, terms_accepted: true }, expect: 201,
  });
  const code = await otpAfter(c.phone, before);
  const { flow_token } = await api('POST', '/v1/otp/verify', { body: { id_number: c.id, code }, expect: 200 });
  await api('POST', '/v1/password', { body: { password: PASSWORD, confirmation: PASSWORD }, token: flow_token, expect: 200 });
}

test('the English switch: the same page in English, and back', () => withPage({}, async (page) => {
  await page.goto(`${base}/login`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'English' }).click()]);
  assert.equal(path(page), '/login');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  // render.rs's `EN` words.
  await heading(page, 'Log in');
  await page.getByLabel('Personal ID number or phone number').waitFor();
  await page.getByLabel('Password', { exact: true }).waitFor();
  // The choice is kept for the next page.
  await page.goto(`${base}/register`);
  await heading(page, 'Register');
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Tiếng Việt' }).click()]);
  assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
  await heading(page, W.register);
}));

test('logging in with the keyboard only', () => withPage({}, async (page) => {
  const c = citizen('066065850322'); // Phan An Khoa
  await registeredByApi(c);
  await page.goto(`${base}/login`);
  const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim());
  // The first Tab reaches the skip link, which takes the focus to the
  // main content.
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'Bỏ qua, đến nội dung chính');
  await page.keyboard.press('Enter');
  // Then Tab to the login field, however many links come before it.
  for (let i = 0; i < 10 && (await focused()) !== 'login'; i++) await page.keyboard.press('Tab');
  assert.equal(await focused(), 'login');
  await page.keyboard.type(c.id);
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'password');
  await page.keyboard.type(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(path(page), '/account');
  await heading(page, W.account);
}));

test('every field of every citizen page has a label', () => withPage({}, async (page) => {
  let fields = 0;
  const check = async (where) => {
    if (where) await page.goto(base + where);
    fields += await assertLabelled(page);
  };
  await check('/');
  await shot(page, 'citizen-home');
  await check('/activate');
  await shot(page, 'citizen-activate');
  for (const p of ['/register', '/login', '/forgot']) await check(p);
  // The pages inside the flows, reached as a person reaches them.
  const c = citizen('036077954323'); // Hoàng Văn Quân
  let before = smsTo(c.phone).length;
  await fillRegistration(page, c);
  await press(page, W.register);
  await check(); // the OTP page
  await enterOtp(page, c, before);
  await check(); // the password page
  await setPassword(page);
  await logIn(page, c.id);
  await check(); // the account
  await check('/dossier');
  const d = citizen('056192097200'); // Hoàng Bảo Yến
  await level2Approved(d);
  await startActivation(page, d);
  await setPassword(page);
  await check(); // the passcode page
  await setPasscode(page);
  await check(); // the questions page
  for (const n of [1, 2]) await page.locator(`#answer${n}`).fill(`Trả lời ${n}`);
  await press(page, W.confirm);
  assert.match(await notice(page), /Bạn đã kích hoạt tài khoản định danh điện tử thành công/);
  before = smsTo(d.phone).length;
  await page.goto(`${base}/forgot`);
  await page.getByLabel(W.loginName).fill(d.id);
  await page.getByLabel(W.forgotPhone).fill(d.phone);
  await press(page, W.sendRequest);
  await enterOtp(page, d, before);
  await heading(page, W.answersTitle);
  await check(); // the answers page
  // Register (9 fields with the terms), login (2), activate (2), forgot
  // (2), OTP (1), password (2), passcode (2), questions (4), answers (2).
  assert.equal(fields, 26);
}));

test('registration and login work with JavaScript turned off', () => withPage({ javaScriptEnabled: false }, async (page) => {
  const c = citizen('036073241940'); // Trần An Nam
  const before = smsTo(c.phone).length;
  await fillRegistration(page, c);
  await press(page, W.register);
  // The countdown is the time left when the page was made; the password
  // rule's live list stays hidden, the sentence is there.
  assert.match(await page.locator('#otp-countdown').innerText(), /^0[23]:[0-5]\d$/);
  await enterOtp(page, c, before);
  assert.equal(await page.locator('#password-checks').isVisible(), false);
  assert.match(await page.locator('#password-rule').innerText(), /từ 8 đến 20/);
  await setPassword(page);
  assert.match(await notice(page), /Thiết lập mật khẩu thành công/);
  await logIn(page, c.phone);
  assert.equal(path(page), '/account');
  await press(page, 'Đăng xuất');
  assert.equal(path(page), '/');
}));
