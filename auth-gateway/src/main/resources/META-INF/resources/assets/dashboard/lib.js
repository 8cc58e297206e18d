// What every page shares: DOM building (text only, never HTML strings), the API client with its CSRF token,
// and messages for screen readers.

/** An element with attributes and children; strings become text nodes, so nothing is ever parsed as HTML. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) element.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return element;
}

export function clear(element) {
  while (element.firstChild) element.firstChild.remove();
}

/** Announces a message in the live region (and shows it). */
export function say(message, isError = false) {
  const status = document.getElementById('status');
  if (!status) return;
  status.textContent = message;
  status.classList.toggle('error', isError);
}

export function formatTime(value) {
  return value ? new Date(value).toLocaleString() : '—';
}

export function problemText(failure) {
  if (failure && failure.problem) {
    const p = failure.problem;
    return `${p.title || 'Error'} (${failure.status}): ${p.detail || ''}`;
  }
  return String(failure && failure.message ? failure.message : failure);
}

let current = null;

/** The signed-in session: subject, name, email and its CSRF token. */
export async function session(refresh = false) {
  if (!current || refresh) {
    const response = await fetch('/app/session', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    if (response.status === 401 || response.redirected) {
      location.reload();
      throw new Error('signed out');
    }
    current = await response.json();
  }
  return current;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** The workspace API's base for this page, through the gateway's backend for the browser. */
export const API = '/app/api/v1';

/**
 * Calls the API: {@code path} under /app/api/v1 (or an absolute /app path with raw), JSON in and out. A state
 * change carries the CSRF token; a refused token (the session was refreshed) is fetched again once.
 */
export async function api(path, { method = 'GET', json, body, headers = {}, raw = false, retried = false } = {}) {
  const me = await session();
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (method !== 'GET' && method !== 'HEAD') init.headers['X-CSRF-Token'] = me.csrfToken;
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  } else if (body !== undefined) {
    init.body = body;
  }
  const response = await fetch(raw ? path : API + path, init);
  if (response.status === 403 && !retried) {
    const problem = await response.clone().json().catch(() => null);
    if (problem && problem.type && String(problem.type).endsWith('csrf-token-invalid')) {
      await session(true);
      return api(path, { method, json, body, headers, raw, retried: true });
    }
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => null);
    throw new ApiError(response.status, problem);
  }
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

/** A table with a caption, header cells and one row per item. */
export function table(caption, columns, items, row) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...items.map((item) => h('tr', {}, ...row(item).map((cell) => h('td', {}, cell)))))));
}

/** A labelled input. */
export function field(id, label, attributes = {}) {
  const input = h(attributes.tag || 'input', { id, name: id, ...attributes, tag: null });
  return { input, element: h('div', { class: 'field' }, h('label', { for: id }, label), input) };
}

/** A button that runs an action and reports its outcome. */
export function action(label, run, attributes = {}) {
  const button = h('button', { type: 'button', ...attributes }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await run();
    } catch (failure) {
      say(problemText(failure), true);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}
