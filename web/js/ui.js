// Small DOM helpers shared by the views: elements, tables with real header cells, the
// loading / empty / error states, numbers and times, CSV files and the playground link.

import { asApiError, documentUrl, exportCsv, token } from './api.js';

/** `h('p', { class: 'x' }, 'text', child)`: an element; attributes starting with `on` are listeners. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) { continue; }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) { continue; }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

// Numbers as en-US with thousands separators, the same on every machine (tests read them).
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
export function formatInt(value) { return value === null || value === undefined ? '—' : integer.format(value); }
export function formatPercent(ratio) { return ratio === null || ratio === undefined ? '—' : `${decimal.format(ratio * 100)} %`; }

const units = ['B', 'KB', 'MB', 'GB', 'TB'];
/** Bytes (a BigInt string) as 1.2 GB (decimal units, as the portal shows storage). */
export function formatBytes(value) {
  if (value === null || value === undefined) { return '—'; }
  let n = Number(value);
  let unit = 0;
  while (Math.abs(n) >= 1000 && unit < units.length - 1) { n /= 1000; unit += 1; }
  return `${decimal.format(n)} ${units[unit]}`;
}

let zone = 'UTC';
/** The zone times are shown in: the account's. */
export function setDisplayZone(timeZone) { zone = timeZone || 'UTC'; }
export function displayZone() { return zone; }

export function formatDateTime(iso) {
  if (!iso) { return '—'; }
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
export function formatTime(ms) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(new Date(ms));
}

/** Today (yyyy-mm-dd) in a zone. */
export function todayIn(timeZone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** A figure: `<div><dt>label</dt><dd data-figure=name>value</dd></div>` inside a `<dl class=figures>`. */
export function figure(name, label, value, format = formatInt) {
  return h('div', {}, h('dt', {}, label), h('dd', { 'data-figure': name }, format(value)));
}

export function loading(what) {
  return h('p', { class: 'state loading', role: 'status' }, `Loading ${what}…`);
}

export function empty(text) {
  return h('p', { class: 'state empty', 'data-state': 'empty' }, text);
}

/** An error as the server said it: its code and its message. */
export function errorNotice(error, what) {
  const e = asApiError(error);
  return h('div', { class: 'notice error', role: 'alert', 'data-state': 'error', 'data-code': e.code },
    what ? `${what}: ` : '', h('code', {}, e.code), ' — ', e.message);
}

/**
 * A table: `columns` are `{ label, value(row), format?, numeric?, header? }`; the first column
 * marked `header` is each row's `<th scope="row">`. `more` adds a last row saying what is not
 * shown.
 */
export function table({ caption, columns, rows, name, more, foot }) {
  const head = h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)));
  const body = rows.map((row) => h('tr', {}, columns.map((c) => {
    const raw = c.value(row);
    const shown = c.render ? c.render(row) : (c.format ? c.format(raw) : (raw ?? '—'));
    const attributes = { class: c.numeric ? 'num' : (c.nowrap ? 'nowrap' : null) };
    return c.header ? h('th', { scope: 'row', ...attributes }, shown) : h('td', attributes, shown);
  })));
  if (more) {
    body.push(h('tr', { class: 'more' }, h('td', { colspan: columns.length }, more)));
  }
  const parts = [caption ? h('caption', {}, caption) : null, h('thead', {}, head), h('tbody', {}, body)];
  if (foot) {
    parts.push(h('tfoot', {}, h('tr', {}, columns.map((c, i) => {
      const value = foot(c, i);
      return i === 0 ? h('th', { scope: 'row' }, value ?? '') : h('td', { class: c.numeric ? 'num' : null }, value ?? '');
    }))));
  }
  const element = h('table', { 'data-table': name }, parts);
  // The rows as shown, for "Download CSV" of a table the export endpoint cannot write.
  element.csvRows = () => [columns.map((c) => c.csvLabel || c.label), ...rows.map((row) => columns.map((c) => c.value(row)))];
  return element;
}

/** A scrollable region holding a table, reachable by keyboard. */
export function tableBox(tableElement, label, tall = false) {
  return h('div', { class: tall ? 'table-box tall' : 'table-box', tabindex: 0, role: 'region', 'aria-label': label }, tableElement);
}

/** RFC 4180: comma, CRLF, quotes doubled, a field quoted when it needs it. */
export function toCsv(rows) {
  return rows.map((row) => row.map((cell) => {
    const text = cell === null || cell === undefined ? '' : String(cell);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  }).join(',')).join('\r\n') + '\r\n';
}

export function saveFile(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: fileName, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/**
 * "Download CSV": through POST /export when the table is a root connection of the view's
 * document (`exportOf()` gives `{ document, operationName, variables }`: every row), else the
 * rows of the table as shown (`tableOf()`).
 */
export function csvButton({ label = 'Download CSV', exportOf, tableOf, fileName, status }) {
  const button = h('button', { type: 'button', 'data-csv': fileName || true }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    status && replace(status);
    try {
      if (exportOf) {
        const { document: doc, operationName, variables } = exportOf();
        const file = await exportCsv(doc, operationName, variables);
        saveFile(file.blob, file.fileName);
      } else {
        const rows = tableOf().csvRows();
        saveFile(new Blob([toCsv(rows)], { type: 'text/csv;charset=utf-8' }), `${fileName}.csv`);
      }
    } catch (error) {
      if (status) { replace(status, errorNotice(error, 'The CSV could not be exported')); }
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/**
 * "Open in playground": GraphiQL at /graphql with this document and variables in a new tab
 * (the fragment never reaches the server). The token is added only when the link is
 * followed, so a copied link does not carry it.
 */
export function playgroundLink(documentText, variables, operationName) {
  const params = () => {
    const p = new URLSearchParams();
    p.set('document', documentText);
    if (variables && Object.keys(variables).length) { p.set('variables', JSON.stringify(variables, null, 2)); }
    if (operationName) { p.set('operationName', operationName); }
    return p;
  };
  const link = h('a', { class: 'button', href: `/graphql#${params()}`, target: '_blank', rel: 'noopener', 'data-playground': true },
    'Open in playground');
  const withToken = () => {
    const p = params();
    const current = token();
    if (current) { p.set('token', current); }
    link.href = `/graphql#${p}`;
    setTimeout(() => { link.href = `/graphql#${params()}`; }, 0);
  };
  link.addEventListener('click', withToken);
  link.addEventListener('auxclick', withToken);
  return link;
}

/** The links every view carries: its document file and the playground. */
export function documentLinks(name, documentText, variables, operationName) {
  return h('span', { class: 'doc-links' },
    h('a', { href: documentUrl(name), target: '_blank', rel: 'noopener' }, `${name}.graphql`), ' ',
    playgroundLink(documentText, variables, operationName));
}

/** A card: a section with a heading, optional actions, and a body filled later. */
export function card(title, { className = '', id, actions = [] } = {}) {
  const headingId = `${id || title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-title`;
  const body = h('div', { class: 'card-body' });
  const status = h('div', { class: 'card-status' });
  const section = h('section', { class: `card ${className}`.trim(), 'aria-labelledby': headingId, id, 'data-card': id },
    h('div', { class: 'card-head' }, h('h2', { id: headingId }, title), h('div', { class: 'actions' }, actions)),
    status, body);
  section.body = body;
  section.status = status;
  section.setActions = (...nodes) => replace(section.querySelector('.card-head .actions'), ...nodes);
  return section;
}
