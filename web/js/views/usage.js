// My usage (web/documents/my-usage.graphql): the signed-in host's own sessions of a range,
// with participants and meeting minutes, per day as a chart and per session as a table. Any
// report user: this is what a member sees of the usage reports.

import { errorsOf, graphql, loadDocument } from '../api.js';
import { chart, PALETTE, series } from '../charts.js';
import { addDays, rangePicker, rangeProblem } from '../range.js';
import {
  card, csvButton, displayZone, documentLinks, empty, errorNotice, figure, formatDateTime, formatInt,
  h, loading, replace, table, tableBox, todayIn,
} from '../ui.js';

const NAME = 'my-usage';

/** A range from the URL, or the last 30 days. */
export function initialRange(params, today) {
  const from = params.get('from');
  const to = params.get('to');
  if (from && to && !rangeProblem(from, to, today)) { return { from, to }; }
  return { from: addDays(today, -29), to: today };
}

export async function render(main, { viewer, params, setParams }) {
  const doc = await loadDocument(NAME);
  const today = todayIn(viewer.account.timeZone);
  let range = initialRange(params, today);
  const links = h('div', { class: 'actions' });
  const picker = rangePicker({ ...range, today, onApply: (r) => { range = r; setParams(r); load(); } });
  picker.append(links);
  const totalsCard = card('Totals', { id: 'usage-totals' });
  const chartCard = card('Minutes per day', { id: 'usage-days' });
  const sessionsCard = card('Sessions', { id: 'usage-sessions' });
  replace(main, h('h1', {}, 'My usage'), picker, h('div', { class: 'grid' }, totalsCard, chartCard, sessionsCard));

  let run = 0;
  async function load() {
    const mine = ++run;
    replace(links, documentLinks(NAME, doc, range, 'MyUsage'));
    for (const c of [totalsCard, chartCard, sessionsCard]) { replace(c.status); replace(c.body, loading('your usage')); c.setActions(); }
    let answer;
    try {
      answer = await graphql(doc, 'MyUsage', range);
    } catch (error) {
      if (mine === run) { for (const c of [totalsCard, chartCard, sessionsCard]) { replace(c.body, errorNotice(error)); } }
      return;
    }
    if (mine !== run) { return; }
    const { data, errors } = answer;
    const failed = errorsOf(errors, 'usage');
    if (!data || !data.usage || failed.length) {
      for (const c of [totalsCard, chartCard, sessionsCard]) { replace(c.body, errorNotice(failed[0] || errors[0])); }
      return;
    }
    draw(data.usage);
  }

  function draw(usage) {
    const t = usage.totals;
    replace(totalsCard.body, h('dl', { class: 'figures' },
      figure('usage-sessions', 'sessions', t.meetings),
      figure('usage-participants', 'participants', t.participants),
      figure('usage-minutes', 'meeting minutes', t.meetingMinutes)),
    h('p', { class: 'live-status' }, `${usage.host.name} (${usage.host.email}), ${usage.from} to ${usage.to}`));
    if (!usage.sessions.length) {
      replace(chartCard.body, empty(`No session from ${usage.from} to ${usage.to}.`));
      replace(sessionsCard.body, empty(`No session from ${usage.from} to ${usage.to}.`));
      return;
    }
    // Minutes per day of the range, days in the account's zone.
    const perDay = new Map();
    for (let day = usage.from; day <= usage.to; day = addDays(day, 1)) { perDay.set(day, { day, sessions: 0, minutes: 0 }); }
    const dayOf = (iso) => new Intl.DateTimeFormat('en-CA', { timeZone: displayZone(), year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
    for (const s of usage.sessions) {
      const entry = perDay.get(dayOf(s.session.startTime));
      if (entry) { entry.sessions += 1; entry.minutes += s.meetingMinutes; }
    }
    const days = [...perDay.values()];
    const config = {
      data: {
        labels: days.map((d) => d.day.slice(5)),
        datasets: series([
          { type: 'bar', label: 'Meeting minutes', data: days.map((d) => d.minutes), colour: PALETTE.green, yAxisID: 'minutes' },
          { type: 'line', label: 'Sessions', data: days.map((d) => d.sessions), colour: PALETTE.blue, yAxisID: 'sessions' },
        ]),
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: {
          minutes: { position: 'left', beginAtZero: true, title: { display: true, text: 'minutes' } },
          sessions: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { precision: 0 }, title: { display: true, text: 'sessions' } },
        },
      },
    };
    replace(chartCard.body, h('div', { class: 'chart-and-table' },
      chart(config, `Your meeting minutes and sessions on each day from ${usage.from} to ${usage.to}.`),
      tableBox(table({
        name: 'usage-days',
        caption: 'Each day',
        columns: [
          { label: 'Day', value: (d) => d.day, header: true, nowrap: true },
          { label: 'Sessions', value: (d) => d.sessions, numeric: true, format: formatInt },
          { label: 'Minutes', value: (d) => d.minutes, numeric: true, format: formatInt },
        ],
        rows: days.filter((d) => d.sessions),
      }), 'Minutes per day table')));
    sessionsCard.setActions(csvButton({ fileName: `my-usage-${usage.from}-${usage.to}`, tableOf: () => sessionsCard.querySelector('table'), status: sessionsCard.status }));
    replace(sessionsCard.body, tableBox(table({
      name: 'usage-sessions',
      caption: `${formatInt(usage.sessions.length)} sessions`,
      columns: [
        { label: 'Started', value: (s) => s.session.startTime, format: formatDateTime, header: true, nowrap: true },
        { label: 'Topic', value: (s) => s.event.topic, render: (s) => h('a', { href: `#/${s.event.__typename === 'Webinar' ? 'webinar' : 'meeting'}/${encodeURIComponent(s.event.id)}` }, s.event.topic) },
        { label: 'Kind', value: (s) => s.event.__typename },
        { label: 'Duration (min)', value: (s) => s.session.durationMinutes, numeric: true, format: formatInt },
        { label: 'Participants', value: (s) => s.participants, numeric: true, format: formatInt },
        { label: 'Meeting minutes', value: (s) => s.meetingMinutes, numeric: true, format: formatInt },
      ],
      rows: usage.sessions,
      foot: (col, i) => (i === 0 ? 'Total' : [null, null, null, null, formatInt(t.participants), formatInt(t.meetingMinutes)][i]),
    }), 'Sessions table', true));
  }

  load();
  return () => { run += 1; };
}
