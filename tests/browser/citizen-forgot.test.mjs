// "Quên mật khẩu" end to end: the login (ID number or phone) and the
// registered phone, the OTP, the two security questions when the account
// has them (an activated one), a new password, then the login with it
// (and not with the old one).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pagePerTest, base, citizen, smsTo, shot } from './lib.mjs';
import {
  W, PASSWORD, ANSWERS, heading, path, refusal, notice, press, enterOtp, setPassword,
  registerOnWeb, logIn, level2Approved, activateOnWeb,
} from './citizen.mjs';

const NEW_PASSWORD = 'Mai#Vang2025';

let page;

pagePerTest((p) => { page = p; });

/// Starts the reset from the login page's "Quên mật khẩu" link.
async function forgot(c, login) {
  const before = smsTo(c.phone).length;
  await page.goto(`${base}/login`);
  await Promise.all([page.waitForNavigation(), page.getByRole('main').getByRole('link', { name: W.forgot }).click()]);
  await heading(page, W.forgot);
  await page.getByLabel(W.loginName).fill(login);
  await page.getByLabel(W.forgotPhone).fill(c.phone);
  await press(page, W.sendRequest);
  await enterOtp(page, c, before);
}

/// The old password refused, the new one let in.
async function onlyNewPasswordWorks(c) {
  await logIn(page, c.id, PASSWORD);
  assert.equal((await refusal(page)).code, 'wrong_credentials');
  await logIn(page, c.id, NEW_PASSWORD);
  assert.equal(path(page), '/account');
}

test('a forgotten password of an account without questions', async () => {
  const c = citizen('046097316849'); // Đỗ Quang Sơn
  await registerOnWeb(page, c);
  await page.goto(`${base}/forgot`);
  await shot(page, 'citizen-forgot');
  await forgot(c, c.id);
  assert.equal(path(page), '/password');
  await setPassword(page, NEW_PASSWORD);
  assert.match(await notice(page), /Thiết lập mật khẩu thành công/);
  await onlyNewPasswordWorks(c);
});

test('a forgotten password of an activated account: its two questions asked', async () => {
  const c = citizen('079069416308'); // Hồ An Sơn
  await level2Approved(c);
  const asked = await activateOnWeb(page, c, { needsPassword: true });
  // Started with the phone number, as "Đăng nhập bằng số điện thoại".
  await forgot(c, c.phone);
  await heading(page, W.answersTitle);
  // The fields are named by the account's own two questions.
  for (const q of asked) await page.getByLabel(q.vi).waitFor();
  await page.getByLabel(asked[0].vi).fill(ANSWERS[0]);
  await page.getByLabel(asked[1].vi).fill('Không phải câu trả lời');
  await press(page, W.next);
  const r = await refusal(page);
  assert.equal(r.code, 'wrong_answers');
  // eid-account's message, the tries left in it.
  assert.match(r.text, /Câu trả lời bảo mật không đúng \(còn \d+ lần thử\)\./);
  await page.getByLabel(asked[0].vi).fill(ANSWERS[0]);
  await page.getByLabel(asked[1].vi).fill(ANSWERS[1]);
  await shot(page, 'citizen-answers');
  await press(page, W.next);
  await setPassword(page, NEW_PASSWORD);
  assert.match(await notice(page), /Thiết lập mật khẩu thành công/);
  await onlyNewPasswordWorks(c);
});
