// The dossier status page ("Hồ sơ"), in the seeds' words (seed 003 lines
// 414-440): none yet, "Đã gửi xử lý hồ sơ", "Hồ sơ được phê duyệt", "Hồ
// sơ không đạt" with its reason. The dossiers are the chip simulator's,
// sent and decided by the API as the app and an officer would.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pagePerTest, base, citizen, api, chipFiles, portrait, officerToken, shot } from './lib.mjs';
import { W, PASSWORD, heading, press, registerOnWeb, logIn, approve } from './citizen.mjs';

let page;

pagePerTest((p) => { page = p; });

/// `c`'s level-1 dossier sent from the app (its own session).
async function submit(c) {
  const { token } = await api('POST', '/v1/login', {
    body: { id_number: c.id, password: PASSWORD }, device: `phone-${c.id}`, expect: 200,
  });
  await api('POST', '/v1/dossiers', { body: { ...chipFiles(c), portrait_jpeg: portrait() }, token, expect: 201 });
}

/// The status the dossier page shows, reached from the menu.
async function status() {
  await page.goto(`${base}/account`);
  await Promise.all([page.waitForNavigation(), page.getByRole('navigation').getByRole('link', { name: W.dossier }).click()]);
  await heading(page, W.dossier);
  return page.locator('#dossier-status').innerText();
}

test('the dossier page: none, then submitted, then approved', async () => {
  const c = citizen('038183085961'); // Võ Thu Hương
  await registerOnWeb(page, c);
  await logIn(page, c.id);
  // render.rs's words.
  assert.equal(await status(), 'Chưa có hồ sơ định danh điện tử mức 1.');
  await submit(c);
  assert.equal(await status(), 'Đã gửi xử lý hồ sơ');
  await shot(page, 'citizen-dossier');
  await approve(c);
  assert.equal(await status(), 'Hồ sơ được phê duyệt');
});

test('a dossier not accepted: the status and its reason', async () => {
  const c = citizen('031164969964'); // Huỳnh Bảo Nhung
  await registerOnWeb(page, c);
  await submit(c);
  await api('POST', `/v1/officer/dossiers/${c.id}/reject`, {
    body: { reason: 'photo_below_standard' }, token: officerToken, expect: 200,
  });
  await logIn(page, c.id);
  const text = await status();
  // Seed 003 lines 414, 416 and 422.
  assert.match(text, /^Hồ sơ không đạt\. Hồ sơ không đảm bảo điều kiện để đăng ký\./);
  assert.match(text, /Bạn cần thực hiện Tạo lại hồ sơ\./);
  assert.equal(await page.locator('#dossier-reason').innerText(),
    'Nguyên nhân không đạt là do ảnh bản chụp không đủ tiêu chuẩn.');
});
