// The app's shell: sign-in with a bearer token (pasted, or handed over as `/#token=...`,
// which is then removed from the address bar), the viewer's privileges, the navigation and
// a hash router (`#/dashboard`, `#/usage`, `#/meetings`, `#/meeting/ID`, `#/webinar/ID`,
// `#/activity`). A view the viewer's privileges do not allow is neither offered nor run.

import { ApiError, forgetToken, graphql, loadDocument, storeToken, token, whenUnauthenticated } from './api.js';
import { destroyCharts } from './charts.js';
import { closeLive } from './live.js';
import { errorNotice, h, loading, replace, setDisplayZone } from './ui.js';
import * as dashboard from './views/dashboard.js';
import * as usage from './views/usage.js';
import * as meetings from './views/meetings.js';
import * as meeting from './views/meeting.js';
import * as activity from './views/activity.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');

/** Each view: its route, title, the privilege it needs (null: any report user). */
const VIEWS = [
  { route: 'dashboard', title: 'Account dashboard', needs: 'USAGE_REPORTS', module: dashboard, nav: true },
  { route: 'usage', title: 'My usage', needs: null, module: usage, nav: true },
  { route: 'meetings', title: 'Meetings and webinars', needs: null, module: meetings, nav: true },
  { route: 'meeting', title: 'Meeting', needs: null, module: meeting, nav: false },
  { route: 'webinar', title: 'Webinar', needs: null, module: meeting, nav: false },
  { route: 'activity', title: 'User activity', needs: 'USER_ACTIVITY_REPORTS', module: activity, nav: true },
];

const PRIVILEGE_NAMES = {
  USAGE_REPORTS: 'usage reports',
  USER_ACTIVITY_REPORTS: 'user activity reports',
  BILLING_REPORTS: 'billing reports',
};

let viewer = null;
let leaveView = null;

/** `#/route/arg?key=value` → { route, arg, params }. */
function parseHash() {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  const [route = '', arg = ''] = path.split('/');
  return { route, arg: decodeURIComponent(arg), params: new URLSearchParams(query) };
}

/** Replaces the route's parameters in the address bar without running the view again. */
export function setParams(params) {
  const { route, arg } = parseHash();
  const query = new URLSearchParams(params).toString();
  const next = `#/${route}${arg ? `/${encodeURIComponent(arg)}` : ''}${query ? `?${query}` : ''}`;
  if (window.location.hash !== next) { window.history.replaceState(null, '', next); }
}

/** A token in the fragment (`/#token=XYZ`) never reaches the server: keep it, drop it from the URL. */
function takeTokenFromFragment() {
  const fragment = window.location.hash.replace(/^#/, '');
  if (!fragment.startsWith('token=') && !fragment.includes('&token=')) { return null; }
  const params = new URLSearchParams(fragment);
  const fresh = (params.get('token') || '').trim();
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/`);
  return fresh || null;
}

function allowed(view) {
  if (!viewer) { return false; }
  return !view.needs || viewer.privileges.includes(view.needs);
}

function homeRoute() {
  return viewer && viewer.privileges.includes('USAGE_REPORTS') ? 'dashboard' : 'usage';
}

function renderNav(current) {
  const items = VIEWS.filter((v) => v.nav && allowed(v)).map((v) => {
    const active = v.route === current || (current === 'meeting' || current === 'webinar' ? v.route === 'meetings' : false);
    return h('li', {}, h('a', { href: `#/${v.route}`, 'aria-current': active ? 'page' : null, 'data-nav': v.route }, v.title));
  });
  replace(nav, h('ul', {}, items));
  nav.hidden = false;
}

function renderWho() {
  const u = viewer.user;
  const role = u.customRole ? `${u.role}, ${u.customRole}` : u.role;
  replace(who,
    h('span', { 'data-viewer': u.email }, `${u.name} (${role}) · ${viewer.account.name}`),
    h('button', { type: 'button', 'data-sign-out': true, onClick: signOut }, 'Sign out'));
  who.hidden = false;
}

function signOut(message) {
  forgetToken();
  closeLive();
  viewer = null;
  nav.hidden = true;
  who.hidden = true;
  window.history.replaceState(null, '', `${window.location.pathname}#/`);
  showSignIn(typeof message === 'string' ? message : null);
}

function showSignIn(message) {
  if (leaveView) { leaveView(); leaveView = null; }
  destroyCharts();
  document.title = 'Sign in — meeting-reports';
  const textarea = h('textarea', { id: 'token', name: 'token', required: true, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'token-help' });
  const form = h('form', { 'aria-label': 'Sign in' },
    h('label', { for: 'token' }, 'Bearer token'),
    textarea,
    h('p', { id: 'token-help', class: 'rule' },
      '`meeting-reports serve` prints a token for each demo user when it loads the demo data; ',
      '`meeting-reports token EMAIL` prints one for any user. You can also open this page as /#token=<token>. ',
      'The token is kept in this tab only (sessionStorage).'),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = textarea.value.trim().replace(/^Bearer\s+/i, '');
    if (!value) { textarea.focus(); return; }
    storeToken(value);
    start();
  });
  replace(main, h('section', { class: 'signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in to the report views'),
    message ? h('p', { class: 'notice error', role: 'alert' }, message) : null,
    form));
  textarea.focus();
}

async function loadViewer() {
  const document = await loadDocument('viewer');
  const { data } = await graphql(document, 'Viewer');
  return data.viewer;
}

async function route() {
  if (!viewer) { return; }
  if (leaveView) { leaveView(); leaveView = null; }
  destroyCharts();
  const { route: name, arg, params } = parseHash();
  const view = VIEWS.find((v) => v.route === name);
  if (!view) {
    window.history.replaceState(null, '', `#/${homeRoute()}`);
    return route();
  }
  renderNav(view.route);
  document.title = `${view.title} — meeting-reports`;
  if (!viewer.reportsEnabled) {
    replace(main, h('h1', {}, view.title), h('p', { class: 'notice warn', 'data-state': 'forbidden' },
      `${viewer.account.name} is on the ${viewer.account.plan} plan, which has no reports (PLAN_NOT_SUPPORTED).`));
    return;
  }
  if (!allowed(view)) {
    // Not run at all: the server would refuse it (FORBIDDEN), and nothing of it is shown.
    replace(main, h('h1', {}, view.title), h('p', { class: 'notice warn', role: 'alert', 'data-state': 'forbidden' },
      `This view needs the ${PRIVILEGE_NAMES[view.needs]} privilege, which your role (${viewer.user.role}${viewer.user.customRole ? `, ${viewer.user.customRole}` : ''}) does not hold. `,
      h('a', { href: `#/${homeRoute()}` }, 'Go to your reports'), '.'));
    return;
  }
  replace(main, loading(view.title.toLowerCase()));
  try {
    leaveView = await view.module.render(main, { viewer, arg, params, route: view.route, setParams }) || null;
  } catch (error) {
    replace(main, h('h1', {}, view.title), errorNotice(error));
  }
}

async function start() {
  const fresh = takeTokenFromFragment();
  if (fresh) { storeToken(fresh); }
  if (!token()) { showSignIn(); return; }
  replace(main, loading('your account'));
  try {
    viewer = await loadViewer();
  } catch (error) {
    if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') { return; }
    replace(main, errorNotice(error, 'Signing in failed'));
    return;
  }
  setDisplayZone(viewer.account.timeZone);
  renderWho();
  await route();
}

whenUnauthenticated((error) => {
  signOut(`The server refused the token: ${error.code} — ${error.message}. Paste a new one.`);
});

window.addEventListener('hashchange', () => {
  const fresh = takeTokenFromFragment();
  if (fresh) { storeToken(fresh); closeLive(); viewer = null; start(); return; }
  route();
});

start();
