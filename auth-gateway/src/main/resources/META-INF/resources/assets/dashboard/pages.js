// One function per workspace page: (main, { workspace, can }) → optional clean-up when the page is left.
import { h, clear, say, api, session, API, table, field, action, formatTime, problemText } from './lib.js';

const base = (workspace) => `/workspaces/${workspace.id}`;

/** A list with filters and a "More" button that follows the API's cursor. */
function pagedList(main, { caption, columns, row, load, filters = [] }) {
  const form = h('form', { class: 'filters', 'aria-label': `Filter ${caption.toLowerCase()}` },
    ...filters.map((f) => f.element), h('button', { type: 'submit' }, 'Apply'));
  const holder = h('div', {});
  const more = h('button', { type: 'button', id: 'more', hidden: '' }, 'More');
  let cursor = null;
  let items = [];
  async function fetchPage(reset) {
    if (reset) { cursor = null; items = []; }
    const query = new URLSearchParams();
    for (const f of filters) if (f.input.value) query.set(f.input.name, f.input.value);
    if (cursor) query.set('cursor', cursor);
    const page = await load(query);
    items = items.concat(page.items);
    cursor = page.nextCursor || null;
    clear(holder);
    holder.append(table(caption, columns, items, row));
    more.hidden = !cursor;
  }
  form.addEventListener('submit', (event) => { event.preventDefault(); fetchPage(true).catch((f) => say(problemText(f), true)); });
  more.addEventListener('click', () => fetchPage(false).catch((f) => say(problemText(f), true)));
  if (filters.length > 0) main.append(form);
  main.append(holder, more);
  return fetchPage(true);
}

async function members(main, { workspace, can }) {
  main.append(h('h1', {}, 'Members and roles'));
  const list = await api(`${base(workspace)}/members`);
  const manage = can('manage-members');
  main.append(table('Members', ['Member', 'Role', 'Access until', 'Added', ''], list, (m) => {
    if (!manage || m.role === 'AUDITOR') {
      return [m.subject, m.role, formatTime(m.accessExpiresAt), formatTime(m.addedAt), ''];
    }
    const select = h('select', { 'aria-label': `Role of ${m.subject}` },
      ...['OWNER', 'CONTRIBUTOR', 'VIEWER'].map((r) => h('option', { value: r, selected: r === m.role ? '' : null }, r)));
    select.addEventListener('change', async () => {
      try {
        await api(`${base(workspace)}/members/${encodeURIComponent(m.subject)}`, { method: 'PUT', json: { role: select.value } });
        say(`${m.subject} is now ${select.value}.`);
      } catch (failure) { say(problemText(failure), true); }
    });
    return [m.subject, select, formatTime(m.accessExpiresAt), formatTime(m.addedAt),
      action('Remove', async () => {
        await api(`${base(workspace)}/members/${encodeURIComponent(m.subject)}`, { method: 'DELETE' });
        say(`${m.subject} removed.`);
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      }, { class: 'danger' })];
  }));
  if (manage) {
    const subject = field('member-subject', 'User (subject)', { required: '', maxlength: '255', autocomplete: 'off' });
    const role = field('member-role', 'Role', { tag: 'select' });
    ['VIEWER', 'CONTRIBUTOR', 'OWNER'].forEach((r) => role.input.append(h('option', { value: r }, r)));
    const form = h('form', { id: 'add-member', class: 'inline' }, subject.element, role.element,
      h('button', { type: 'submit' }, 'Add member'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await api(`${base(workspace)}/members/${encodeURIComponent(subject.input.value)}`, { method: 'PUT', json: { role: role.input.value } });
        say(`${subject.input.value} added as ${role.input.value}.`);
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      } catch (failure) { say(problemText(failure), true); }
    });
    main.append(h('h2', {}, 'Add a member'), form);
  }
  if (can('invite-auditors')) {
    const email = field('auditor-email', 'Auditor email', { type: 'email', required: '', autocomplete: 'off' });
    const until = field('auditor-until', 'Access until', { type: 'date', required: '' });
    until.input.value = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
    const result = h('div', { id: 'invitation-result' });
    const form = h('form', { id: 'invite-auditor', class: 'inline' }, email.element, until.element,
      h('button', { type: 'submit' }, 'Invite auditor'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const issued = await api(`${base(workspace)}/invitations`, { method: 'POST',
          json: { email: email.input.value, accessUntil: new Date(`${until.input.value}T23:59:59Z`).toISOString() } });
        const link = `${location.origin}/invitation#${issued.token}`;
        clear(result);
        result.append(h('p', {}, 'Send this link to the auditor (shown once; it expires ', formatTime(issued.expiresAt), '):'),
          h('input', { id: 'invitation-link', readonly: '', value: link, 'aria-label': 'Invitation link', class: 'wide' }));
        say('Invitation created.');
      } catch (failure) { say(problemText(failure), true); }
    });
    main.append(h('h2', {}, 'Invite an auditor'), form, result);
  }
}

async function evidence(main, { workspace, can }) {
  main.append(h('h1', {}, 'Evidence'));
  if (can('upload-evidence')) {
    const file = field('evidence-file', 'File', { type: 'file', required: '' });
    const control = field('evidence-control', 'Control (optional)', { pattern: '[A-Za-z0-9][A-Za-z0-9._:-]{0,63}' });
    const progress = h('progress', { id: 'upload-progress', max: '100', value: '0', 'aria-label': 'Upload progress' });
    const form = h('form', { id: 'upload-evidence', class: 'inline' }, file.element, control.element,
      h('button', { type: 'submit' }, 'Upload'), progress);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const chosen = file.input.files[0];
      if (!chosen) return;
      upload(workspace, chosen, control.input.value, progress).then(() => {
        say(`${chosen.name} uploaded and encrypted.`);
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      }, (failure) => say(problemText(failure), true));
    });
    main.append(h('h2', {}, 'Upload'), form);
  }
  const controlFilter = field('control', 'Control');
  const tagFilter = field('tag', 'Tag');
  main.append(h('h2', {}, 'Files'));
  await pagedList(main, {
    caption: 'Evidence files', filters: [controlFilter, tagFilter],
    columns: ['Name', 'Control', 'Size', 'Uploaded', 'Key version', ''],
    load: (query) => api(`${base(workspace)}/evidence?${query}`),
    row: (e) => [e.name, e.controlId || '—', `${e.sizeBytes} bytes`, formatTime(e.uploadedAt),
      e.kmsKeyId || '', h('span', { class: 'actions' },
        action('Download', () => download(workspace, e), { 'data-evidence': e.id }),
        can('delete-evidence') ? action('Delete', async () => {
          if (!confirm(`Delete ${e.name}?`)) return;
          await api(`${base(workspace)}/evidence/${e.id}`, { method: 'DELETE' });
          say(`${e.name} deleted.`);
          window.dispatchEvent(new HashChangeEvent('hashchange'));
        }, { class: 'danger' }) : null)],
  });
}

/** Uploads with XMLHttpRequest, whose upload events feed the progress bar (fetch has none). */
async function upload(workspace, file, control, progress) {
  const me = await session();
  const query = new URLSearchParams({ name: file.name });
  if (control) query.set('control', control);
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `${API}${base(workspace)}/evidence?${query}`);
    request.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    request.setRequestHeader('X-CSRF-Token', me.csrfToken);
    request.setRequestHeader('Accept', 'application/json');
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) progress.value = Math.round((100 * event.loaded) / event.total);
    });
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) { progress.value = 100; resolve(JSON.parse(request.responseText)); }
      else { let problem = null; try { problem = JSON.parse(request.responseText); } catch (e) { /* not JSON */ }
        reject({ status: request.status, problem: problem || { title: 'Upload failed' } }); }
    });
    request.addEventListener('error', () => reject(new Error('the upload was interrupted')));
    request.send(file);
  });
}

/** A signed download URL from the API, then the file through the same backend (the browser saves it). */
async function download(workspace, e) {
  const signed = await api(`${base(workspace)}/evidence/${e.id}/download-url`);
  const link = h('a', { href: `${API}${base(workspace)}/${signed.path}`, download: e.name, hidden: '' });
  document.body.append(link);
  link.click();
  link.remove();
}

async function checkResults(main, { workspace }) {
  main.append(h('h1', {}, 'Check results'));
  const status = field('status', 'Status', { tag: 'select' });
  ['', 'pass', 'fail', 'error', 'not-applicable'].forEach((s) => status.input.append(h('option', { value: s }, s || 'any')));
  await pagedList(main, {
    caption: 'Check results', filters: [field('run', 'Run'), field('control', 'Control'), status],
    columns: ['Control', 'Status', 'Run', 'Recorded', 'Key version'],
    load: (query) => api(`${base(workspace)}/check-results?${query}`),
    row: (r) => [r.controlId, h('span', { class: `status-${r.status}` }, r.status), r.runId || '—',
      formatTime(r.recordedAt), r.kmsKeyId || ''],
  });
}

const MASK = '•••••';

async function personnel(main, { workspace, can }) {
  main.append(h('h1', {}, 'Personnel'),
    h('p', {}, 'Personal data is masked: this list comes from the server without it. Revealing a record reads '
      + 'that one record, and the audit log records who read it.'));
  await pagedList(main, {
    caption: 'People', columns: ['Name', 'Email', 'Phone', 'Government id', 'Department', ''],
    load: (query) => { query.set('view', 'masked'); return api(`${base(workspace)}/personnel?${query}`); },
    row: (p) => {
      const cells = [h('span', {}, MASK), h('span', {}, MASK), h('span', {}, MASK), h('span', {}, MASK)];
      return [...cells, p.department || '—', action('Reveal', async () => {
        const full = await api(`${base(workspace)}/personnel/${p.id}`);
        [full.fullName, full.email, full.phone, full.governmentId].forEach((v, i) => { cells[i].textContent = v || '—'; });
        say('Record revealed; the read was audited.');
      }, { 'aria-label': 'Reveal this record' })];
    },
  });
  if (can('manage-personnel')) {
    const name = field('person-name', 'Full name', { required: '' });
    const email = field('person-email', 'Email', { type: 'email', required: '' });
    const form = h('form', { id: 'add-person', class: 'inline' }, name.element, email.element, h('button', { type: 'submit' }, 'Add person'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await api(`${base(workspace)}/personnel`, { method: 'POST', json: { fullName: name.input.value, email: email.input.value } });
        say('Person added (encrypted).');
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      } catch (failure) { say(problemText(failure), true); }
    });
    main.append(h('h2', {}, 'Add a person'), form);
  }
}

async function integrations(main, { workspace }) {
  main.append(h('h1', {}, 'Integrations'), h('p', {}, 'Credentials are stored encrypted and are only ever shown masked.'));
  const list = await api(`${base(workspace)}/integrations`);
  main.append(table('Integrations', ['Name', 'Kind', 'Credentials (masked)', 'Connected'], list.items, (i) => [
    i.name, i.kind, Object.entries(i.credentials || {}).map(([k, v]) => `${k}: ${v}`).join(', '), formatTime(i.createdAt)]));
}

async function keys(main, { workspace, can }) {
  main.append(h('h1', {}, 'Keys'));
  let key = null;
  try {
    key = await api(`${base(workspace)}/keys`);
  } catch (failure) {
    if (failure.status !== 404) throw failure;
  }
  if (!key) {
    main.append(h('p', { id: 'no-key' }, 'No customer master key is registered for this workspace.'));
    if (can('manage-keys')) {
      const provider = field('key-provider', 'Provider', { tag: 'select' });
      ['local', 'aws-kms', 'gcp-kms', 'azure-kv', 'vault-transit', 'pkcs11'].forEach((p) => provider.input.append(h('option', { value: p }, p)));
      const reference = field('key-reference', 'Key reference (empty: create one, local and pkcs11 only)');
      const form = h('form', { id: 'register-key', class: 'inline' }, provider.element, reference.element,
        h('button', { type: 'submit' }, 'Register key'));
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
          await api(`${base(workspace)}/keys`, { method: 'POST',
            json: { provider: provider.input.value, keyReference: reference.input.value || null } });
          say('Key registered.');
          window.dispatchEvent(new HashChangeEvent('hashchange'));
        } catch (failure) { say(problemText(failure), true); }
      });
      main.append(form);
    }
    return;
  }
  main.append(h('dl', { class: 'facts', id: 'key-facts' },
    h('dt', {}, 'Provider'), h('dd', { id: 'key-provider-value' }, key.provider),
    h('dt', {}, 'Key'), h('dd', {}, key.keyReference || '—'),
    h('dt', {}, 'Current version'), h('dd', { id: 'key-current-version' }, String(key.currentVersion)),
    h('dt', {}, 'Rotation'), h('dd', {}, `every ${key.rotationPeriodDays} days; next ${formatTime(key.nextRotationAt)}`),
    h('dt', {}, 'Last rotated'), h('dd', {}, formatTime(key.lastRotatedAt))));
  main.append(table('Key versions', ['Version', 'State', 'Created', 'Changed', ''], key.versions, (v) => [
    String(v.version), v.state, formatTime(v.createdAt), formatTime(v.stateChangedAt),
    can('manage-keys') && v.version !== key.currentVersion && v.state !== 'RETIRED'
      ? action('Retire', async () => {
        await api(`${base(workspace)}/keys/versions/${v.version}/state`, { method: 'PUT', json: { state: 'RETIRED' } });
        say(`Version ${v.version} retired.`);
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      }, { class: 'danger' }) : '']));
  if (can('manage-keys')) {
    const period = field('rotation-days', 'Rotate every (days)', { type: 'number', min: '1', max: '3650', value: String(key.rotationPeriodDays) });
    const policy = h('form', { id: 'rotation-policy', class: 'inline' }, period.element, h('button', { type: 'submit' }, 'Save policy'));
    policy.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await api(`${base(workspace)}/keys/rotation-policy`, { method: 'PUT', json: { rotationPeriodDays: Number(period.input.value) } });
        say('Rotation policy saved.');
      } catch (failure) { say(problemText(failure), true); }
    });
    main.append(policy, action('Rotate now', async () => {
      const rotated = await api(`${base(workspace)}/keys/rotations`, { method: 'POST' });
      say(`Rotated: version ${rotated.currentVersion} is current. The rewrap starts by itself.`);
      location.hash = `#/w/${workspace.id}/rewrap`;
    }, { id: 'rotate-now' }));
  }
}

async function rewrap(main, { workspace, can }) {
  main.append(h('h1', {}, 'Rewrap jobs'));
  const live = h('section', { id: 'live', 'aria-labelledby': 'live-title' }, h('h2', { id: 'live-title' }, 'Live progress'));
  const bar = h('progress', { id: 'rewrap-progress', max: '100', value: '0', 'aria-label': 'Rewrap progress' });
  const line = h('p', { id: 'rewrap-progress-text', 'aria-live': 'polite' }, 'Waiting for a running job…');
  live.append(bar, line);
  const holder = h('div', {});
  main.append(live, holder);
  if (can('trigger-rewrap')) {
    main.append(action('Start a rewrap', async () => {
      await api(`${base(workspace)}/rewrap-jobs`, { method: 'POST', json: {} });
      say('Rewrap requested.');
      await refresh();
    }, { id: 'start-rewrap' }));
  }
  function show(done, total, percent, rate, eta, state) {
    bar.value = percent;
    line.textContent = `${state}: ${done} of ${total} records (${percent} %)`
      + (rate ? `, ${Math.round(rate)} records/s` : '') + (eta !== null && eta !== undefined ? `, about ${eta} s left` : '');
  }
  async function refresh() {
    const jobs = await api(`${base(workspace)}/rewrap-jobs`);
    clear(holder);
    holder.append(table('Jobs', ['Job', 'Target key', 'State', 'Done', 'Started', ''], jobs.items, (j) => [
      j.id.slice(0, 8), j.targetKmsKeyId, j.state, `${j.done} / ${j.total}`, formatTime(j.createdAt),
      can('trigger-rewrap') ? h('span', { class: 'actions' },
        ...(j.state === 'running' ? ['pause', 'cancel'] : j.state === 'paused' ? ['resume', 'cancel'] : [])
          .map((verb) => action(verb[0].toUpperCase() + verb.slice(1), async () => {
            await api(`${base(workspace)}/rewrap-jobs/${j.id}/${verb}`, { method: 'POST' });
            await refresh();
          }))) : '']));
    const latest = jobs.items[0];
    if (latest && latest.state === 'completed') {
      show(latest.done, latest.total, 100, null, null, latest.state);
    }
  }
  await refresh();
  // The job list is read again now and then: a job that started and finished between two reads is still seen.
  const poll = setInterval(() => refresh().catch(() => {}), 3000);
  // Live progress: the gateway's server-sent events, through the same session.
  const events = new EventSource(`${API}${base(workspace)}/rewrap-progress`);
  events.addEventListener('rewrap.progress', (event) => {
    const p = JSON.parse(event.data);
    const percent = p.total > 0 ? Math.min(100, Math.floor((100 * p.done) / p.total)) : (p.state === 'running' ? 0 : 100);
    show(p.done, p.total, percent, p.ratePerSecond, p.etaSeconds, p.state);
    if (p.state !== 'running') refresh().catch(() => {});
  });
  return () => { events.close(); clearInterval(poll); };
}

async function audit(main, { workspace }) {
  main.append(h('h1', {}, 'Audit log'), h('p', {}, 'Read-only: every action in this workspace, hash-chained.'));
  const result = h('p', { id: 'verification-result', role: 'status' });
  main.append(h('div', { class: 'actions' },
    action('Verify the chain', async () => {
      const report = await api(`${base(workspace)}/audit-events/verification`);
      result.textContent = report.intact
        ? `Chain intact: ${report.entries} entries (seq ${report.firstSeq}–${report.lastSeq}), ${report.checkpoints} signed checkpoints.`
        : `Chain BROKEN at seq ${report.brokenAtSeq}: ${report.problem}`;
      result.className = report.intact ? 'ok' : 'error';
    }, { id: 'verify-chain' }),
    h('a', { class: 'button', href: `${API}${base(workspace)}/audit-events/export.jsonl`, download: `audit-${workspace.id}.jsonl` }, 'Download export (JSON lines)'),
    h('a', { class: 'button', href: `${API}${base(workspace)}/audit-events/export.csv`, download: `audit-${workspace.id}.csv` }, 'Download export (CSV)')), result);
  const outcome = field('outcome', 'Outcome', { tag: 'select' });
  ['', 'success', 'denied', 'error'].forEach((o) => outcome.input.append(h('option', { value: o }, o || 'any')));
  await pagedList(main, {
    caption: 'Audit events', filters: [field('action', 'Action'), field('actor', 'Actor'), outcome],
    columns: ['#', 'Time', 'Actor', 'Action', 'Target', 'Outcome'],
    load: (query) => api(`${base(workspace)}/audit-events?${query}`),
    row: (e) => [String(e.seq), formatTime(e.occurredAt), e.actor ? `${e.actor.type}:${e.actor.subject}` : '—', e.action,
      e.target ? `${e.target.type}:${e.target.id}` : '—', h('span', { class: `outcome-${e.outcome}` }, e.outcome)],
  });
}

export const pages = { members, evidence, 'check-results': checkResults, personnel, integrations, keys, rewrap, audit };
