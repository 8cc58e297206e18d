// Spalce dashboard: plain ES modules, no build step, nothing from another origin. Every call goes to the
// gateway's /app/api, which adds the session's access token on the server; the page never holds a token.
// The page hides what the user's role does not grant (PERMISSIONS), and the API refuses it anyway.
import { h, clear, say, api, session, formatTime, problemText } from './lib.js';
import { pages } from './pages.js';

// What each role may do, as in docs/permissions.md: only to decide what to show.
const PERMISSIONS = {
  OWNER: ['read-evidence', 'upload-evidence', 'delete-evidence', 'manage-integrations', 'read-personnel',
    'manage-personnel', 'read-keys', 'manage-keys', 'read-rewrap-jobs', 'trigger-rewrap', 'read-audit-log',
    'manage-members', 'invite-auditors'],
  CONTRIBUTOR: ['read-evidence', 'upload-evidence', 'manage-integrations', 'read-personnel', 'manage-personnel'],
  VIEWER: ['read-evidence'],
  AUDITOR: ['read-evidence', 'read-keys', 'read-rewrap-jobs', 'read-audit-log'],
};

const NAV = [
  ['members', 'Members', null],
  ['evidence', 'Evidence', 'read-evidence'],
  ['check-results', 'Check results', 'read-evidence'],
  ['personnel', 'Personnel', 'read-personnel'],
  ['integrations', 'Integrations', 'read-evidence'],
  ['keys', 'Keys', 'read-keys'],
  ['rewrap', 'Rewrap jobs', 'read-rewrap-jobs'],
  ['audit', 'Audit log', 'read-audit-log'],
];

let leavePage = () => {};

async function route() {
  leavePage();
  leavePage = () => {};
  const main = document.getElementById('main');
  const nav = document.getElementById('nav');
  clear(main);
  clear(nav);
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  try {
    if (parts[0] === 'accept') {
      await acceptInvitation(main);
    } else if (parts[0] === 'w' && parts[1]) {
      const workspace = await api(`/workspaces/${encodeURIComponent(parts[1])}`);
      const can = (permission) => permission === null || PERMISSIONS[workspace.role].includes(permission);
      const page = parts[2] || 'evidence';
      for (const [slug, title, permission] of NAV) {
        if (can(permission)) {
          const link = h('a', { href: `#/w/${workspace.id}/${slug}` }, title);
          if (slug === page) link.setAttribute('aria-current', 'page');
          nav.append(link);
        }
      }
      const entry = NAV.find(([slug]) => slug === page);
      if (!entry || !can(entry[2])) {
        main.append(h('h1', {}, 'Not available'), h('p', {}, `Your role (${workspace.role}) does not show this page.`));
        return;
      }
      main.append(h('p', { class: 'crumb' }, h('a', { href: '#/' }, 'Workspaces'), ' / ', workspace.name,
        h('span', { class: 'badge', 'data-role': workspace.role }, workspace.role)));
      leavePage = (await pages[page](main, { workspace, can })) || (() => {});
    } else {
      await workspaces(main);
    }
  } catch (failure) {
    main.append(h('h1', {}, 'Something went wrong'), h('p', { class: 'error' }, problemText(failure)));
  }
  main.focus();
}

async function workspaces(main) {
  main.append(h('h1', {}, 'Workspaces'));
  const list = await api('/workspaces');
  if (list.length === 0) {
    main.append(h('p', {}, 'You are not a member of any workspace yet. Create one:'));
  } else {
    main.append(h('ul', { class: 'cards', id: 'workspace-list' }, ...list.map((w) => h('li', {},
      h('a', { href: `#/w/${w.id}/${w.role === 'OWNER' ? 'members' : 'evidence'}` }, w.name),
      ' ', h('span', { class: 'badge', 'data-role': w.role }, w.role),
      h('small', {}, ` created ${formatTime(w.createdAt)}`)))));
  }
  const name = h('input', { id: 'workspace-name', name: 'name', required: '', maxlength: '200', autocomplete: 'off' });
  const form = h('form', { id: 'create-workspace', class: 'inline' },
    h('label', { for: 'workspace-name' }, 'New workspace name'), name, h('button', { type: 'submit' }, 'Create workspace'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const created = await api('/workspaces', { method: 'POST', json: { name: name.value } });
      say(`Workspace ${created.name} created.`);
      location.hash = `#/w/${created.id}/members`;
    } catch (failure) {
      say(problemText(failure), true);
    }
  });
  main.append(h('h2', {}, 'Create a workspace'), form);
}

async function acceptInvitation(main) {
  main.append(h('h1', {}, 'Accept an invitation'));
  const token = sessionStorage.getItem('spalce.invitation');
  if (!token) {
    main.append(h('p', {}, 'No invitation is waiting in this tab. Open the link you were sent.'));
    return;
  }
  const button = h('button', { type: 'button', id: 'accept-invitation' }, 'Accept the invitation');
  button.addEventListener('click', async () => {
    try {
      const membership = await api('/invitations/accept', { method: 'POST', json: { token } });
      sessionStorage.removeItem('spalce.invitation');
      say('Invitation accepted.');
      location.hash = `#/w/${membership.workspaceId}/audit`;
    } catch (failure) {
      say(problemText(failure), true);
    }
  });
  main.append(h('p', {}, 'You were invited as an auditor: read-only access until the date the owner set.'), button);
}

async function start() {
  const me = await session();
  document.getElementById('who').textContent = me.name || me.subject;
  document.getElementById('sign-out-here').addEventListener('click', async () => {
    await api('/app/session/sign-out', { method: 'POST', raw: true });
    location.assign('/signed-out');
  });
  // An invitation opened before signing in waits in this tab (invitation.js): offer it first.
  if (sessionStorage.getItem('spalce.invitation') && location.hash !== '#/accept') {
    history.replaceState(null, '', '#/accept');
  }
  window.addEventListener('hashchange', route);
  await route();
}

start().catch((failure) => say(problemText(failure), true));
