// One meeting or webinar (web/documents/meeting.graphql): attendance over time (joins, leaves
// and the people in it, from the join rows), peak concurrency, the registration funnel, poll
// results, Q&A and the attendees with their rejoins merged. The host, or usage_reports.

import { errorsOf, graphql, loadDocument } from '../api.js';
import { chart, PALETTE, series, SERIES } from '../charts.js';
import {
  card, csvButton, documentLinks, empty, errorNotice, figure, formatDateTime, formatInt, formatPercent,
  formatTime, h, replace, table, tableBox,
} from '../ui.js';

const NAME = 'meeting';

/** Every join (+1) and leave (-1) in time order; a leave before a join at the same instant. */
function joinsAndLeaves(joins) {
  const events = [];
  for (const j of joins) {
    events.push([Date.parse(j.joinTime), 1]);
    if (j.leaveTime) { events.push([Date.parse(j.leaveTime), -1]); }
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return events;
}

/** The most people in at one instant: a leave and a join at the same second do not overlap. */
export function peakConcurrency(joins) {
  const events = joinsAndLeaves(joins);
  let level = 0;
  let peak = 0;
  for (const [, step] of events) { level += step; peak = Math.max(peak, level); }
  return peak;
}

const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 240];

/** Joins, leaves and the most people in, per bucket of the session. */
export function attendanceBuckets(joins, startMs, endMs) {
  const span = Math.max(endMs - startMs, 60000);
  const minutes = STEPS.find((s) => span / (s * 60000) <= 30) || 480;
  const size = minutes * 60000;
  const count = Math.ceil(span / size);
  const buckets = Array.from({ length: count }, (_, i) => ({ start: startMs + i * size, joins: 0, leaves: 0, peak: 0 }));
  const index = (t) => Math.min(count - 1, Math.max(0, Math.floor((t - startMs) / size)));
  const events = joinsAndLeaves(joins);
  let level = 0;
  let e = 0;
  for (let i = 0; i < count; i += 1) {
    const b = buckets[i];
    b.peak = level;
    const end = i === count - 1 ? Infinity : b.start + size;
    while (e < events.length && events[e][0] < end) {
      const [t, step] = events[e];
      const into = buckets[index(t)];
      if (step > 0) { into.joins += 1; } else { into.leaves += 1; }
      level += step;
      b.peak = Math.max(b.peak, level);
      e += 1;
    }
  }
  return { minutes, buckets };
}

/** Counts of each answer of a poll question (several choices are separated by `;`). */
export function answerCounts(question) {
  const counts = new Map();
  for (const r of question.responses.nodes) {
    const parts = question.type === 'MULTIPLE_CHOICE' ? r.answer.split(';').map((a) => a.trim()).filter(Boolean) : [r.answer.trim()];
    for (const answer of parts) { counts.set(answer, (counts.get(answer) || 0) + 1); }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([answer, n]) => ({ answer, n }));
}

/** Registered → approved → attended, from the webinar's performance or the meeting's registrants. */
export function funnel(event) {
  if (event.performance) {
    const p = event.performance;
    return { registered: p.registrants, approved: p.approvedRegistrants, attended: p.attendedRegistrants, complete: true };
  }
  const r = event.registrants;
  const approved = r.nodes.filter((n) => n.status === 'APPROVED');
  return {
    registered: r.totalCount,
    approved: approved.length,
    attended: approved.filter((n) => n.attended).length,
    complete: r.totalCount <= r.nodes.length,
  };
}

export async function render(main, { arg, route, setParams, params }) {
  const doc = await loadDocument(NAME);
  const webinar = route === 'webinar';
  const operationName = webinar ? 'WebinarDetail' : 'MeetingDetail';
  const variables = { id: arg };
  const { data, errors } = await graphql(doc, operationName, variables);
  const field = webinar ? 'webinar' : 'meeting';
  const event = data && data[field];
  const heading = h('h1', {}, webinar ? 'Webinar' : 'Meeting');
  const links = documentLinks(NAME, doc, variables, operationName);
  if (!event) {
    replace(main, heading, h('p', {}, h('a', { href: '#/meetings' }, '← Meetings and webinars'), ' ', links),
      errorNotice(errorsOf(errors, field)[0] || errors[0] || { message: 'not found', extensions: { code: 'NOT_FOUND' } }));
    return null;
  }
  // Every join (up to 3,000), page after page: a session's attendance needs all of its joins.
  const joins = event.participants;
  for (let page = 1; joins.pageInfo.hasNextPage && page < 10; page += 1) {
    const next = await graphql(doc, webinar ? 'WebinarJoins' : 'MeetingJoins', { id: arg, after: joins.pageInfo.endCursor });
    const more = next.data && next.data[field] && next.data[field].participants;
    if (!more) { break; }
    joins.nodes.push(...more.nodes);
    joins.pageInfo = more.pageInfo;
  }
  replace(heading, event.topic);
  const sessions = event.sessions;
  const partial = (errors || []).map((e) => errorNotice(e, (e.path || []).join('.')));

  // The session whose attendance is drawn: from the URL, else the latest.
  let chosen = params.get('session') || (sessions.length ? sessions[sessions.length - 1].id : null);
  if (!sessions.some((s) => s.id === chosen) && sessions.length) { chosen = sessions[sessions.length - 1].id; }
  const sessionSelect = sessions.length > 1
    ? h('select', { id: 'session', name: 'session' }, sessions.map((s) => h('option', { value: s.id, selected: s.id === chosen }, formatDateTime(s.startTime))))
    : null;

  const attendanceCard = card('Attendance over time', { id: 'attendance' });
  const funnelCard = card('Registration', { className: 'half', id: 'funnel' });
  const qaCard = card('Q&A', { className: 'half', id: 'qa' });
  const pollsCard = card('Polls', { id: 'polls' });
  const attendeesCard = card('Attendees (rejoins merged)', { id: 'attendees' });

  replace(main,
    h('p', {}, h('a', { href: '#/meetings' }, '← Meetings and webinars')),
    heading,
    h('div', { class: 'toolbar' },
      h('dl', { class: 'figures' },
        h('div', {}, h('dt', {}, 'number'), h('dd', {}, event.meetingNumber)),
        h('div', {}, h('dt', {}, 'host'), h('dd', {}, event.host ? event.host.name : '—')),
        figure('sessions', 'sessions', sessions.length)),
      sessionSelect ? h('label', { for: 'session' }, 'Session', sessionSelect) : null,
      h('div', { class: 'actions' }, links)),
    partial,
    h('div', { class: 'grid' }, attendanceCard, funnelCard, qaCard, pollsCard, attendeesCard));

  function drawAttendance() {
    const session = sessions.find((s) => s.id === chosen);
    if (!session) { replace(attendanceCard.body, empty('No session has started yet.')); return; }
    const start = Date.parse(session.startTime);
    const end = session.endTime ? Date.parse(session.endTime) : Date.now();
    const joins = event.participants.nodes.filter((p) => {
      const t = Date.parse(p.joinTime);
      return t >= start && t <= end;
    });
    const peak = peakConcurrency(joins);
    const figures = h('dl', { class: 'figures' },
      figure('participants', 'participants (people)', session.participantsCount),
      figure('joins', 'joins', joins.length),
      figure('peak', 'peak concurrency', peak),
      figure('minutes', 'meeting minutes', session.meetingMinutes),
      event.performance ? figure('peak-webinar', 'peak concurrent (whole webinar)', event.performance.peakConcurrent) : null);
    const note = event.participants.totalCount > event.participants.nodes.length
      ? h('p', { class: 'notice warn' }, `Drawn from the first ${formatInt(event.participants.nodes.length)} of ${formatInt(event.participants.totalCount)} joins.`)
      : null;
    attendanceCard.setActions(csvButton({ fileName: `attendance-${event.meetingNumber}`, tableOf: () => attendanceCard.querySelector('table'), status: attendanceCard.status }));
    if (!joins.length) { replace(attendanceCard.body, figures, empty('Nobody joined this session.')); return; }
    const { minutes, buckets } = attendanceBuckets(joins, start, end);
    const labels = buckets.map((b) => formatTime(b.start));
    const config = {
      data: {
        labels,
        datasets: series([
          { type: 'line', label: 'In the meeting (most at once)', data: buckets.map((b) => b.peak), colour: PALETTE.blue, stepped: true, yAxisID: 'y' },
          { type: 'bar', label: 'Joins', data: buckets.map((b) => b.joins), colour: PALETTE.green, yAxisID: 'y' },
          { type: 'bar', label: 'Leaves', data: buckets.map((b) => b.leaves), colour: PALETTE.vermillion, yAxisID: 'y' },
        ]),
      },
      options: { interaction: { mode: 'index', intersect: false }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { title: { display: true, text: `${minutes}-minute steps from ${formatDateTime(session.startTime)}` } } } },
    };
    replace(attendanceCard.body, figures, note, h('div', { class: 'chart-and-table' },
      chart(config, `People in the session, joins and leaves in ${minutes}-minute steps; peak ${peak}.`),
      tableBox(table({
        name: 'attendance',
        caption: `${minutes}-minute steps`,
        columns: [
          { label: 'From', value: (b) => new Date(b.start).toISOString(), render: (b) => formatTime(b.start), header: true },
          { label: 'Joins', value: (b) => b.joins, numeric: true, format: formatInt },
          { label: 'Leaves', value: (b) => b.leaves, numeric: true, format: formatInt },
          { label: 'Most in', value: (b) => b.peak, numeric: true, format: formatInt },
        ],
        rows: buckets,
      }), 'Attendance table')));
  }
  if (sessionSelect) {
    sessionSelect.addEventListener('change', () => { chosen = sessionSelect.value; setParams({ session: chosen }); drawAttendance(); });
  }
  drawAttendance();

  // Registration funnel.
  const f = funnel(event);
  if (!f.registered && !event.registrationRequired) {
    replace(funnelCard.body, empty('This meeting takes no registration.'));
  } else {
    const steps = [
      { step: 'Registered', n: f.registered, figure: 'registered' },
      { step: 'Approved', n: f.approved, figure: 'approved' },
      { step: 'Attended', n: f.attended, figure: 'attended' },
    ];
    funnelCard.setActions(csvButton({ fileName: `registration-${event.meetingNumber}`, tableOf: () => funnelCard.querySelector('table'), status: funnelCard.status }));
    replace(funnelCard.body,
      h('dl', { class: 'figures' }, steps.map((s) => figure(s.figure, s.step.toLowerCase(), s.n)),
        figure('attendance-rate', 'of approved attended', f.approved ? f.attended / f.approved : null, formatPercent)),
      f.complete ? null : h('p', { class: 'notice warn' }, `Approved and attended counted over the first ${event.registrants.nodes.length} registrants.`),
      chart({
        type: 'bar',
        data: { labels: steps.map((s) => s.step), datasets: [{ label: 'People', data: steps.map((s) => s.n), backgroundColor: [PALETTE.sky, PALETTE.blue, PALETTE.green] }] },
        options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
      }, `Registration funnel: ${f.registered} registered, ${f.approved} approved, ${f.attended} attended.`, { short: true }),
      table({ name: 'funnel', caption: 'Registered → approved → attended', columns: [
        { label: 'Step', value: (s) => s.step, header: true },
        { label: 'People', value: (s) => s.n, numeric: true, format: formatInt },
      ], rows: steps }));
  }

  // Q&A.
  const qa = event.qa.nodes;
  if (!qa.length) {
    replace(qaCard.body, empty('No question was asked.'));
  } else {
    qaCard.setActions(csvButton({ fileName: `qa-${event.meetingNumber}`, tableOf: () => qaCard.querySelector('table'), status: qaCard.status }));
    replace(qaCard.body, tableBox(table({
      name: 'qa',
      caption: `${formatInt(event.qa.totalCount)} questions`,
      columns: [
        { label: 'Question', value: (q) => q.question, header: true },
        { label: 'Asked by', value: (q) => q.askerName },
        { label: 'Status', value: (q) => q.status },
        { label: 'Answers', value: (q) => q.answers.map((a) => `${a.answererName}: ${a.content}`).join(' | ') },
      ],
      rows: qa,
    }), 'Q&A table', true));
  }

  // Polls: one chart and table per choice question; short answers as a table.
  const questions = event.polls.flatMap((p) => p.questions.map((q) => ({ poll: p, question: q })));
  if (!questions.length) {
    replace(pollsCard.body, empty('No poll was run.'));
  } else {
    replace(pollsCard.body, h('div', { class: 'poll-grid' }, questions.map(({ poll, question }, i) => {
      const counts = answerCounts(question);
      const name = `poll-${question.id}`;
      const caption = `${poll.title}: ${question.text}`;
      const t = table({ name, caption, columns: [
        { label: 'Answer', value: (c) => c.answer, header: true },
        { label: 'Answers', value: (c) => c.n, numeric: true, format: formatInt },
      ], rows: counts, more: question.responses.totalCount > question.responses.nodes.length ? `counted over the first ${question.responses.nodes.length} of ${question.responses.totalCount} answers` : null });
      const block = h('div', { class: 'poll', 'data-poll-question': question.id },
        h('h3', {}, caption, ' ', h('span', { class: 'pill' }, `${formatInt(question.responses.totalCount)} answers${poll.anonymous ? ', anonymous' : ''}`)),
        h('div', { class: 'actions' }, csvButton({ label: 'CSV', fileName: name, tableOf: () => t, status: pollsCard.status })));
      if (!counts.length) { block.append(empty('No answer.')); return block; }
      if (question.type === 'SHORT_ANSWER') { block.append(tableBox(t, caption)); return block; }
      block.append(h('div', {},
        chart({
          type: 'bar',
          data: { labels: counts.map((c) => c.answer), datasets: [{ label: 'Answers', data: counts.map((c) => c.n), backgroundColor: SERIES[i % SERIES.length] }] },
          options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
        }, `Answers to “${question.text}”: ${counts.map((c) => `${c.answer} ${c.n}`).join(', ')}.`, { short: true }),
        tableBox(t, caption)));
      return block;
    })));
  }

  // Attendees: each person's joins merged.
  const attendees = event.attendees;
  if (!attendees.nodes.length) {
    replace(attendeesCard.body, empty('Nobody joined.'));
  } else {
    attendeesCard.setActions(csvButton({ fileName: `attendees-${event.meetingNumber}`, tableOf: () => attendeesCard.querySelector('table'), status: attendeesCard.status }));
    replace(attendeesCard.body, tableBox(table({
      name: 'attendees',
      caption: `${formatInt(attendees.totalCount)} people, every session`,
      columns: [
        { label: 'Name', value: (a) => a.name, header: true },
        { label: 'Email', value: (a) => a.email },
        { label: 'Role', value: (a) => a.role },
        { label: 'First join', value: (a) => a.firstJoinTime, format: formatDateTime },
        { label: 'Last leave', value: (a) => a.lastLeaveTime, format: (v) => (v ? formatDateTime(v) : 'still in') },
        { label: 'Minutes', value: (a) => a.totalMinutes, numeric: true, format: formatInt },
        { label: 'Rejoins', value: (a) => a.rejoinCount, numeric: true, format: formatInt },
      ],
      rows: attendees.nodes,
      more: attendees.totalCount > attendees.nodes.length ? `and ${formatInt(attendees.totalCount - attendees.nodes.length)} more` : null,
    }), 'Attendees table', true));
  }
  return null;
}
