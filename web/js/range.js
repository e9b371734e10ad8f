// The range pickers. They state the server's two range rules (its defaults: MAX_RANGE_MONTHS
// = 1, HISTORY_MONTHS = 12) and check them before a request is sent, so the rule is shown
// instead of a refusal; a server configured otherwise still refuses, and its error is shown.

import { h, replace } from './ui.js';

export const MAX_RANGE_MONTHS = 1;
export const HISTORY_MONTHS = 12;

function parse(day) {
  const [y, m, d] = day.split('-').map(Number);
  return { y, m, d };
}
function format({ y, m, d }) {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
function daysIn(y, m) { return new Date(Date.UTC(y, m, 0)).getUTCDate(); }

/** `day` plus `months` calendar months, clamped to the month's last day (as chrono does). */
export function addMonths(day, months) {
  const { y, m, d } = parse(day);
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = (index % 12) + 1;
  return format({ y: ny, m: nm, d: Math.min(d, daysIn(ny, nm)) });
}
export function addDays(day, days) {
  const { y, m, d } = parse(day);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return format({ y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() });
}
export function monthStart(day) { return `${day.slice(0, 7)}-01`; }
export function monthEnd(day) {
  const { y, m } = parse(day);
  return format({ y, m, d: daysIn(y, m) });
}

/** The earliest `from` a report accepts, given today in the account's zone. */
export function earliestDay(today) { return addMonths(today, -HISTORY_MONTHS); }

/** What is wrong with a range, in the server's words, or null. */
export function rangeProblem(from, to, today) {
  if (!from || !to) { return 'Choose both days of the range.'; }
  if (from > to) { return `“From” (${from}) is after “to” (${to}).`; }
  const latest = addMonths(from, MAX_RANGE_MONTHS);
  if (to > latest) {
    return `A search covers at most ${MAX_RANGE_MONTHS} calendar month: with “from” ${from}, “to” may be ${latest} at the latest.`;
  }
  const earliest = earliestDay(today);
  if (from < earliest) {
    return `Reports reach back ${HISTORY_MONTHS} months: “from” may be ${earliest} at the earliest.`;
  }
  return null;
}

export function ruleText(today) {
  return `A search covers at most one calendar month (“to” no later than “from” + 1 month) and reaches back 12 months (“from” on or after ${earliestDay(today)}).`;
}

/**
 * From and to, with the rule, a live check, and Apply. `onApply({ from, to })` is called only
 * with a range that keeps the rules. `extra` are more controls placed before Apply.
 */
export function rangePicker({ from, to, today, onApply, extra = [], label = 'Range' }) {
  const id = Math.random().toString(36).slice(2, 8);
  const fromInput = h('input', { type: 'date', id: `from-${id}`, name: 'from', value: from, min: earliestDay(today), 'aria-describedby': `rule-${id} problem-${id}` });
  const toInput = h('input', { type: 'date', id: `to-${id}`, name: 'to', value: to, 'aria-describedby': `rule-${id} problem-${id}` });
  const problem = h('div', { id: `problem-${id}`, class: 'rule-violation', 'aria-live': 'polite' });
  const check = () => {
    const text = rangeProblem(fromInput.value, toInput.value, today);
    fromInput.setAttribute('aria-invalid', text ? 'true' : 'false');
    toInput.setAttribute('aria-invalid', text ? 'true' : 'false');
    replace(problem, text ? h('p', { class: 'notice warn', 'data-rule-violation': true }, text, ' Nothing was sent to the server.') : null);
    return text;
  };
  fromInput.addEventListener('input', check);
  toInput.addEventListener('input', check);
  const form = h('form', { class: 'toolbar', 'aria-label': label, novalidate: true },
    h('label', { for: `from-${id}` }, 'From', fromInput),
    h('label', { for: `to-${id}` }, 'To', toInput),
    extra,
    h('button', { type: 'submit', class: 'primary' }, 'Apply'),
    h('p', { class: 'rule', id: `rule-${id}` }, ruleText(today)),
    problem);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (check()) { (fromInput.getAttribute('aria-invalid') === 'true' ? fromInput : toInput).focus(); return; }
    onApply({ from: fromInput.value, to: toInput.value });
  });
  return form;
}

/** The months a monthly report accepts: this month back to the one 12 months ago. */
export function monthProblem(month, today) {
  if (!/^\d{4}-\d{2}$/.test(month || '')) { return 'Choose a month (yyyy-mm).'; }
  const earliest = earliestDay(today).slice(0, 7);
  if (month < earliest) { return `Reports reach back ${HISTORY_MONTHS} months: the earliest month is ${earliest}.`; }
  if (month > today.slice(0, 7)) { return `${month} has not begun: the latest month is ${today.slice(0, 7)}.`; }
  return null;
}

/** A month, with the rule; `extra` controls (a time zone) sit beside it. */
export function monthPicker({ month, today, onApply, extra = [] }) {
  const id = Math.random().toString(36).slice(2, 8);
  const input = h('input', { type: 'month', id: `month-${id}`, name: 'month', value: month, min: earliestDay(today).slice(0, 7), max: today.slice(0, 7), 'aria-describedby': `rule-${id} problem-${id}`, placeholder: 'yyyy-mm' });
  const problem = h('div', { id: `problem-${id}`, class: 'rule-violation', 'aria-live': 'polite' });
  const check = () => {
    const text = monthProblem(input.value, today);
    input.setAttribute('aria-invalid', text ? 'true' : 'false');
    replace(problem, text ? h('p', { class: 'notice warn', 'data-rule-violation': true }, text, ' Nothing was sent to the server.') : null);
    return text;
  };
  input.addEventListener('input', check);
  const form = h('form', { class: 'toolbar', 'aria-label': 'Month', novalidate: true },
    h('label', { for: `month-${id}` }, 'Month', input),
    extra,
    h('button', { type: 'submit', class: 'primary' }, 'Apply'),
    h('p', { class: 'rule', id: `rule-${id}` },
      `One calendar month at a time, back 12 months (${earliestDay(today).slice(0, 7)} to ${today.slice(0, 7)}); in the oldest month the ranged reports start on ${earliestDay(today)}.`),
    problem);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (check()) { input.focus(); return; }
    onApply({ month: input.value });
  });
  return form;
}
