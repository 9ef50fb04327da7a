// The citizen's registration and login pages (issue 16 point 1), as a
// person uses them: the QR payload pasted or the card's fields typed, the
// terms, the OTP page with its 3-minute countdown (seed 003 line 566:
// "Trong vòng 03 phút"), the password with its rule shown as one types,
// the login by ID number and by phone, a wrong password refused. Each
// test registers its own citizen (examples/reference-server/registry.csv).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pagePerTest, citizen, smsTo, otpAfter, shot } from './lib.mjs';
import {
  W, PASSWORD, heading, path, refusal, notice, press, fillRegistration, enterOtp, setPassword,
  registerOnWeb, logIn,
} from './citizen.mjs';

let page;

pagePerTest((p) => { page = p; });

test('registered with the QR payload pasted', async () => {
  const c = citizen('048076617096'); // Lê Quang Thắng
  const before = smsTo(c.phone).length;
  await fillRegistration(page, c);
  await shot(page, 'citizen-register');
  await press(page, W.register);
  assert.equal(path(page), '/otp');
  await shot(page, 'citizen-otp');
  await enterOtp(page, c, before);
  assert.equal(path(page), '/password');
  await setPassword(page);
  // Seed 003 line 182.
  assert.match(await notice(page), /Thiết lập mật khẩu thành công\. Bạn có thể đăng nhập bằng mật khẩu vừa thiết lập/);
});

test('registered with the card\'s fields typed', async () => {
  const c = citizen('066059742577'); // Hoàng Hữu Nam
  const before = smsTo(c.phone).length;
  await fillRegistration(page, c, { typed: true });
  await press(page, W.register);
  assert.equal(path(page), '/otp');
  await enterOtp(page, c, before);
  await setPassword(page);
  assert.match(await notice(page), /Thiết lập mật khẩu thành công/);
  await logIn(page, c.id);
  assert.equal(path(page), '/account');
  assert.match(await page.getByRole('main').innerText(), new RegExp(c.name));
});

test('the terms must be accepted', async () => {
  const c = citizen('079169383825'); // Nguyễn Phương Trang
  await fillRegistration(page, c, { terms: false });
  await press(page, W.register);
  const r = await refusal(page);
  assert.equal(r.code, 'terms_not_accepted');
  // eid-account's message (error.rs), the terms' words of seed 003.
  assert.match(r.text, /Bạn cần đồng ý với Điều khoản sử dụng ứng dụng và dịch vụ/);
  // The form keeps what was typed; ticking the box is enough.
  assert.equal(await page.getByLabel(W.idNumber).inputValue(), c.id);
  await page.getByLabel(W.terms).check();
  await press(page, W.register);
  assert.equal(path(page), '/otp');
});

test('the OTP page counts down from 3 minutes; a wrong code is refused', async () => {
  const c = citizen('036177087403'); // Phan Thanh Mai
  const before = smsTo(c.phone).length;
  // The page's clock is Playwright's, to see the end of the 3 minutes
  // without waiting them; it runs at the normal pace until told.
  await page.clock.install();
  await fillRegistration(page, c);
  await press(page, W.register);
  await heading(page, W.otpTitle);
  const clock = page.locator('#otp-countdown');
  const first = await clock.innerText();
  const m = /^(\d\d):(\d\d)$/.exec(first);
  assert.ok(m, `the countdown shows mm:ss, not ${first}`);
  const seconds = Number(m[1]) * 60 + Number(m[2]);
  assert.ok(seconds > 170 && seconds <= 180, `${first}: the code lives 180 s`);
  // It counts down in the page (countdown.js), without a reload.
  await page.waitForFunction((t) => document.getElementById('otp-countdown').textContent !== t, first);
  const next = /^(\d\d):(\d\d)$/.exec(await clock.innerText());
  assert.ok(Number(next[1]) * 60 + Number(next[2]) < seconds);
  assert.equal(await page.locator('#otp-expired').isVisible(), false);
  // A code one off the one sent is refused, with the tries left
  // (eid-account: 5 tries).
  const code = await otpAfter(c.phone, before);
  const wrong = String((Number(code) + 1) % 10 ** code.length).padStart(code.length, '0');
  await page.getByLabel(W.otpCode).fill(wrong);
  await press(page, W.confirm);
  const r = await refusal(page);
  assert.equal(r.code, 'wrong_otp');
  assert.match(r.text, /Mã OTP không đúng \(còn 4 lần thử\)\./);
  // Three minutes on, the page says the code has expired (render.rs's
  // `otp_expired`); the server's clock, not the page's, decides it.
  await page.clock.fastForward('03:01');
  await page.locator('#otp-expired').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#otp-expired').innerText(), 'Mã OTP đã quá hạn sử dụng.');
  assert.equal(await clock.innerText(), '00:00');
  await page.getByLabel(W.otpCode).fill(code);
  await press(page, W.confirm);
  assert.equal(path(page), '/password');
});

test('the password rule is shown as one types', async () => {
  const c = citizen('079091460831'); // Lê Thành Quân
  const before = smsTo(c.phone).length;
  await fillRegistration(page, c);
  await press(page, W.register);
  await enterOtp(page, c, before);
  await heading(page, W.passwordTitle);
  const rules = page.locator('#password-checks');
  await rules.waitFor();
  const state = async () => Object.fromEntries(await rules.locator('li').evaluateAll(
    (lis) => lis.map((li) => [li.dataset.rule, li.dataset.ok === 'true'])));
  const field = page.getByLabel(W.password, { exact: true });
  // Nothing typed: every part still to meet.
  assert.deepEqual(await state(), { length: false, digit: false, upper: false, lower: false, special: false });
  // Typed key by key: the lower-case letters and the digit are met, the
  // length, the capital and the special character are not.
  await field.pressSequentially('sen2');
  assert.deepEqual(await state(), { length: false, digit: true, upper: false, lower: true, special: false });
  // The list says which part is missing, in the rule's words (seed 003
  // line 200).
  assert.match(await rules.locator('li.rule-bad').first().innerText(), /Số lượng ký tự từ 8 đến 20/);
  await shot(page, 'citizen-password');
  await field.fill('');
  await field.pressSequentially(PASSWORD);
  assert.deepEqual(await state(), { length: true, digit: true, upper: true, lower: true, special: true });
  // What the browser lets through but the rule refuses: the server says
  // which parts (eid-credentials' messages).
  await field.fill('sen2vang2024');
  await page.getByLabel(W.passwordAgain).fill('sen2vang2024');
  await press(page, W.next);
  const r = await refusal(page);
  assert.equal(r.code, 'password_refused');
  assert.match(r.text, /Mật khẩu phải có ít nhất một chữ cái viết hoa\./);
  assert.match(r.text, /Mật khẩu phải có ít nhất một ký tự đặc biệt \(!@#\$\^\*_\)\./);
  await setPassword(page);
  assert.match(await notice(page), /Thiết lập mật khẩu thành công/);
});

test('login by ID number and by phone; a wrong password refused', async () => {
  const c = citizen('031202287412'); // Võ Quang Sơn
  await registerOnWeb(page, c);
  await logIn(page, c.id, 'Sai@MatKhau99');
  assert.equal(path(page), '/login');
  const r = await refusal(page);
  assert.equal(r.code, 'wrong_credentials');
  // eid-account's message: the same whichever of the two is wrong.
  assert.match(r.text, /Thông tin đăng nhập hoặc mật khẩu không đúng\./);
  await page.getByLabel(W.password, { exact: true }).fill(PASSWORD);
  await shot(page, 'citizen-login');
  await press(page, W.login);
  assert.equal(path(page), '/account');
  await heading(page, W.account);
  const main = await page.getByRole('main').innerText();
  assert.match(main, new RegExp(c.name));
  assert.match(main, new RegExp(c.id));
  await shot(page, 'citizen-account');
  await press(page, 'Đăng xuất');
  assert.equal(path(page), '/');
  await logIn(page, c.phone);
  assert.equal(path(page), '/account');
  assert.match(await page.getByRole('main').innerText(), new RegExp(c.phone));
});
