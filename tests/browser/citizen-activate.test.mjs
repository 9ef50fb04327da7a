// The web activation (seed 003 §II.2 "Kích hoạt trên trang Web", lines
// 548-590): "Kích hoạt tài khoản" on the home page, the ID number and
// phone, "Gửi yêu cầu", the OTP, the password where the account has none,
// the passcode with 003's hint, two questions from the catalogue, then
// "Bạn đã kích hoạt tài khoản định danh điện tử thành công" (line 528).
// The accounts are prepared as an officer would (the API): a level-2
// record at the counter (no password yet), a level-1 dossier approved.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pagePerTest, citizen, submitLevel1, shot } from './lib.mjs';
import {
  W, PASSCODE, heading, path, refusal, notice, press, startActivation, setPassword, setPasscode,
  setQuestions, catalogue, approve, level2Approved, logIn,
} from './citizen.mjs';

let page;

pagePerTest((p) => { page = p; });

test('a level-2 record activated on the web: password, passcode, questions', async () => {
  const c = citizen('079095525891'); // Vũ An Đạt
  await level2Approved(c);
  await startActivation(page, c);
  // The account has no password: the password step comes first.
  assert.equal(path(page), '/password');
  await setPassword(page);
  assert.equal(path(page), '/activate/passcode');
  await heading(page, W.passcodeTitle);
  // Seed 003 lines 491-492 (eid-credentials' PASSCODE_HINT_VI).
  assert.equal(await page.locator('#passcode-hint').innerText(),
    'Vui lòng tránh các chữ số liên quan tới ngày sinh nhật, các chữ số quá dễ đoán.');
  // A passcode too easy to guess is refused, the hint said again.
  await page.getByLabel(W.passcode, { exact: true }).fill('123456');
  await page.getByLabel(W.passcodeAgain).fill('123456');
  await shot(page, 'citizen-passcode');
  await press(page, W.next);
  const r = await refusal(page);
  assert.equal(r.code, 'passcode_refused');
  assert.match(r.text, /Vui lòng tránh các chữ số liên quan tới ngày sinh nhật/);
  await setPasscode(page, PASSCODE);
  assert.equal(path(page), '/activate/questions');
  // Each question's list is the catalogue, in its Vietnamese words.
  const texts = (await catalogue()).map((q) => q.vi);
  const options = await page.locator('#question1 option').allInnerTexts();
  assert.deepEqual(options, texts);
  await shot(page, 'citizen-questions');
  await setQuestions(page);
  assert.match(await notice(page), /Bạn đã kích hoạt tài khoản định danh điện tử thành công/);
  await heading(page, W.activate);
  await shot(page, 'citizen-activated');
  // The account is activated at level 2.
  await logIn(page, c.id);
  assert.equal(await page.locator('[data-level]').getAttribute('data-activated'), 'true');
  // "Mức 2" (seed 003), not the API's code.
  assert.equal(await page.locator('[data-level]').getAttribute('data-level'), 'level2');
  assert.equal(await page.locator('[data-level]').innerText(), '2');
});

test('an approved level-1 account goes from the OTP straight to the passcode', async () => {
  const c = citizen('001168336624'); // Hồ Thanh Yến
  await submitLevel1(c);
  await approve(c);
  await startActivation(page, c);
  assert.equal(path(page), '/activate/passcode');
  await setPasscode(page);
  await setQuestions(page);
  assert.match(await notice(page), /Bạn đã kích hoạt tài khoản định danh điện tử thành công/);
  await logIn(page, c.id);
  assert.equal(await page.locator('[data-level]').getAttribute('data-activated'), 'true');
});

test('the same question twice is refused', async () => {
  const c = citizen('096160342634'); // Đặng Thanh Nhung
  await level2Approved(c);
  await startActivation(page, c);
  await setPassword(page);
  await setPasscode(page);
  const first = (await catalogue())[0].vi;
  await page.locator('#question2').selectOption({ label: first });
  await page.getByLabel(W.answer).first().fill('Hoa sen');
  await page.getByLabel(W.answer).nth(1).fill('Hoa mai');
  await press(page, W.confirm);
  const r = await refusal(page);
  assert.equal(r.code, 'questions_refused');
  // eid-account's message.
  assert.match(r.text, /Hai câu hỏi bảo mật phải khác nhau\./);
  await setQuestions(page);
  assert.match(await notice(page), /Bạn đã kích hoạt tài khoản định danh điện tử thành công/);
});
