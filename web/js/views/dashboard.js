// The account dashboard (web/documents/dashboard.graphql): a month's daily usage, active and
// inactive hosts, the top hosts by meeting minutes, upcoming events, cloud-recording storage
// against the allowance; today's figures and the meetings live now, kept current by the
// LiveMeetings and DataChanged subscriptions. Needs usage_reports.

import { errorsOf, graphql, loadDocument } from '../api.js';
import { chart, PALETTE, series } from '../charts.js';
import { onLiveStatus, subscribe } from '../live.js';
import { addMonths, earliestDay, monthEnd, monthPicker, monthProblem } from '../range.js';
import {
  card, csvButton, documentLinks, empty, errorNotice, figure, formatBytes, formatDateTime, formatInt,
  h, loading, replace, table, tableBox, todayIn,
} from '../ui.js';

const NAME = 'dashboard';

export async function render(main, { viewer, params, setParams }) {
  const doc = await loadDocument(NAME);
  const accountZone = viewer.account.timeZone;
  const today = todayIn(accountZone);
  let month = params.get('month') || today.slice(0, 7);
  if (monthProblem(month, today)) { month = today.slice(0, 7); }
  let timeZone = params.get('tz') || '';

  const variablesFor = () => {
    const [year, m] = month.split('-').map(Number);
    const first = `${month}-01`;
    return {
      year,
      month: m,
      timeZone: timeZone || null,
      from: first < earliestDay(today) ? earliestDay(today) : first,
      to: monthEnd(first),
      upcomingFrom: today,
      upcomingTo: addMonths(today, 1),
    };
  };

  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const zoneSelect = h('select', { id: 'dashboard-zone', name: 'tz' },
    h('option', { value: '' }, `The account's (${accountZone})`),
    zones.filter((z) => z !== accountZone).map((z) => h('option', { value: z, selected: z === timeZone }, z)));
  const links = h('div', { class: 'actions' });
  const picker = monthPicker({
    month,
    today,
    extra: [h('label', { for: 'dashboard-zone' }, 'Cut days in', zoneSelect)],
    onApply: ({ month: chosen }) => {
      month = chosen;
      timeZone = zoneSelect.value;
      setParams(timeZone ? { month, tz: timeZone } : { month });
      load();
    },
  });
  picker.append(links);

  const todayCard = card(`Today, ${today}`, { className: 'third', id: 'today' });
  const liveCard = card('Live now', { className: 'third', id: 'live' });
  const monthCard = card('The month', { className: 'third', id: 'month' });
  const dailyCard = card('Daily usage', { id: 'daily' });
  const hostsCard = card('Active and inactive hosts', { className: 'half', id: 'hosts' });
  const topCard = card('Top hosts by meeting minutes', { className: 'half', id: 'top-hosts' });
  const upcomingCard = card('Upcoming events', { className: 'half', id: 'upcoming' });
  const storageCard = card('Cloud recording storage', { className: 'half', id: 'storage' });

  replace(main,
    h('h1', {}, 'Account dashboard', h('span', { class: 'brand-sub' }, ` · ${viewer.account.name}`)),
    picker,
    h('div', { class: 'grid' }, todayCard, liveCard, monthCard, dailyCard, hostsCard, topCard, upcomingCard, storageCard));

  // Today's figures, refetched whenever a meeting event is ingested.
  let todayRun = 0;
  async function loadToday() {
    const run = ++todayRun;
    if (!todayCard.body.firstChild) { replace(todayCard.body, loading("today's figures")); }
    try {
      const { data, errors } = await graphql(doc, 'Today', { today });
      if (run !== todayRun) { return; }
      const failed = errorsOf(errors, 'activeHosts');
      if (!data || failed.length) { replace(todayCard.body, errorNotice(failed[0] || errors[0])); return; }
      const t = data.activeHosts.totals;
      replace(todayCard.body,
        h('dl', { class: 'figures' },
          figure('today-sessions', 'sessions', t.meetings),
          figure('today-participants', 'participants', t.participants),
          figure('today-minutes', 'meeting minutes', t.meetingMinutes),
          figure('today-hosts', 'active hosts', data.activeHosts.totalCount)),
        h('p', { class: 'live-status' }, `Data as of ${formatDateTime(data.dataAsOf.meetings)} (${accountZone} days)`));
    } catch (error) {
      if (run === todayRun) { replace(todayCard.body, errorNotice(error)); }
    }
  }

  // The live panel: the subscription re-sends the whole list on every change.
  const liveStatus = h('p', { class: 'live-status', 'data-live-status': 'connecting', 'aria-live': 'polite' });
  const liveList = h('div', { 'aria-live': 'polite' });
  replace(liveCard.body, liveStatus, liveList);
  const stopStatus = onLiveStatus(({ status, detail }) => {
    liveStatus.dataset.liveStatus = status;
    if (status === 'live') {
      replace(liveStatus, h('span', { class: 'live-dot on', 'aria-hidden': 'true' }), 'Live: updates as events arrive.');
    } else if (status === 'unavailable') {
      replace(liveStatus, h('span', { class: 'live-off', 'data-live-unavailable': true },
        h('strong', {}, 'Live updates unavailable'), ` (${detail}). The figures are those loaded; reload the page to refresh them.`));
      if (!liveList.firstChild) { replace(liveList, empty('No live list without live updates.')); }
    } else {
      replace(liveStatus, h('span', { class: 'live-dot', 'aria-hidden': 'true' }), 'Connecting for live updates…');
    }
  });
  const stopLive = subscribe(doc, 'LiveMeetings', (data) => {
    const list = data.liveMeetings || [];
    if (!list.length) { replace(liveList, empty('No meeting or webinar in progress.')); return; }
    replace(liveList,
      h('p', {}, h('strong', { 'data-figure': 'live-count' }, formatInt(list.length)), list.length === 1 ? ' in progress' : ' in progress'),
      h('ul', { class: 'live-list', 'data-live-list': true }, list.map((m) => h('li', { 'data-live-meeting': m.id },
        h('span', {}, h('a', { href: `#/${m.webinar ? 'webinar' : 'meeting'}/${encodeURIComponent(m.id)}` }, m.topic),
          ' ', h('span', { class: 'pill' }, m.webinar ? 'webinar' : 'meeting'), h('br'),
          h('small', {}, `since ${formatDateTime(m.startTime)}`)),
        h('span', { class: 'num' }, h('strong', { 'data-figure': 'live-now' }, formatInt(m.participantsNow)), ' in now',
          h('br'), h('small', {}, `${formatInt(m.participantsCount)} joined`))))));
  });
  let refetch = null;
  const stopChanges = subscribe(doc, 'DataChanged', (data) => {
    if (data.dataChanged && data.dataChanged.source === 'MEETINGS') {
      // Events come in bursts (a meeting's joins): one refetch per burst.
      clearTimeout(refetch);
      refetch = setTimeout(loadToday, 50);
    }
  });

  let run = 0;
  async function load() {
    const mine = ++run;
    const variables = variablesFor();
    replace(links, documentLinks(NAME, doc, variables, 'Dashboard'));
    for (const c of [monthCard, dailyCard, hostsCard, topCard, upcomingCard, storageCard]) {
      replace(c.status);
      replace(c.body, loading(c.querySelector('h2').textContent.toLowerCase()));
      c.setActions();
    }
    let answer;
    try {
      answer = await graphql(doc, 'Dashboard', variables);
    } catch (error) {
      if (mine !== run) { return; }
      for (const c of [monthCard, dailyCard, hostsCard, topCard, upcomingCard, storageCard]) { replace(c.body, errorNotice(error)); }
      return;
    }
    if (mine !== run) { return; }
    const { data, errors } = answer;
    const section = (c, field, draw) => {
      const failed = errorsOf(errors, field);
      if (!data || !data[field] || failed.length) { replace(c.body, errorNotice(failed[0] || errors[0])); return; }
      draw(data[field]);
    };
    section(monthCard, 'dailyUsage', (daily) => drawMonth(monthCard, daily));
    section(dailyCard, 'dailyUsage', (daily) => drawDaily(dailyCard, daily, month));
    section(hostsCard, 'activeHosts', (active) => section(hostsCard, 'inactiveHosts', (inactive) => drawHosts(hostsCard, active, inactive, doc, variables)));
    section(topCard, 'activeHosts', (active) => drawTopHosts(topCard, active, doc, variables));
    section(upcomingCard, 'upcomingEvents', (upcoming) => drawUpcoming(upcomingCard, upcoming, doc, variables));
    section(storageCard, 'cloudRecordingUsage', (storage) => drawStorage(storageCard, storage));
  }

  loadToday();
  load();
  return () => { stopLive(); stopChanges(); stopStatus(); clearTimeout(refetch); todayRun += 1; run += 1; };
}

function drawMonth(c, daily) {
  const t = daily.totals;
  replace(c.body,
    h('dl', { class: 'figures' },
      figure('month-sessions', 'sessions', t.meetings),
      figure('month-participants', 'participants', t.participants),
      figure('month-minutes', 'meeting minutes', t.meetingMinutes),
      figure('month-new-users', 'new users', t.newUsers)),
    h('p', { class: 'live-status' }, `${daily.year}-${String(daily.month).padStart(2, '0')}, days cut in ${daily.timeZone}`));
}

function drawDaily(c, daily, month) {
  const days = daily.days;
  c.setActions(csvButton({ fileName: `daily-usage-${month}`, tableOf: () => c.querySelector('table'), status: c.status }));
  if (!days.some((d) => d.meetings || d.newUsers)) {
    replace(c.body, empty(`No sessions and no new users in ${month}.`));
    return;
  }
  const labels = days.map((d) => d.date.slice(8));
  const config = {
    data: {
      labels,
      datasets: series([
        { type: 'bar', label: 'Sessions', data: days.map((d) => d.meetings), yAxisID: 'count', colour: PALETTE.blue },
        { type: 'bar', label: 'Participants', data: days.map((d) => d.participants), yAxisID: 'count', colour: PALETTE.orange },
        { type: 'line', label: 'Meeting minutes', data: days.map((d) => d.meetingMinutes), yAxisID: 'minutes', colour: PALETTE.green },
      ]),
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: {
        count: { type: 'linear', position: 'left', beginAtZero: true, title: { display: true, text: 'sessions, participants' } },
        minutes: { type: 'linear', position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'minutes' } },
        x: { title: { display: true, text: `day of ${month} (${daily.timeZone})` } },
      },
    },
  };
  const t = daily.totals;
  const columns = [
    { label: 'Day', value: (d) => d.date, header: true, nowrap: true },
    { label: 'Sessions', value: (d) => d.meetings, numeric: true, format: formatInt },
    { label: 'Participants', value: (d) => d.participants, numeric: true, format: formatInt },
    { label: 'Meeting minutes', value: (d) => d.meetingMinutes, numeric: true, format: formatInt },
    { label: 'New users', value: (d) => d.newUsers, numeric: true, format: formatInt },
  ];
  const totals = [null, t.meetings, t.participants, t.meetingMinutes, t.newUsers];
  replace(c.body, h('div', { class: 'chart-and-table' },
    chart(config, `Sessions, participants and meeting minutes on each day of ${month}; the table beside it lists them.`),
    tableBox(table({ name: 'daily-usage', caption: `Each day of ${month}`, columns, rows: days, foot: (col, i) => (i === 0 ? 'Month' : formatInt(totals[i])) }), 'Daily usage table')));
}

function drawHosts(c, active, inactive, doc, variables) {
  const activeCount = active.totalCount;
  const inactiveCount = inactive.totalCount;
  c.setActions(csvButton({ label: 'Inactive hosts CSV', fileName: 'inactive-hosts', exportOf: () => ({ document: doc, operationName: 'InactiveHostsCsv', variables }), status: c.status }));
  const total = activeCount + inactiveCount;
  const figures = h('dl', { class: 'figures' },
    figure('active-hosts', 'active hosts', activeCount),
    figure('inactive-hosts', 'inactive hosts', inactiveCount),
    figure('all-users', 'users', total));
  if (!total) { replace(c.body, figures, empty('The account has no users.')); return; }
  const config = {
    type: 'doughnut',
    data: { labels: ['Active', 'Inactive'], datasets: [{ data: [activeCount, inactiveCount], backgroundColor: [PALETTE.blue, PALETTE.orange], borderColor: '#fff' }] },
    options: { plugins: { legend: { position: 'right' } } },
  };
  const rows = inactive.nodes;
  replace(c.body, figures,
    chart(config, `${activeCount} active and ${inactiveCount} inactive hosts from ${variables.from} to ${variables.to}.`, { short: true }),
    rows.length ? tableBox(table({
      name: 'inactive-hosts',
      caption: `Inactive hosts, ${variables.from} to ${variables.to}`,
      columns: [
        { label: 'Name', value: (u) => u.name, header: true },
        { label: 'Email', value: (u) => u.email },
        { label: 'Added', value: (u) => u.createdAt, format: formatDateTime },
      ],
      rows,
      more: inactiveCount > rows.length ? `and ${formatInt(inactiveCount - rows.length)} more: the CSV has them all` : null,
    }), 'Inactive hosts table') : empty('Every user held a session in the range.'));
}

function drawTopHosts(c, active, doc, variables) {
  c.setActions(csvButton({ fileName: 'active-hosts', exportOf: () => ({ document: doc, operationName: 'ActiveHostsCsv', variables }), status: c.status }));
  const rows = active.nodes;
  if (!rows.length) { replace(c.body, empty(`No host held a session from ${variables.from} to ${variables.to}.`)); return; }
  const config = {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.host.name),
      datasets: series([{ label: 'Meeting minutes', data: rows.map((r) => r.meetingMinutes), colour: PALETTE.green }]),
    },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, title: { display: true, text: 'meeting minutes' } } } },
  };
  const t = active.totals;
  replace(c.body,
    chart(config, `The ${rows.length} hosts with the most meeting minutes from ${variables.from} to ${variables.to}.`),
    tableBox(table({
      name: 'top-hosts',
      caption: `Top ${rows.length} of ${formatInt(active.totalCount)} active hosts, ${variables.from} to ${variables.to}`,
      columns: [
        { label: 'Host', value: (r) => r.host.name, header: true },
        { label: 'Sessions', value: (r) => r.meetings, numeric: true, format: formatInt },
        { label: 'Participants', value: (r) => r.participants, numeric: true, format: formatInt },
        { label: 'Minutes', value: (r) => r.meetingMinutes, numeric: true, format: formatInt },
      ],
      rows,
      foot: (col, i) => (i === 0 ? 'All hosts' : [null, formatInt(t.meetings), formatInt(t.participants), formatInt(t.meetingMinutes)][i]),
    }), 'Top hosts table'));
}

function drawUpcoming(c, upcoming, doc, variables) {
  c.setActions(csvButton({ fileName: 'upcoming-events', exportOf: () => ({ document: doc, operationName: 'UpcomingEventsCsv', variables }), status: c.status }));
  const rows = upcoming.nodes;
  if (!rows.length) { replace(c.body, empty(`Nothing scheduled from ${variables.upcomingFrom} to ${variables.upcomingTo}.`)); return; }
  replace(c.body, tableBox(table({
    name: 'upcoming-events',
    caption: `${formatInt(upcoming.totalCount)} scheduled from ${variables.upcomingFrom} to ${variables.upcomingTo}`,
    columns: [
      { label: 'Starts', value: (e) => e.scheduledStart, format: formatDateTime, header: true, nowrap: true },
      { label: 'Topic', value: (e) => e.topic, render: (e) => h('a', { href: `#/${e.__typename === 'Webinar' ? 'webinar' : 'meeting'}/${encodeURIComponent(e.id)}` }, e.topic) },
      { label: 'Kind', value: (e) => e.__typename },
      { label: 'Host', value: (e) => (e.host ? e.host.name : null) },
      { label: 'Minutes', value: (e) => e.plannedDurationMinutes, numeric: true, format: formatInt },
    ],
    rows,
    more: upcoming.totalCount > rows.length ? `and ${formatInt(upcoming.totalCount - rows.length)} more: the CSV has them all` : null,
  }), 'Upcoming events table', true));
}

function drawStorage(c, report) {
  c.setActions(csvButton({ fileName: 'cloud-recording-storage', tableOf: () => c.querySelector('table'), status: c.status }));
  const s = report.storage;
  const figures = h('dl', { class: 'figures' },
    figure('storage-latest', `in use${s.latestDay ? ` on ${s.latestDay}` : ''}`, s.latestUsageBytes, formatBytes),
    figure('storage-allowance', 'allowance', report.allowanceBytes, formatBytes),
    figure('storage-peak', 'peak', s.peakUsageBytes, formatBytes),
    figure('storage-days-over', 'days over the allowance', s.daysOverAllowance));
  const reported = report.days.filter((d) => d.usageBytes !== null);
  if (!reported.length) { replace(c.body, figures, empty('The platform reported no storage in this range.')); return; }
  const gb = (bytes) => (bytes === null ? null : Number(bytes) / 1e9);
  const config = {
    type: 'line',
    data: {
      labels: report.days.map((d) => d.date.slice(5)),
      datasets: series([
        { type: 'line', label: 'In use (GB)', data: report.days.map((d) => gb(d.usageBytes)), colour: PALETTE.blue, spanGaps: true, fill: false },
        { type: 'line', label: 'Allowance (GB)', data: report.days.map(() => gb(report.allowanceBytes)), colour: PALETTE.vermillion, borderDash: [6, 4], pointRadius: 0 },
      ]),
    },
    options: { interaction: { mode: 'index', intersect: false }, scales: { y: { beginAtZero: true, title: { display: true, text: 'GB' } } } },
  };
  replace(c.body, figures,
    chart(config, 'Cloud recording storage in use each day against the allowance.', { short: true }),
    tableBox(table({
      name: 'storage-days',
      caption: 'Storage at the end of each day',
      columns: [
        { label: 'Day', value: (d) => d.date, header: true, nowrap: true },
        { label: 'In use', value: (d) => d.usageBytes, numeric: true, format: formatBytes, csvLabel: 'usageBytes' },
        { label: 'Share of the allowance', value: (d) => (d.usageBytes === null ? null : (Number(d.usageBytes) / Number(report.allowanceBytes))), numeric: true, format: (v) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`) },
      ],
      rows: report.days,
    }), 'Storage table'));
}
