// Live updates: GraphQL subscriptions over the graphql-transport-ws protocol at
// ws(s)://this-host/graphql, through the vendored graphql-ws client (global `graphqlWs`,
// web/vendor/graphql-ws.min.js). The token goes in connection_init's payload as
// `{"Authorization": "Bearer <token>"}`. A server that does not upgrade the socket, or refuses
// the token, leaves the views as they are with a visible "live updates unavailable" note.

import { operationText, token } from './api.js';

let client = null;
let active = 0;
let state = { status: 'idle', detail: '' };
const listeners = new Set();

function setState(status, detail = '') {
  state = { status, detail };
  for (const listener of listeners) { listener(state); }
}

/** `callback({ status, detail })` now and on every change: idle, connecting, live, unavailable. */
export function onLiveStatus(callback) {
  listeners.add(callback);
  callback(state);
  return () => listeners.delete(callback);
}

function socketUrl() {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}/graphql`;
}

function closeReason(event) {
  if (!event || typeof event.code !== 'number') { return 'the connection failed'; }
  if (event.code === 4401 || event.code === 4403) { return `the server refused the token (${event.code} ${event.reason || ''})`.trim(); }
  if (event.code === 1006) { return 'the server did not accept a graphql-transport-ws connection at /graphql'; }
  return `closed with ${event.code}${event.reason ? ` ${event.reason}` : ''}`;
}

function ensureClient() {
  if (client) { return client; }
  if (!window.graphqlWs || typeof window.graphqlWs.createClient !== 'function') {
    setState('unavailable', 'the graphql-ws client did not load');
    return null;
  }
  setState('connecting');
  client = window.graphqlWs.createClient({
    url: socketUrl(),
    connectionParams: () => ({ Authorization: `Bearer ${token()}` }),
    lazy: true,
    // Kept open for a moment after the last subscription ends, so moving between views
    // does not reconnect.
    lazyCloseTimeout: 3000,
    keepAlive: 15000,
    // A few tries with the library's backoff; a refused token is final.
    retryAttempts: 4,
    shouldRetry: (event) => !(event && (event.code === 4401 || event.code === 4403 || event.code === 4400)),
    on: {
      // A retry after a failure keeps saying "unavailable" until it connects.
      connecting: () => { if (state.status === 'idle') { setState('connecting'); } },
      connected: () => setState('live'),
      closed: (event) => {
        // With no subscription left (a view was left) the lazy client closes the socket
        // itself, or drops one still opening: idle, not a failure; it opens again with the
        // next subscription.
        if (state.status === 'idle') { return; }
        if (active === 0) { setState('idle'); return; }
        // A normal closure while the next view subscribes: the client opens a new socket.
        if (event && event.code === 1000) { setState('connecting'); return; }
        setState('unavailable', closeReason(event));
      },
      error: () => {},
    },
  });
  return client;
}

/**
 * Subscribes to one operation of a document; `onData(data)` for each event. Returns the
 * function that ends the subscription.
 */
export function subscribe(document, operationName, onData) {
  const c = ensureClient();
  if (!c) { return () => {}; }
  active += 1;
  let ended = false;
  const end = c.subscribe({ query: operationText(document, operationName), operationName }, {
    next: (result) => { if (result && result.data) { onData(result.data); } },
    error: (error) => {
      const detail = Array.isArray(error) ? error.map((e) => e.message).join('; ') : closeReason(error);
      setState('unavailable', detail);
    },
    complete: () => {},
  });
  return () => {
    if (ended) { return; }
    ended = true;
    active -= 1;
    end();
  };
}

/** Closes the socket (sign-out, another token). */
export function closeLive() {
  const c = client;
  client = null;
  active = 0;
  state = { status: 'idle', detail: '' };
  if (c) { c.dispose(); }
}
