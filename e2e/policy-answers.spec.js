// What the widget does with a policy endpoint that answers badly or not at all: the file fails
// with a plain sentence, is sent nowhere, and the form is usable again. Each was a defect a
// hostile probe found (a form busy for good; a file posted to the page's own address).
import { test, expect, file, row } from './fixtures.js';

/** <s3-file>'s demo with the policy endpoint answered by `answer(route)`. */
async function withPolicy(page, answer) {
  await page.route('**/api/policy', answer);
  await page.goto('/demo/bare.html');
}

/** Storage-bound POSTs the page sends: every POST but the policy request's. */
function posts(page) {
  const sent = [];
  page.on('request', (r) => { if (r.method() === 'POST' && !r.url().endsWith('/api/policy')) sent.push(r.url()); });
  return sent;
}

test('a policy request nobody answers fails its file after the stall time, and the form is usable again', async ({ page }) => {
  await withPolicy(page, () => {});  // taken, never answered
  // The stall time is the page's to set; 2 s keeps the test short (default 30 s).
  await page.evaluate(async () => (await (await import('/s3file.js')).engine()).configure({ stallTimeout: 2000 }));
  await page.setInputFiles('#files', file('a.txt', 'hello'));
  await page.click('form button');
  await expect(row(page, 'a.txt')).toHaveAttribute('data-state', 'failed');
  await expect(row(page, 'a.txt').locator('.status')).toHaveText('Could not get an upload policy: no answer in 2 s.');
  await expect(page.locator('form')).not.toHaveAttribute('aria-busy', 'true');
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeEnabled();
});

for (const [what, body, posted] of [
  ['an entry without a URL', '{"files":[{}]}', 'no usable policy'],
  ['a null entry', '{"files":[null]}', 'no usable policy'],
  ['an entry whose fields are text', '{"files":[{"url":"http://127.0.0.1:9/","fields":"key=x"}]}', 'no usable policy'],
  ['an HTML page', '<!doctype html><p>Welcome', 'lists no policy'],
]) {
  test(`a policy answer with ${what} fails the file with a plain sentence and sends it nowhere`, async ({ page }) => {
    await withPolicy(page, (route) => route.fulfill({ status: 200, contentType: 'application/json', body }));
    const sent = posts(page);
    await page.setInputFiles('#files', file('payroll.csv', 'name,salary\nalice,100\n'));
    await page.click('form button');
    await expect(row(page, 'payroll.csv')).toHaveAttribute('data-state', 'failed');
    const status = await row(page, 'payroll.csv').locator('.status').textContent();
    expect(status).toMatch(/^Could not get an upload policy: /);
    expect(status).toContain(posted);
    expect(status).not.toMatch(/TypeError|Cannot read|undefined|null/);
    expect(sent).toEqual([]);  // before: the file was POSTed to the page's own URL
    await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeEnabled();
  });
}
