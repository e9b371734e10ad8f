// The only way the app reaches data: the GraphQL API of this origin (POST /graphql), its
// export (POST /export) and, in live.js, its subscriptions. The bearer token is kept in
// sessionStorage: it goes when the tab closes, and never into a URL the server sees.

const TOKEN_KEY = 'meeting-reports:views-token';

export function storedToken() {
  try { return window.sessionStorage.getItem(TOKEN_KEY); } catch { return null; }
}

export function storeToken(token) {
  try { window.sessionStorage.setItem(TOKEN_KEY, token); } catch { /* storage disabled: this page only */ }
  memoryToken = token;
}

export function forgetToken() {
  try { window.sessionStorage.removeItem(TOKEN_KEY); } catch { /* nothing kept */ }
  memoryToken = null;
}

let memoryToken = null;
export function token() { return memoryToken || storedToken(); }

/** An error of the API: its `extensions.code` and message, as the server sent them. */
export class ApiError extends Error {
  constructor(code, message, status) {
    super(message);
    this.code = code || 'ERROR';
    this.status = status;
  }
}

/** Called with an UNAUTHENTICATED error, so the app can ask for a new token. */
let onUnauthenticated = () => {};
export function whenUnauthenticated(callback) { onUnauthenticated = callback; }

const documents = new Map();

/** A view's document, as served under /app/documents/ (the file a frontend team copies). */
export async function loadDocument(name) {
  if (!documents.has(name)) {
    documents.set(name, (async () => {
      const response = await fetch(documentUrl(name), { credentials: 'same-origin' });
      if (!response.ok) {
        throw new ApiError('ERROR', `the document ${name}.graphql could not be loaded (HTTP ${response.status})`);
      }
      return response.text();
    })());
  }
  try {
    return await documents.get(name);
  } catch (error) {
    documents.delete(name);
    throw error;
  }
}

export function documentUrl(name) { return `/app/documents/${name}.graphql`; }

/**
 * The top-level definitions of a document (operations and fragments) with their names, split
 * at depth zero; comments and strings are skipped so a brace in them does not count.
 */
export function definitions(document) {
  const out = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < document.length; i += 1) {
    const c = document[i];
    if (c === '#') { while (i < document.length && document[i] !== '\n') { i += 1; } continue; }
    if (c === '"') {
      if (document.startsWith('"""', i)) { const end = document.indexOf('"""', i + 3); i = end < 0 ? document.length : end + 2; continue; }
      i += 1;
      while (i < document.length && document[i] !== '"') { if (document[i] === '\\') { i += 1; } i += 1; }
      continue;
    }
    if (depth === 0 && start < 0 && /[A-Za-z{]/.test(c)) { start = i; }
    if (c === '{') { depth += 1; }
    if (c === '}') {
      depth -= 1;
      if (depth === 0 && start >= 0) {
        const text = document.slice(start, i + 1);
        const match = /^(query|mutation|subscription|fragment)\s+(\w+)/.exec(text);
        out.push({ kind: match ? match[1] : 'query', name: match ? match[2] : null, text });
        start = -1;
      }
    }
  }
  return out;
}

/**
 * One operation of a view's document with the fragments it uses, as sent to the server: the
 * document stays whole in its file and in the playground, while each request carries only
 * what its operation needs (a server without subscriptions still runs the queries).
 */
export function operationText(document, operationName) {
  const all = definitions(document);
  const operation = all.find((d) => d.kind !== 'fragment' && d.name === operationName);
  if (!operation) { return document; }
  const fragments = new Map(all.filter((d) => d.kind === 'fragment').map((d) => [d.name, d]));
  const used = new Set();
  const pending = [operation.text];
  while (pending.length) {
    for (const [, name] of pending.pop().matchAll(/\.\.\.\s*(?!on\b)(\w+)/g)) {
      if (!used.has(name) && fragments.has(name)) { used.add(name); pending.push(fragments.get(name).text); }
    }
  }
  return [operation.text, ...[...used].map((name) => fragments.get(name).text)].join('\n\n');
}

/** The variables an operation of the document declares, taken from `variables`. */
export function variablesFor(document, operationName, variables) {
  const header = new RegExp(`\\b(?:query|subscription|mutation)\\s+${operationName}\\s*\\(([^)]*)\\)`);
  const match = header.exec(document);
  const out = {};
  if (!match) { return out; }
  for (const [, name] of match[1].matchAll(/\$(\w+)/g)) {
    if (variables[name] !== undefined) { out[name] = variables[name]; }
  }
  return out;
}

function authorization() {
  const current = token();
  return current ? { Authorization: `Bearer ${current}` } : {};
}

function firstError(body, status) {
  const error = body && Array.isArray(body.errors) ? body.errors[0] : null;
  if (!error) { return new ApiError('ERROR', `HTTP ${status}`, status); }
  return new ApiError(error.extensions && error.extensions.code, error.message, status);
}

async function readJson(response) {
  const text = await response.text();
  try { return JSON.parse(text); } catch {
    throw new ApiError('ERROR', `HTTP ${response.status}: ${text.slice(0, 200)}`, response.status);
  }
}

/**
 * Runs one operation of a document. Resolves with `{ data, errors }` when the operation ran
 * (`errors` may hold field errors beside partial data); rejects with an ApiError when it did
 * not (401, a request error).
 */
export async function graphql(document, operationName, variables = {}) {
  const response = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...authorization() },
    body: JSON.stringify({ query: operationText(document, operationName), operationName, variables: variablesFor(document, operationName, variables) }),
  });
  const body = await readJson(response);
  if (response.status === 401) {
    const error = firstError(body, 401);
    onUnauthenticated(error);
    throw error;
  }
  if (!body || body.data === undefined || body.data === null) {
    if (body && body.data === null && Array.isArray(body.errors)) {
      return { data: null, errors: body.errors };
    }
    throw firstError(body, response.status);
  }
  return { data: body.data, errors: body.errors || [] };
}

/** The errors of one root field (their `path` starts with it). */
export function errorsOf(errors, rootField) {
  return (errors || []).filter((e) => Array.isArray(e.path) && e.path[0] === rootField);
}

export function asApiError(error) {
  if (error instanceof ApiError) { return error; }
  if (error && error.message && error.extensions) { return new ApiError(error.extensions.code, error.message); }
  return new ApiError('ERROR', String(error && error.message ? error.message : error));
}

/**
 * POST /export: every row of the operation's root connection as CSV. Resolves with the file
 * (a Blob) and the name the server gave it; rejects with the server's error.
 */
export async function exportCsv(document, operationName, variables = {}) {
  const response = await fetch('/export', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', ...authorization() },
    body: JSON.stringify({ query: operationText(document, operationName), operationName, variables: variablesFor(document, operationName, variables), format: 'csv' }),
  });
  if (!response.ok) {
    const body = await readJson(response).catch((e) => { throw e; });
    const error = firstError(body, response.status);
    if (response.status === 401) { onUnauthenticated(error); }
    throw error;
  }
  const disposition = response.headers.get('Content-Disposition') || '';
  const match = /filename="([^"]+)"/.exec(disposition);
  return { blob: await response.blob(), fileName: match ? match[1] : `${operationName}.csv` };
}
