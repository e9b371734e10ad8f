// User activity (web/documents/activity.graphql): the operation logs and the sign-ins and
// sign-outs of a range, each with its filter and search, 50 rows a page with "Show more".
// Needs user_activity_reports.

import { errorsOf, graphql, loadDocument } from '../api.js';
import { rangePicker } from '../range.js';
import {
  card, csvButton, documentLinks, empty, errorNotice, formatDateTime, formatInt, h, loading, replace, table,
  tableBox, todayIn,
} from '../ui.js';
import { initialRange } from './usage.js';

const NAME = 'activity';
const CATEGORIES = ['USER', 'USER_SETTINGS', 'ACCOUNT', 'BILLING', 'RECORDING', 'ROLE', 'WEBINAR', 'MEETING'];

export async function render(main, { viewer, params, setParams }) {
  const doc = await loadDocument(NAME);
  const today = todayIn(viewer.account.timeZone);
  let range = initialRange(params, today);
  const links = h('div', { class: 'actions' });
  const picker = rangePicker({ ...range, today, onApply: (r) => { range = r; save(); logs.load(); signIns.load(); } });
  picker.append(links);

  const state = {
    category: params.get('category') || '',
    logSearch: params.get('logSearch') || '',
    type: params.get('type') || '',
    signInSearch: params.get('signInSearch') || '',
  };
  const save = () => {
    const p = { ...range };
    for (const [k, v] of Object.entries(state)) { if (v) { p[k] = v; } }
    setParams(p);
    replace(links, documentLinks(NAME, doc, { ...logs.variables(), ...signIns.variables() }, 'OperationLogs'));
  };

  const logs = section({
    doc,
    id: 'operation-logs',
    title: 'Operation logs',
    operationName: 'OperationLogs',
    field: 'operationLogs',
    filters: [
      { key: 'category', label: 'Category', options: CATEGORIES },
      { key: 'logSearch', label: 'Search operator, action or detail', search: true },
    ],
    variables: () => ({ ...range, category: state.category || null, search: state.logSearch || null }),
    columns: [
      { label: 'Time', value: (l) => l.time, format: formatDateTime, header: true, nowrap: true },
      { label: 'Operator', value: (l) => l.operatorEmail },
      { label: 'Category', value: (l) => l.category },
      { label: 'Action', value: (l) => l.action },
      { label: 'Detail', value: (l) => l.detail },
    ],
    state,
    onChange: () => save(),
  });
  const signIns = section({
    doc,
    id: 'sign-ins',
    title: 'Sign in and sign out',
    operationName: 'SignIns',
    field: 'signInActivity',
    filters: [
      { key: 'type', label: 'Type', options: ['SIGN_IN', 'SIGN_OUT'] },
      { key: 'signInSearch', label: 'Search user or IP address', search: true },
    ],
    variables: () => ({ ...range, type: state.type || null, search: state.signInSearch || null }),
    columns: [
      { label: 'Time', value: (s) => s.time, format: formatDateTime, header: true, nowrap: true },
      { label: 'User', value: (s) => (s.user ? s.user.email : null) },
      { label: 'Type', value: (s) => s.type },
      { label: 'IP address', value: (s) => s.ipAddress },
      { label: 'Client', value: (s) => s.clientType },
      { label: 'Version', value: (s) => s.version },
    ],
    state,
    onChange: () => save(),
  });

  replace(main, h('h1', {}, 'User activity'), picker, h('div', { class: 'grid' }, logs.element, signIns.element));
  save();
  logs.load();
  signIns.load();
  return () => { logs.stop(); signIns.stop(); };
}

/** One list with its filters, its CSV (POST /export, every row) and "Show more". */
function section({ doc, id, title, operationName, field, filters, variables, columns, state, onChange }) {
  const c = card(title, { id });
  let rows = [];
  let run = 0;
  const controls = h('form', { class: 'toolbar', 'aria-label': `${title} filters` },
    filters.map((f) => {
      const inputId = `${id}-${f.key}`;
      const input = f.search
        ? h('input', { type: 'search', id: inputId, name: f.key, value: state[f.key] })
        : h('select', { id: inputId, name: f.key }, h('option', { value: '' }, 'Any'), f.options.map((o) => h('option', { value: o, selected: o === state[f.key] }, o)));
      return h('label', { for: inputId }, f.label, input);
    }),
    h('button', { type: 'submit' }, 'Filter'));
  controls.addEventListener('submit', (event) => {
    event.preventDefault();
    for (const f of filters) { state[f.key] = controls.elements[f.key].value.trim(); }
    onChange();
    load();
  });
  const list = h('div');
  c.body.append(controls, list);
  c.setActions(csvButton({ fileName: field, exportOf: () => ({ document: doc, operationName, variables: variables() }), status: c.status }));

  async function load(after = null) {
    const mine = ++run;
    if (!after) { rows = []; replace(list, loading(title.toLowerCase())); }
    replace(c.status);
    let answer;
    try {
      answer = await graphql(doc, operationName, { ...variables(), first: 50, after });
    } catch (error) {
      if (mine === run) { replace(list, errorNotice(error)); }
      return;
    }
    if (mine !== run) { return; }
    const { data, errors } = answer;
    const failed = errorsOf(errors, field);
    if (!data || !data[field] || failed.length) { replace(list, errorNotice(failed[0] || errors[0])); return; }
    const connection = data[field];
    rows = rows.concat(connection.nodes);
    if (!rows.length) { replace(list, empty(`No ${title.toLowerCase()} entries match.`)); return; }
    const more = connection.pageInfo.hasNextPage
      ? h('button', { type: 'button', 'data-more': field, onClick: () => load(connection.pageInfo.endCursor) }, `Show more (${formatInt(connection.totalCount - rows.length)} left)`)
      : null;
    replace(list,
      tableBox(table({ name: field, caption: `${formatInt(rows.length)} of ${formatInt(connection.totalCount)}`, columns, rows }), `${title} table`, true),
      more);
  }

  return { element: c, load: () => load(), variables, stop: () => { run += 1; } };
}
