// The report views in Debian's chromium (playwright-core, no browser download), against the
// live server tests/browser/run.sh starts on fresh demo data. Each view's figures are compared
// with the API's answer to the same document, fetched here over HTTP; every wait is one of
// Playwright's, with a timeout, so a view that never shows a figure fails.
//
//   BASE_URL OWNER_TOKEN MEMBER_TOKEN WEBHOOK_SECRET SCREENSHOTS [CHROMIUM]

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

const BASE = process.env.BASE_URL;
const OWNER = process.env.OWNER_TOKEN;
const MEMBER = process.env.MEMBER_TOKEN;
const SECRET = process.env.WEBHOOK_SECRET;
const SCREENSHOTS = process.env.SCREENSHOTS;
const ZONE = 'Europe/Paris'; // Demo Corp's zone: the views cut days and show times in it.
const WAIT = { timeout: 15000 };

assert.ok(BASE && OWNER && MEMBER, 'BASE_URL, OWNER_TOKEN and MEMBER_TOKEN are set by run.sh');

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    // As root (CI) chromium needs --no-sandbox.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  if (SCREENSHOTS) { mkdirSync(SCREENSHOTS, { recursive: true }); }
});
after(async () => { await browser?.close(); });

// -- the API, as the test reads it ---------------------------------------------------------

const documents = new Map();
async function documentText(name) {
  if (!documents.has(name)) {
    const response = await fetch(`${BASE}/app/documents/${name}.graphql`);
    assert.equal(response.status, 200, `${name}.graphql is served`);
    documents.set(name, await response.text());
  }
  return documents.get(name);
}

/** The named operation and the fragments it spreads (definitions start at column 0). */
function operation(document, name) {
  const definitions = document.split(/^(?=query |subscription |fragment )/m).filter((d) => /^(query|subscription|fragment) /.test(d));
  const op = definitions.find((d) => new RegExp(`^(query|subscription) ${name}\\b`).test(d));
  assert.ok(op, `operation ${name}`);
  const fragments = new Map(definitions.filter((d) => d.startsWith('fragment ')).map((d) => [d.split(/\s+/)[1], d]));
  const used = new Set();
  const queue = [op];
  while (queue.length) {
    for (const [, spread] of queue.pop().matchAll(/\.\.\.\s*(?!on\b)(\w+)/g)) {
      if (!used.has(spread)) { used.add(spread); queue.push(fragments.get(spread)); }
    }
  }
  return [op, ...[...used].map((f) => fragments.get(f))].join('\n');
}

async function api(token, name, operationName, variables = {}) {
  const query = operation(await documentText(name), operationName);
  const response = await fetch(`${BASE}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, operationName, variables }),
  });
  const body = await response.json();
  assert.deepEqual(body.errors ?? [], [], `${operationName}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function exportCsv(token, name, operationName, variables) {
  const query = operation(await documentText(name), operationName);
  const response = await fetch(`${BASE}/export`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, operationName, variables, format: 'csv' }),
  });
  assert.equal(response.status, 200, `export ${operationName}`);
  return response.text();
}

// -- dates as the views compute them ---------------------------------------------------------

function today() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
function addDays(day, n) {
  const t = new Date(`${day}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}
function addMonths(day, n) {
  const [y, m, d] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) + n;
  const ny = Math.floor(index / 12);
  const nm = (index % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
function lastDayOf(month) {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}
/** The month before this one: the demo's last whole month of data. */
function lastMonth() { return addMonths(`${today().slice(0, 7)}-01`, -1).slice(0, 7); }
function defaultRange() { return { from: addDays(today(), -29), to: today() }; }

// -- the page ------------------------------------------------------------------------------

/** A new tab signed in with `token` through `/#token=`, at `route`. */
async function open(token, route, { width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.problems = problems;
  await page.goto(`${BASE}/#token=${encodeURIComponent(token)}`);
  await page.locator('[data-sign-out]').waitFor(WAIT);
  assert.ok(!page.url().includes('token='), `the token is removed from the address bar: ${page.url()}`);
  if (route) { await go(page, route); }
  return page;
}

async function go(page, route) {
  await page.evaluate((hash) => { window.location.hash = hash; }, `#/${route}`);
}

/** A figure's number as shown (`1,234` → 1234). */
async function figureOf(page, name) {
  const text = await page.locator(`[data-figure="${name}"]`).first().textContent(WAIT);
  return Number(text.replaceAll(',', '').trim());
}

/** The body rows of a table as text cells (header cell first). */
async function rowsOf(page, name) {
  const table = page.locator(`table[data-table="${name}"]`);
  await table.waitFor(WAIT);
  return table.evaluate((t) => [...t.tBodies[0].rows].filter((r) => !r.classList.contains('more'))
    .map((r) => [...r.cells].map((c) => c.textContent.trim())));
}
const num = (text) => Number(String(text).replaceAll(',', ''));

async function chartsDrawn(page, atLeast) {
  await page.waitForFunction((n) => [...document.querySelectorAll('[data-chart] canvas')]
    .filter((c) => c.width > 0 && c.closest('[data-chart]').chart).length >= n, atLeast, WAIT);
}

async function screenshot(page, name, route) {
  if (!SCREENSHOTS) { return; }
  for (const [width, height] of [[1280, 1100], [390, 1400]]) {
    await page.setViewportSize({ width, height });
    if (route) { await go(page, route); }
    await page.locator('main h1').first().waitFor(WAIT);
    await page.waitForFunction(() => !document.querySelector('main .state.loading'), null, WAIT);
    // Charts redraw on resize (Chart.js's observer); wait until each has a size again.
    await page.waitForFunction(() => [...document.querySelectorAll('[data-chart] canvas')].every((c) => c.width > 0), null, WAIT);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${width}.png` });
  }
}

// -- the views -----------------------------------------------------------------------------

test('the account dashboard shows the API figures of the month, today and the hosts', async () => {
  const month = lastMonth();
  const page = await open(OWNER, `dashboard?month=${month}`);
  const earliest = addMonths(today(), -12);
  const first = `${month}-01`;
  const variables = {
    year: Number(month.slice(0, 4)), month: Number(month.slice(5)), timeZone: null,
    from: first < earliest ? earliest : first, to: lastDayOf(month),
    upcomingFrom: today(), upcomingTo: addMonths(today(), 1),
  };
  const data = await api(OWNER, 'dashboard', 'Dashboard', variables);
  const totals = data.dailyUsage.totals;
  assert.ok(totals.meetings > 0, 'the demo has sessions last month');
  assert.equal(await figureOf(page, 'month-sessions'), totals.meetings);
  assert.equal(await figureOf(page, 'month-participants'), totals.participants);
  assert.equal(await figureOf(page, 'month-minutes'), totals.meetingMinutes);
  assert.equal(await figureOf(page, 'month-new-users'), totals.newUsers);
  const days = await rowsOf(page, 'daily-usage');
  assert.deepEqual(days.map((r) => [r[0], ...r.slice(1).map(num)]),
    data.dailyUsage.days.map((d) => [d.date, d.meetings, d.participants, d.meetingMinutes, d.newUsers]));
  assert.equal(await figureOf(page, 'active-hosts'), data.activeHosts.totalCount);
  assert.equal(await figureOf(page, 'inactive-hosts'), data.inactiveHosts.totalCount);
  const top = await rowsOf(page, 'top-hosts');
  assert.deepEqual(top.map((r) => [r[0], num(r[1]), num(r[2]), num(r[3])]),
    data.activeHosts.nodes.map((n) => [n.host.name, n.meetings, n.participants, n.meetingMinutes]));
  const upcoming = await rowsOf(page, 'upcoming-events');
  assert.deepEqual(upcoming.map((r) => r[1]), data.upcomingEvents.nodes.map((n) => n.topic));
  assert.equal(await figureOf(page, 'storage-days-over'), data.cloudRecordingUsage.storage.daysOverAllowance);
  assert.equal((await rowsOf(page, 'storage-days')).length, data.cloudRecordingUsage.days.length);
  const todayData = await api(OWNER, 'dashboard', 'Today', { today: today() });
  assert.equal(await figureOf(page, 'today-sessions'), todayData.activeHosts.totals.meetings);
  assert.equal(await figureOf(page, 'today-hosts'), todayData.activeHosts.totalCount);
  await chartsDrawn(page, 4);
  assert.deepEqual(page.problems, []);
  // The screenshot with the live panel as it settles (live, or the note that it is not).
  await page.waitForFunction(() => ['live', 'unavailable'].includes(document.querySelector('[data-live-status]')?.dataset.liveStatus), null, WAIT);
  await screenshot(page, 'dashboard');
  await page.context().close();
});

test('my usage shows a member their own sessions and totals', async () => {
  const page = await open(MEMBER, 'usage');
  const { usage } = await api(MEMBER, 'my-usage', 'MyUsage', defaultRange());
  assert.ok(usage.totals.meetings > 0, 'the member hosted sessions in the last 30 days');
  assert.equal(await figureOf(page, 'usage-sessions'), usage.totals.meetings);
  assert.equal(await figureOf(page, 'usage-participants'), usage.totals.participants);
  assert.equal(await figureOf(page, 'usage-minutes'), usage.totals.meetingMinutes);
  const rows = await rowsOf(page, 'usage-sessions');
  assert.deepEqual(rows.map((r) => [r[1], num(r[4]), num(r[5])]), usage.sessions.map((s) => [s.event.topic, s.participants, s.meetingMinutes]));
  await chartsDrawn(page, 1);
  await screenshot(page, 'my-usage');
  await page.context().close();
});

test('meetings and webinars list what the API lists, and Download CSV is the export', async () => {
  const page = await open(OWNER, 'meetings');
  const range = defaultRange();
  const data = await api(OWNER, 'meetings', 'Meetings', { ...range, search: null, first: 50 });
  const meetings = await rowsOf(page, 'meetings');
  assert.deepEqual(meetings.map((r) => r[0]), data.meetings.nodes.map((m) => m.topic));
  assert.deepEqual(meetings.map((r) => num(r[5])), data.meetings.nodes.map((m) => m.sessions.reduce((n, s) => n + s.participantsCount, 0)));
  const webinars = await rowsOf(page, 'webinars');
  assert.deepEqual(webinars.map((r) => r[0]), data.webinars.nodes.map((m) => m.topic));
  const caption = await page.locator('table[data-table="meetings"] caption').textContent();
  assert.ok(caption.startsWith(`${data.meetings.totalCount.toLocaleString('en-US')} meetings`), caption);

  // The CSV: the browser's download, byte for byte the export of the same operation.
  const [download] = await Promise.all([
    page.waitForEvent('download', WAIT),
    page.locator('#meetings-list [data-csv]').click(),
  ]);
  assert.match(download.suggestedFilename(), /^meetings-\d{4}-\d{2}-\d{2}\.csv$/);
  const file = readFileSync(await download.path(), 'utf8');
  const expected = await exportCsv(OWNER, 'meetings', 'MeetingsCsv', { ...range, search: null });
  assert.equal(file.split('\r\n')[0], 'id,meetingNumber,topic,host.name,host.email,sessions.startTime,sessions.participantsCount,sessions.meetingMinutes');
  assert.equal(file, expected);
  assert.ok(file.split('\r\n').length > data.meetings.totalCount, 'a row per session of every meeting');

  // A table the export cannot write (the Daily report is no connection) downloads as shown.
  await go(page, `dashboard?month=${lastMonth()}`);
  await page.locator('table[data-table="daily-usage"]').waitFor(WAIT);
  const [daily] = await Promise.all([page.waitForEvent('download', WAIT), page.locator('#daily [data-csv]').click()]);
  const lines = readFileSync(await daily.path(), 'utf8').trim().split('\r\n');
  assert.equal(lines[0], 'Day,Sessions,Participants,Meeting minutes,New users');
  assert.equal(lines.length, 1 + (await rowsOf(page, 'daily-usage')).length);

  await go(page, 'meetings');
  await page.locator('table[data-table="meetings"]').waitFor(WAIT);
  await screenshot(page, 'meetings');
  await page.context().close();
});

test('a webinar shows its funnel, peak concurrency, polls and attendees from the API', async () => {
  const range = defaultRange();
  const list = await api(OWNER, 'meetings', 'Meetings', { ...range, search: null, first: 50 });
  const id = list.webinars.nodes[0].id;
  const page = await open(OWNER, `webinar/${id}`);
  const { webinar } = await api(OWNER, 'meeting', 'WebinarDetail', { id });
  const p = webinar.performance;
  assert.equal(await figureOf(page, 'registered'), p.registrants);
  assert.equal(await figureOf(page, 'approved'), p.approvedRegistrants);
  assert.equal(await figureOf(page, 'attended'), p.attendedRegistrants);
  assert.equal(await figureOf(page, 'peak-webinar'), p.peakConcurrent);
  const latest = webinar.sessions.at(-1);
  assert.equal(await figureOf(page, 'participants'), latest.participantsCount);
  assert.equal(await figureOf(page, 'minutes'), latest.meetingMinutes);
  const attendees = await rowsOf(page, 'attendees');
  assert.deepEqual(attendees.map((r) => [r[0], num(r[5]), num(r[6])]), webinar.attendees.nodes.map((a) => [a.name, a.totalMinutes, a.rejoinCount]));
  const polls = await page.locator('[data-poll-question]').count();
  assert.equal(polls, webinar.polls.reduce((n, poll) => n + poll.questions.length, 0));
  const qa = await rowsOf(page, 'qa');
  assert.deepEqual(qa.map((r) => r[0]), webinar.qa.nodes.map((q) => q.question));
  await chartsDrawn(page, 3);
  await screenshot(page, 'webinar');
  await page.context().close();
});

test("a meeting's peak concurrency and attendance are drawn from all its joins", async () => {
  const range = defaultRange();
  const list = await api(OWNER, 'meetings', 'Meetings', { ...range, search: null, first: 50 });
  const busiest = [...list.meetings.nodes].sort((a, b) => b.sessions.at(-1).participantsCount - a.sessions.at(-1).participantsCount)[0];
  const page = await open(OWNER, `meeting/${busiest.id}`);
  const { meeting } = await api(OWNER, 'meeting', 'MeetingDetail', { id: busiest.id });
  const joins = [...meeting.participants.nodes];
  let cursor = meeting.participants.pageInfo;
  while (cursor.hasNextPage) {
    const next = await api(OWNER, 'meeting', 'MeetingJoins', { id: busiest.id, after: cursor.endCursor });
    joins.push(...next.meeting.participants.nodes);
    cursor = next.meeting.participants.pageInfo;
  }
  const session = meeting.sessions.at(-1);
  const start = Date.parse(session.startTime);
  const end = session.endTime ? Date.parse(session.endTime) : Date.now();
  const mine = joins.filter((j) => Date.parse(j.joinTime) >= start && Date.parse(j.joinTime) <= end);
  const events = mine.flatMap((j) => [[Date.parse(j.joinTime), 1], ...(j.leaveTime ? [[Date.parse(j.leaveTime), -1]] : [])])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let level = 0;
  let peak = 0;
  for (const [, step] of events) { level += step; peak = Math.max(peak, level); }
  assert.equal(await figureOf(page, 'joins'), mine.length);
  assert.equal(await figureOf(page, 'peak'), peak);
  assert.equal(await figureOf(page, 'participants'), session.participantsCount);
  const steps = await rowsOf(page, 'attendance');
  assert.equal(steps.reduce((n, r) => n + num(r[1]), 0), mine.length, 'every join is in one step');
  assert.equal(Math.max(...steps.map((r) => num(r[3]))), peak);
  await chartsDrawn(page, 1);
  await page.context().close();
});

test('user activity lists the logs and sign-ins, with filters and search', async () => {
  const page = await open(OWNER, 'activity');
  const range = defaultRange();
  const logs = await api(OWNER, 'activity', 'OperationLogs', { ...range, first: 50 });
  const signIns = await api(OWNER, 'activity', 'SignIns', { ...range, first: 50 });
  const logRows = await rowsOf(page, 'operationLogs');
  assert.deepEqual(logRows.map((r) => r[4]), logs.operationLogs.nodes.map((l) => l.detail));
  const signInRows = await rowsOf(page, 'signInActivity');
  assert.deepEqual(signInRows.map((r) => [r[1], r[3]]), signIns.signInActivity.nodes.map((s) => [s.user?.email ?? '—', s.ipAddress]));
  const caption = page.locator('table[data-table="signInActivity"] caption');
  assert.equal(await caption.textContent(), `${signIns.signInActivity.nodes.length} of ${signIns.signInActivity.totalCount.toLocaleString('en-US')}`);

  // Filter: sign-outs of one user, by search.
  const email = signIns.signInActivity.nodes[0].user.email;
  await page.locator('#sign-ins-type').selectOption('SIGN_OUT');
  await page.locator('#sign-ins-signInSearch').fill(email);
  await page.locator('#sign-ins form button[type="submit"]').click();
  const filtered = await api(OWNER, 'activity', 'SignIns', { ...range, type: 'SIGN_OUT', search: email, first: 50 });
  await page.waitForFunction((n) => document.querySelector('table[data-table="signInActivity"] caption')?.textContent.endsWith(` of ${n}`), filtered.signInActivity.totalCount, WAIT);
  const rows = await rowsOf(page, 'signInActivity');
  assert.ok(rows.length > 0 && rows.every((r) => r[1] === email && r[2] === 'SIGN_OUT'), JSON.stringify(rows.slice(0, 3)));
  await page.locator('#sign-ins-type').selectOption('');
  await page.locator('#sign-ins-signInSearch').fill('');
  await page.locator('#sign-ins form button[type="submit"]').click();
  await page.waitForFunction((n) => document.querySelector('table[data-table="signInActivity"] caption')?.textContent.endsWith(` of ${n}`), signIns.signInActivity.totalCount.toLocaleString('en-US'), WAIT);
  await screenshot(page, 'activity');
  await page.context().close();
});

test('a member sees neither the dashboard nor user activity, not even by URL', async () => {
  const page = await open(MEMBER, null);
  const sent = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/graphql') && request.method() === 'POST') { sent.push(JSON.parse(request.postData()).operationName); }
  });
  await page.locator('nav [data-nav="usage"]').waitFor(WAIT);
  const offered = await page.locator('nav [data-nav]').evaluateAll((links) => links.map((a) => a.dataset.nav));
  assert.deepEqual(offered, ['usage', 'meetings']);
  for (const route of ['dashboard', 'activity']) {
    await go(page, route);
    const notice = page.locator('main [data-state="forbidden"]');
    await notice.waitFor(WAIT);
    assert.match(await notice.textContent(), /needs the (usage|user activity) reports privilege/);
    assert.equal(await page.locator('main [data-figure], main table').count(), 0, `${route}: no report shown`);
  }
  assert.deepEqual(sent.filter((name) => !['MyUsage', 'Viewer'].includes(name)), [], 'no admin report was requested');
  // The member's meetings are their own: every host in the list is the member.
  await go(page, 'meetings');
  const rows = await rowsOf(page, 'meetings');
  assert.ok(rows.length > 0);
  assert.deepEqual([...new Set(rows.map((r) => r[2]))], ['Lucas Bernard']);
  await page.context().close();
});

test('a range over the limits shows the rule and sends nothing', async () => {
  const page = await open(OWNER, 'meetings');
  await page.locator('table[data-table="meetings"]').waitFor(WAIT);
  const sent = [];
  page.on('request', (request) => { if (request.url().endsWith('/graphql')) { sent.push(request.postData()); } });
  const form = page.locator('main form.toolbar').first();
  const from = addDays(today(), -40);
  await form.locator('input[name="from"]').fill(from);
  await form.locator('input[name="to"]').fill(today());
  await form.locator('button[type="submit"]').click();
  const violation = page.locator('[data-rule-violation]');
  await violation.waitFor(WAIT);
  assert.match(await violation.textContent(), new RegExp(`at most 1 calendar month: with “from” ${from}, “to” may be ${addMonths(from, 1)} at the latest`));
  assert.equal(await form.locator('input[name="to"]').getAttribute('aria-invalid'), 'true');
  // Over the 12 months of history.
  const old = addDays(addMonths(today(), -12), -1);
  await form.locator('input[name="from"]').fill(old);
  await form.locator('input[name="to"]').fill(addDays(old, 5));
  await form.locator('button[type="submit"]').click();
  await page.waitForFunction(() => /reach back 12 months/.test(document.querySelector('[data-rule-violation]')?.textContent || ''), null, WAIT);
  assert.deepEqual(sent, [], 'the server was never asked');
  // The rule is stated before anything is wrong.
  assert.match(await form.locator('.rule').textContent(), /at most one calendar month .* reaches back 12 months/);
  await page.context().close();
});

test('the server refusing a request shows its code and message', async () => {
  const page = await open(OWNER, null);
  // A meeting id that does not exist: the server's NOT_FOUND, as it said it.
  await go(page, 'meeting/999999999');
  const error = page.locator('main [data-state="error"]');
  await error.waitFor(WAIT);
  assert.equal(await error.getAttribute('data-code'), 'NOT_FOUND');
  await page.context().close();
});

test('Open in playground opens GraphiQL with the view document in a tab', async () => {
  const page = await open(OWNER, 'usage');
  const link = page.locator('main [data-playground]');
  await link.waitFor(WAIT);
  const [playground] = await Promise.all([page.context().waitForEvent('page', WAIT), link.click()]);
  await playground.locator('.graphiql-container').waitFor(WAIT);
  await playground.waitForFunction(() => document.body.textContent.includes('query MyUsage'), null, WAIT);
  assert.ok(!playground.url().includes('document='), 'the document is taken from the fragment');
  assert.ok(!playground.url().includes('token='), 'and so is the token');
  await page.context().close();
});

test('sign in by pasting a token, with the keyboard only, and sign out', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE}/`);
  const field = page.locator('textarea#token');
  await field.waitFor(WAIT);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'token', 'the token field has the focus');
  await page.keyboard.insertText(`Bearer ${OWNER}`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Sign in');
  await page.keyboard.press('Enter');
  await page.locator('[data-sign-out]').waitFor(WAIT);
  assert.equal(await page.evaluate(() => window.sessionStorage.length), 1, 'the token is in sessionStorage');
  // The skip link, then the brand, then the views, in order.
  // A reload keeps the session (sessionStorage) and starts the tab order from the top.
  await page.reload();
  await page.locator('main h1').waitFor(WAIT);
  const order = [];
  for (let i = 0; i < 6; i += 1) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => document.activeElement.textContent.trim()));
  }
  assert.deepEqual(order, ['Skip to the report', 'meeting-reports', 'Account dashboard', 'My usage', 'Meetings and webinars', 'User activity']);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.location.hash.startsWith('#/activity'), null, WAIT);
  await page.locator('table[data-table="operationLogs"]').waitFor(WAIT);
  await page.locator('[data-sign-out]').click();
  await field.waitFor(WAIT);
  assert.equal(await page.evaluate(() => window.sessionStorage.length), 0, 'signing out forgets the token');
  await page.goto(`${BASE}/#/dashboard`);
  await field.waitFor(WAIT);
  await context.close();
});

test('a token the server refuses asks for another, with the server code', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BASE}/#token=not-a-token`);
  const notice = page.locator('.signin [role="alert"]');
  await notice.waitFor(WAIT);
  assert.match(await notice.textContent(), /UNAUTHENTICATED/);
  await context.close();
});

// -- live updates --------------------------------------------------------------------------

function sign(body) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'content-type': 'application/json', 'x-zm-request-timestamp': timestamp, 'x-zm-signature': signature };
}

async function postEvent(event) {
  const body = JSON.stringify(event);
  const response = await fetch(`${BASE}/webhooks/zoom`, { method: 'POST', headers: sign(body), body });
  assert.equal(response.status, 200, await response.text());
}

test('without a subscription socket the dashboard says live updates are unavailable and keeps its figures', async () => {
  const context = await browser.newContext();
  // Every socket to /graphql is refused, as by a server (or a proxy) without subscriptions.
  await context.routeWebSocket(/\/graphql$/, (ws) => ws.close({ code: 1011, reason: 'no subscriptions here' }));
  const page = await context.newPage();
  await page.goto(`${BASE}/#token=${encodeURIComponent(OWNER)}`);
  const note = page.locator('[data-live-unavailable]');
  await note.waitFor(WAIT);
  assert.match(await note.textContent(), /Live updates unavailable \(closed with 1011 no subscriptions here\)/);
  const { activeHosts } = await api(OWNER, 'dashboard', 'Today', { today: today() });
  assert.equal(await figureOf(page, 'today-sessions'), activeHosts.totals.meetings);
  await context.close();
});

test('a webhook event posted while the dashboard is open appears within 2 s', async (t) => {
  // Required as soon as the server's contract has the subscriptions; skipped, with the reason,
  // against a server without them (the page then says "live updates unavailable").
  const sdl = await (await fetch(`${BASE}/schema.graphql`)).text();
  const served = /type Subscription \{[^}]*liveMeetings[^}]*dataChanged|type Subscription \{[^}]*dataChanged[^}]*liveMeetings/s.test(sdl);
  const page = await open(OWNER, `dashboard?month=${today().slice(0, 7)}`);
  const status = page.locator('[data-live-status]');
  // Live within 5 s, or the server does not serve subscriptions (a failed upgrade is retried
  // a few times before the page says so).
  const live = await page.waitForFunction(() => document.querySelector('[data-live-status]')?.dataset.liveStatus === 'live', null, { timeout: 5000 })
    .then(() => true, () => false);
  if (!live) {
    const why = await status.textContent();
    await page.context().close();
    if (served || process.env.REQUIRE_LIVE === '1') { assert.fail(`the schema has the subscriptions, yet: ${why}`); }
    t.skip(`the server's schema has no Subscription { liveMeetings dataChanged } yet: ${why}`);
    return;
  }
  await page.locator('[data-figure="today-sessions"]').waitFor(WAIT);
  const before = await figureOf(page, 'today-sessions');
  const now = Date.now();
  const uuid = `browser-test-${now}==`;
  const object = { id: String(89000000000 + (now % 1000000)), uuid, host_id: 'browser-test-host', topic: `Live from the browser test ${now}`, type: 1, start_time: new Date(now - 60000).toISOString(), timezone: ZONE, duration: 30 };
  const started = Date.now();
  await postEvent({ event: 'meeting.started', event_ts: now, payload: { account_id: 'demo-corp', object } });
  await postEvent({
    event: 'meeting.participant_joined', event_ts: now + 1,
    payload: { account_id: 'demo-corp', object: { ...object, participant: { user_id: `join-${now}`, user_name: 'Browser Test', email: 'browser.test@demo.example', join_time: new Date(now - 30000).toISOString() } } },
  });
  await page.locator(`[data-live-meeting]`, { hasText: object.topic }).waitFor({ timeout: 2000 });
  await page.waitForFunction((n) => Number(document.querySelector('[data-figure="today-sessions"]').textContent.replaceAll(',', '')) === n, before + 1, { timeout: Math.max(100, 2000 - (Date.now() - started)) });
  assert.ok(Date.now() - started < 2500);
  await page.context().close();
});
