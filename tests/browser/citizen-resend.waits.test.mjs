// "Gửi lại mã" on the OTP page (seed 003 line 194): refused while the code
// sent is younger than the resend cooldown, a new code sent after it. The
// cooldown is eid-otp's default, 60 s (ChallengeConfig; the server has no
// setting for it), so this test waits a minute: its file is a
// *.waits.test.mjs, which scripts/test-browser runs beside the others.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, citizen, smsTo, otpAfter } from './lib.mjs';
import { W, heading, path, refusal, press, fillRegistration, setPassword, notice } from './citizen.mjs';

const COOLDOWN_SECS = 60;

test('"Gửi lại mã" is refused before the cooldown, sends a new code after it', async () => {
  const { browser, context } = await launch();
  try {
    const page = await context.newPage();
    const c = citizen('038157760365'); // Nguyễn Thị Yến
    const before = smsTo(c.phone).length;
    await fillRegistration(page, c);
    await press(page, W.register);
    const sentAt = Date.now();
    await heading(page, W.otpTitle);
    const first = await otpAfter(c.phone, before);
    await press(page, W.resend);
    const r = await refusal(page);
    assert.equal(r.code, 'otp_cooldown');
    // eid-account's message, the seconds still to wait in it.
    const m = /Vui lòng đợi (\d+) giây trước khi gửi lại mã\./.exec(r.text);
    assert.ok(m, r.text);
    assert.ok(Number(m[1]) > 0 && Number(m[1]) <= COOLDOWN_SECS, m[0]);
    assert.equal(smsTo(c.phone).length, before + 1, 'no second SMS');
    // Once the cooldown is over, the button sends a new code, and the
    // countdown starts again from 3 minutes.
    await page.waitForTimeout(Math.max(0, sentAt + (COOLDOWN_SECS + 1) * 1000 - Date.now()));
    await press(page, W.resend);
    assert.equal(path(page), '/otp');
    const second = await otpAfter(c.phone, before + 1);
    const [mm, ss] = (await page.locator('#otp-countdown').innerText()).split(':').map(Number);
    assert.ok(mm * 60 + ss > 170, 'the new code lives 3 minutes from now');
    // The new code is the one that counts.
    if (second !== first) {
      await page.getByLabel(W.otpCode).fill(first);
      await press(page, W.confirm);
      assert.equal((await refusal(page)).code, 'wrong_otp');
    }
    await page.getByLabel(W.otpCode).fill(second);
    await press(page, W.confirm);
    await setPassword(page);
    assert.match(await notice(page), /Thiết lập mật khẩu thành công/);
  } finally {
    await browser.close();
  }
});
