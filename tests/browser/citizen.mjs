// What the citizen pages' tests share: the pages' words, and the steps a
// person takes on them (typing, ticking, clicking, the OTP read from the
// SMS), plus API helpers that bring an account to the state a test starts
// from (a dossier approved, a level-2 record, an activation done).
//
// The words are the pages' own: examples/reference-server/app/web/render.rs
// `VI`, which takes them from seed 003 (shared/seeds/003_*.txt); the
// answers' texts are the API's (eid-account, eid-credentials), quoted
// where a test checks one.

import assert from 'node:assert/strict';
import { base, api, smsTo, otpAfter, officerToken } from './lib.mjs';

/// The pages' labels, buttons and headings (render.rs `VI`).
export const W = {
  idNumber: 'Số định danh cá nhân hoặc số căn cước công dân',
  phone: 'Số điện thoại',
  qr: 'Nội dung mã QR',
  fullName: 'Họ và tên (tên khai sinh)',
  dateOfBirth: 'Ngày/Tháng/Năm sinh',
  sex: 'Giới tính',
  residence: 'Nơi thường trú',
  terms: 'Tôi đồng ý với Điều khoản sử dụng ứng dụng và dịch vụ',
  register: 'Đăng ký',
  otpTitle: 'Nhập mã OTP',
  otpCode: 'Mã OTP',
  confirm: 'Xác nhận',
  resend: 'Gửi lại mã',
  passwordTitle: 'Thiết lập mật khẩu',
  password: 'Mật khẩu',
  passwordAgain: 'Nhập lại mật khẩu',
  next: 'Tiếp tục',
  login: 'Đăng nhập',
  loginName: 'Số định danh cá nhân hoặc số điện thoại',
  account: 'Tài khoản',
  activate: 'Kích hoạt tài khoản',
  activatePhone: 'Số điện thoại bạn đã đăng ký tài khoản',
  sendRequest: 'Gửi yêu cầu',
  passcodeTitle: 'Thiết lập passcode',
  passcode: 'Mã số của bạn',
  passcodeAgain: 'Nhập lại passcode',
  questionsTitle: 'Thiết lập câu hỏi bảo mật',
  question: 'Chọn câu hỏi',
  answer: 'Câu trả lời',
  answersTitle: 'Trả lời câu hỏi bảo mật',
  forgot: 'Quên mật khẩu',
  forgotPhone: 'Số điện thoại đã đăng ký',
  dossier: 'Hồ sơ',
};

/// A password the VNeID rule accepts (seed 003 line 200: 8 to 20
/// characters, a digit, upper and lower case, one of !@#$^*_).
export const PASSWORD = 'Sen@Vang2024';

/// The page's `<h1>`, waited for.
export async function heading(page, name) {
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

/// The path of the page shown.
export function path(page) {
  return new URL(page.url()).pathname;
}

/// The code of the refusal the page shows (`#form-errors`'s `data-code`).
export async function refusal(page) {
  const box = page.locator('#form-errors');
  await box.waitFor();
  return { code: await box.getAttribute('data-code'), text: await box.innerText() };
}

/// The text of the page's notice (a message page's `role=status` box).
export async function notice(page) {
  const box = page.getByRole('status');
  await box.waitFor();
  return box.innerText();
}

/// Clicks the button named `name` (exactly) and waits for the page it
/// leads to.
export async function press(page, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
}

/// Fills the registration form for `c`: the QR payload pasted, or (`typed`)
/// the card's fields typed; the terms ticked unless `terms` is false.
export async function fillRegistration(page, c, { typed = false, terms = true } = {}) {
  await page.goto(`${base}/register`);
  await heading(page, W.register);
  await page.getByLabel(W.idNumber).fill(c.id);
  await page.getByLabel(W.phone, { exact: true }).fill(c.phone);
  if (typed) {
    await page.getByLabel(W.fullName).fill(c.name);
    await page.getByLabel(W.dateOfBirth).fill(c.dateOfBirth);
    await page.getByLabel(W.sex).selectOption({ label: c.sex });
    await page.getByLabel(W.residence).fill(c.residence);
  } else {
    await page.getByLabel(W.qr).fill(c.qr);
  }
  if (terms) await page.getByLabel(W.terms).check();
}

/// Reads the next OTP sent to `c` (after `count` SMS) and confirms it on
/// the OTP page.
export async function enterOtp(page, c, count) {
  await heading(page, W.otpTitle);
  const code = await otpAfter(c.phone, count);
  await page.getByLabel(W.otpCode).fill(code);
  await press(page, W.confirm);
  return code;
}

/// Types `password` twice on the password page and sends it.
export async function setPassword(page, password = PASSWORD) {
  await heading(page, W.passwordTitle);
  await page.getByLabel(W.password, { exact: true }).fill(password);
  await page.getByLabel(W.passwordAgain).fill(password);
  await press(page, W.next);
}

/// `c` registered through the pages (QR pasted), with `password`: the
/// password page's notice shown.
export async function registerOnWeb(page, c, password = PASSWORD) {
  const before = smsTo(c.phone).length;
  await fillRegistration(page, c);
  await press(page, W.register);
  await enterOtp(page, c, before);
  await setPassword(page, password);
  // Seed 003 line 182, the API's notice.
  assert.match(await notice(page), /Thiết lập mật khẩu thành công/);
}

/// Logs in on the login page with `login` (ID number or phone).
export async function logIn(page, login, password = PASSWORD) {
  await page.goto(`${base}/login`);
  await page.getByLabel(W.loginName).fill(login);
  await page.getByLabel(W.password, { exact: true }).fill(password);
  await press(page, W.login);
}

/// Approves `c`'s waiting dossier as an officer would (by the API).
export async function approve(c) {
  await api('POST', `/v1/officer/dossiers/${c.id}/approve`, { token: officerToken, expect: 200 });
}

/// A level-2 record of `c` at the counter (QR read there, no app account
/// before), approved: the account has no password yet.
export async function level2Approved(c) {
  await api('POST', '/v1/officer/level2-dossiers', {
    body: { qr: c.qr, phone: c.phone, office: 'Công an phường Dịch Vọng' }, token: officerToken, expect: 201,
  });
  await approve(c);
}

/// The catalogue of security questions (`[{id, vi, en}]`).
export async function catalogue() {
  const { questions } = await api('GET', '/v1/security-questions/catalogue', { expect: 200 });
  assert.ok(questions.length >= 2, JSON.stringify(questions));
  return questions;
}

/// A passcode the rule accepts for the tests' citizens (no run, repeat,
/// mirror, keypad line, date of birth, or part of their ID or phone).
export const PASSCODE = '730194';

/// Two answers for the first two questions of the catalogue.
export const ANSWERS = ['Hoa sen', 'Nguyễn Văn Bình'];

/// Starts the web activation of `c` from the home page ("Kích hoạt tài
/// khoản", ID number and phone, "Gửi yêu cầu") and confirms the OTP.
export async function startActivation(page, c) {
  const before = smsTo(c.phone).length;
  await page.goto(`${base}/`);
  await Promise.all([page.waitForNavigation(), page.getByRole('main').getByRole('link', { name: W.activate }).click()]);
  await heading(page, W.activate);
  await page.getByLabel(W.idNumber).fill(c.id);
  await page.getByLabel(W.activatePhone).fill(c.phone);
  await press(page, W.sendRequest);
  await enterOtp(page, c, before);
}

/// Types the passcode twice and sends it.
export async function setPasscode(page, passcode = PASSCODE) {
  await heading(page, W.passcodeTitle);
  await page.getByLabel(W.passcode, { exact: true }).fill(passcode);
  await page.getByLabel(W.passcodeAgain).fill(passcode);
  await press(page, W.next);
}

/// Chooses the first two questions of the catalogue (their texts as the
/// options show them) and answers them.
export async function setQuestions(page) {
  await heading(page, W.questionsTitle);
  const qs = await catalogue();
  for (const n of [1, 2]) {
    const set = page.getByRole('group', { name: `${W.question} ${n}` });
    await set.getByLabel(W.question, { exact: true }).selectOption({ label: qs[n - 1].vi });
    await set.getByLabel(W.answer).fill(ANSWERS[n - 1]);
  }
  await press(page, W.confirm);
  return qs.slice(0, 2);
}

/// The whole web activation of `c`: OTP, the password when the account
/// has none, passcode, questions; returns the questions chosen.
export async function activateOnWeb(page, c, { needsPassword }) {
  await startActivation(page, c);
  if (needsPassword) await setPassword(page);
  await setPasscode(page);
  const qs = await setQuestions(page);
  // Seed 003 line 528, the API's notice.
  assert.match(await notice(page), /Bạn đã kích hoạt tài khoản định danh điện tử thành công/);
  return qs;
}

/// Every input, select and textarea of the page a person fills (not the
/// hidden ones) with the text of its label, or `null` without one. The
/// label is the element's own (`<label for>` or around it, `labels`),
/// `aria-labelledby` or `aria-label`: what gives it an accessible name.
export async function fieldLabels(page) {
  return page.locator('input:not([type=hidden]), select, textarea').evaluateAll((els) => els.map((el) => {
    const byIds = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
    const own = Array.from(el.labels || []).map((l) => l.textContent).join(' ');
    const text = [own, byIds, el.getAttribute('aria-label') || ''].join(' ').trim();
    return { field: el.name || el.id || el.outerHTML.slice(0, 60), label: text || null };
  }));
}

/// Fails, naming the page and the field, unless every field of the page
/// has a label.
export async function assertLabelled(page) {
  const fields = await fieldLabels(page);
  for (const f of fields) {
    assert.ok(f.label, `${path(page)}: the field ${f.field} has no label`);
  }
  return fields.length;
}
