// The enterprise pages (issue 16 point 3), as an organisation uses them:
// sign in with its token, upload the list of its workers (a CSV file),
// read Mẫu số 02 with the summary and the activation rate, download it as
// CSV and .xlsx. Mẫu số 02's columns are seed 003's (line 81: STT, Họ tên,
// Ngày sinh, HKTT, Số CCCD, Số điện thoại, Đã đăng ký định danh).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pagePerTest, base, orgToken, citizen, submitLevel1, shot } from './lib.mjs';

const MAU_02 = ['STT', 'Họ tên', 'Ngày sinh', 'HKTT', 'Số CCCD', 'Số điện thoại', 'Đã đăng ký định danh'];

let page;

/// Types the organisation's token into the sign-in form and sends it.
async function signIn() {
  await page.goto(`${base}/org`);
  await page.getByLabel('Mã truy cập của đơn vị').fill(orgToken);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

// Each test from a fresh page, signed in unless it is the sign-in's test.
pagePerTest(async (p, t) => {
  page = p;
  if (!t.name.startsWith('the organisation signs in')) await signIn();
});

/// Chooses `csv` as the file of the upload form and sends it.
async function upload(csv) {
  await page.goto(`${base}/org/upload`);
  await page.getByLabel('Tệp CSV').setInputFiles({ name: 'nguoi-lao-dong.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Gửi' }).click();
}

test('the organisation signs in with its token', async () => {
  await signIn();
  assert.equal(new URL(page.url()).pathname, '/org/report');
});

test('a list with a bad line is refused, the line named', async () => {
  await upload('STT,Họ tên,Số CCCD\n1,Nguyễn Mai Hà,001199122141\n2,Ngô Thu Yến,12345\n');
  await page.locator('#refused').waitFor();
  // The API refuses the upload whole (422 csv_refused) and names line 3.
  assert.equal(await page.locator('#form-errors').getAttribute('data-code'), 'csv_refused');
  assert.equal(await page.locator('#refused tbody td').first().innerText(), '3');
});

test('the list uploaded, Mẫu số 02 read and downloaded', async () => {
  // One worker with a level-1 dossier waiting, one with nothing.
  const waiting = citizen('001199122141'); // Nguyễn Mai Hà
  const nobody = citizen('001174739661'); // Ngô Thu Yến
  await submitLevel1(waiting);
  await upload(`STT,Họ tên,Số CCCD\n1,${waiting.name},${waiting.id}\n2,${nobody.name},${nobody.id}\n`);
  await page.locator('#outcome').waitFor();
  assert.match(await page.locator('#outcome').innerText(), /Số người trong danh sách\s+2/);
  await shot(page, 'org-upload');
  await page.getByRole('link', { name: 'Mẫu số 02' }).first().click();
  const headers = await page.locator('#mau-02 thead th').allInnerTexts();
  assert.deepEqual(headers, MAU_02);
  const rows = await page.locator('#mau-02 tbody tr').allInnerTexts();
  assert.equal(rows.length, 2);
  assert.match(rows[0], new RegExp(waiting.id));
  assert.match(rows[0], new RegExp(waiting.residence));
  assert.match(rows[1], /Chưa đăng ký \(hoặc họ tên không khớp với Số CCCD\)/);
  // Nobody activated: 0 of 2.
  assert.match(await page.locator('#summary').innerText(), /Tỷ lệ kích hoạt\s+0\.0 %/);
  await shot(page, 'org-report');

  const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#download-csv').click()]);
  const text = readFileSync(await csv.path(), 'utf8');
  assert.ok(text.startsWith('\uFEFF'), 'CSV with a byte-order mark (Excel reads the diacritics)');
  assert.equal(text.slice(1).split(/\r?\n/)[0], MAU_02.join(','));
  assert.match(text, new RegExp(nobody.id));
  assert.match(csv.suggestedFilename(), /\.csv$/);

  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('#download-xlsx').click()]);
  const bytes = readFileSync(await xlsx.path());
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an .xlsx is a ZIP file');
  assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
});
