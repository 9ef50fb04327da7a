// The officer console (issue 16 point 2), as an officer uses it: sign in
// with the token, the queue with a level-1 dossier's verdict, approve;
// reject with a reason of the list; a level-2 record at the counter,
// approved from the queue; lock and unlock an account.
//
// Expected texts are seed 003's (shared/seeds/003_*.txt): "Hồ sơ được
// phê duyệt" (line 440), "Nguyên nhân không đạt là do ảnh bản chụp không
// đủ tiêu chuẩn" (line 422); the dossiers are prepared by the API as the
// README's level-1 tour does, the chip files by the simulator.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pagePerTest, base, officerToken, citizen, submitLevel1, api, shot } from './lib.mjs';

let page;

// Each test from a fresh page, signed in unless it is the sign-in's test.
pagePerTest(async (p, t) => {
  page = p;
  if (!t.name.startsWith('a wrong officer token')) await signIn(officerToken);
});

/// Types the token into the sign-in form and sends it, as a person would.
async function signIn(token) {
  await page.goto(`${base}/officer`);
  await page.getByLabel('Mã truy cập của cán bộ').fill(token);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

test('a wrong officer token is refused, the right one opens the queue', async () => {
  await signIn('not-the-officer-token-0000');
  assert.equal(new URL(page.url()).pathname, '/officer/signin');
  await page.locator('#form-errors').waitFor();
  assert.equal(await page.locator('#form-errors').getAttribute('data-code'), 'unauthorized');
  await shot(page, 'officer-sign-in');
  await signIn(officerToken);
  assert.equal(new URL(page.url()).pathname, '/officer/dossiers');
  await page.getByRole('heading', { level: 1, name: 'Hồ sơ mức 1 chờ duyệt' }).waitFor();
});

test('a level-1 chip dossier: its verdict shown, approved from the console', async () => {
  // Dương Kim Anh (examples/reference-server/registry.csv).
  const c = citizen('038305764350');
  const verdict = await submitLevel1(c);
  assert.equal(verdict.approvable, true, JSON.stringify(verdict));
  await page.goto(`${base}/officer/dossiers`);
  const d = page.locator(`#dossier-${c.id}`);
  await d.waitFor();
  // Passive authentication passed under the demonstration CSCA; the
  // card's fields as DG13 gives them, none highlighted.
  assert.equal(await d.locator('[data-pa]').getAttribute('data-pa'), 'valid');
  assert.equal(await d.locator('[data-check="registry"] td').nth(1).innerText(), 'Đạt');
  assert.equal(await d.locator('table.fields tr.mismatch').count(), 0);
  assert.match(await d.locator('table.fields').innerText(), new RegExp(c.name));
  // The selfie and DG2 by their digests (the server keeps no image).
  assert.match(await d.locator('.photos').innerText(), new RegExp(verdict.portrait.sha256));
  assert.match(await d.locator('.photos').innerText(), new RegExp(verdict.dg2_face.sha256));
  await shot(page, 'officer-queue');
  await d.getByRole('button', { name: 'Phê duyệt' }).click();
  await page.locator('#outcome').waitFor();
  assert.match(await page.locator('#outcome').innerText(), new RegExp(`${c.id}: Hồ sơ được phê duyệt`));
  assert.equal(await page.locator(`#dossier-${c.id}`).count(), 0);
});

test('a dossier rejected with a reason of the list: the citizen reads its text', async () => {
  const c = citizen('092307571406'); // Vũ Bảo Trang
  const password = 'Sen@Vang2024';
  await submitLevel1(c, password);
  await page.goto(`${base}/officer/dossiers`);
  const d = page.locator(`#dossier-${c.id}`);
  await d.getByLabel('Nguyên nhân không đạt là do ảnh bản chụp không đủ tiêu chuẩn.').check();
  await d.getByRole('button', { name: 'Từ chối' }).click();
  await page.locator('#outcome').waitFor();
  assert.match(await page.locator('#outcome').innerText(), /Hồ sơ không đạt/);
  const { token } = await api('POST', '/v1/login', { body: { id_number: c.id, password }, device: `phone-${c.id}`, expect: 200 });
  const status = await api('GET', '/v1/dossiers/current', { token, expect: 200 });
  assert.equal(status.dossier.status.reason_message_vi,
    'Nguyên nhân không đạt là do ảnh bản chụp không đủ tiêu chuẩn.');
});

test('a level-2 dossier recorded at the counter, then approved', async () => {
  // Lý Thanh Linh: no app account.
  const c = citizen('079194374373');
  await page.goto(`${base}/officer/level2`);
  await page.getByLabel('Nội dung mã QR trên thẻ').fill(c.qr);
  await page.getByLabel('Số điện thoại').fill(c.phone);
  await page.getByLabel('Cơ quan Công an').fill('Công an phường Dịch Vọng');
  await page.getByLabel('Thẻ Bảo hiểm y tế').check();
  await shot(page, 'officer-level2');
  await page.getByRole('button', { name: 'Ghi nhận' }).click();
  await page.locator('#outcome').waitFor();
  assert.match(await page.locator('#outcome').innerText(), new RegExp(c.id));
  await page.goto(`${base}/officer/dossiers`);
  const d = page.locator(`#dossier-${c.id}`);
  assert.equal(await d.locator('dd').first().innerText(), '2');
  await d.getByRole('button', { name: 'Phê duyệt' }).click();
  await page.locator('#outcome').waitFor();
  assert.match(await page.locator('#outcome').innerText(), new RegExp(`${c.id}: Hồ sơ được phê duyệt`));
});

test('an account locked and unlocked by the officer', async () => {
  const c = citizen('066208364953'); // Ngô Đức Dũng (2008)
  await submitLevel1(c);
  await api('POST', `/v1/officer/dossiers/${c.id}/approve`, { token: officerToken, expect: 200 });
  await page.goto(`${base}/officer/accounts`);
  await page.locator('#lock-id').fill(c.id);
  await page.getByLabel('Lý do khóa').selectOption('card_revoked');
  await page.getByRole('button', { name: 'Khóa tài khoản', exact: true }).click();
  await page.locator('#outcome').waitFor();
  // The API's own view of the account: locked by an officer.
  let { dossiers } = await api('GET', '/v1/officer/dossiers', { token: officerToken, expect: 200 });
  assert.ok(!dossiers.some((x) => x.id_number === c.id));
  const locked = await api('POST', '/v1/login', { body: { id_number: c.id, password: 'Sen@Vang2024' }, device: `phone-${c.id}` });
  assert.ok(locked.error, JSON.stringify(locked));
  await shot(page, 'officer-accounts');
  await page.locator('#unlock-id').fill(c.id);
  await page.getByRole('button', { name: 'Mở khóa tài khoản', exact: true }).click();
  await page.locator('#outcome').waitFor();
  await api('POST', '/v1/login', { body: { id_number: c.id, password: 'Sen@Vang2024' }, device: `phone-${c.id}`, expect: 200 });
});
