// Meetings and webinars (web/documents/meetings.graphql): those with a session in the range,
// searched by topic or number, each linking to its detail. A member sees the ones they host.

import { errorsOf, graphql, loadDocument } from '../api.js';
import { rangePicker } from '../range.js';
import {
  card, csvButton, documentLinks, empty, errorNotice, formatDateTime, formatInt, h, loading, replace, table,
  tableBox, todayIn,
} from '../ui.js';
import { initialRange } from './usage.js';

const NAME = 'meetings';

export async function render(main, { viewer, params, setParams }) {
  const doc = await loadDocument(NAME);
  const today = todayIn(viewer.account.timeZone);
  let range = initialRange(params, today);
  let search = params.get('search') || '';
  const searchInput = h('input', { type: 'search', id: 'meetings-search', name: 'search', value: search, placeholder: 'topic or number' });
  const links = h('div', { class: 'actions' });
  const picker = rangePicker({
    ...range,
    today,
    extra: [h('label', { for: 'meetings-search' }, 'Search', searchInput)],
    onApply: (r) => {
      range = r;
      search = searchInput.value.trim();
      setParams(search ? { ...r, search } : r);
      load();
    },
  });
  picker.append(links);
  const meetingsCard = card('Meetings', { id: 'meetings-list' });
  const webinarsCard = card('Webinars', { id: 'webinars-list' });
  const scope = viewer.privileges.includes('USAGE_REPORTS') ? 'every host of the account' : 'the meetings and webinars you host';
  replace(main, h('h1', {}, 'Meetings and webinars'), h('p', { class: 'rule' }, `Showing ${scope}.`), picker,
    h('div', { class: 'grid' }, meetingsCard, webinarsCard));

  const variables = () => ({ ...range, search: search || null, first: 50 });

  let run = 0;
  async function load() {
    const mine = ++run;
    const v = variables();
    replace(links, documentLinks(NAME, doc, v, 'Meetings'));
    for (const c of [meetingsCard, webinarsCard]) { replace(c.status); replace(c.body, loading(c.querySelector('h2').textContent.toLowerCase())); c.setActions(); }
    let answer;
    try {
      answer = await graphql(doc, 'Meetings', v);
    } catch (error) {
      if (mine === run) { for (const c of [meetingsCard, webinarsCard]) { replace(c.body, errorNotice(error)); } }
      return;
    }
    if (mine !== run) { return; }
    const { data, errors } = answer;
    for (const [c, field, kind, op] of [[meetingsCard, 'meetings', 'meeting', 'MeetingsCsv'], [webinarsCard, 'webinars', 'webinar', 'WebinarsCsv']]) {
      const failed = errorsOf(errors, field);
      if (!data || !data[field] || failed.length) { replace(c.body, errorNotice(failed[0] || errors[0])); continue; }
      const connection = data[field];
      c.setActions(csvButton({ fileName: field, exportOf: () => ({ document: doc, operationName: op, variables: v }), status: c.status }));
      if (!connection.nodes.length) { replace(c.body, empty(`No ${field} with a session from ${v.from} to ${v.to}${v.search ? ` matching “${v.search}”` : ''}.`)); continue; }
      replace(c.body, tableBox(table({
        name: field,
        caption: `${formatInt(connection.totalCount)} ${field}, ${v.from} to ${v.to}`,
        columns: [
          { label: 'Topic', header: true, value: (m) => m.topic, render: (m) => h('a', { href: `#/${kind}/${encodeURIComponent(m.id)}`, 'data-detail-link': m.id }, m.topic) },
          { label: 'Number', value: (m) => m.meetingNumber },
          { label: 'Host', value: (m) => (m.host ? m.host.name : null) },
          { label: 'Sessions (all)', value: (m) => m.sessions.length, numeric: true, format: formatInt },
          { label: 'Last start', value: (m) => (m.sessions.length ? m.sessions[m.sessions.length - 1].startTime : null), format: formatDateTime },
          { label: 'Participants (all sessions)', value: (m) => m.sessions.reduce((n, s) => n + s.participantsCount, 0), numeric: true, format: formatInt },
          { label: 'Meeting minutes (all sessions)', value: (m) => m.sessions.reduce((n, s) => n + s.meetingMinutes, 0), numeric: true, format: formatInt },
        ],
        rows: connection.nodes,
        more: connection.totalCount > connection.nodes.length ? `and ${formatInt(connection.totalCount - connection.nodes.length)} more: narrow the range or search, or download the CSV` : null,
      }), `${field} table`, true));
    }
  }

  load();
  return () => { run += 1; };
}
