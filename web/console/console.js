// The operator console (served at /console/ by `idverify serve`). One script, no framework,
// no inline script or style (CSP), DOM built with createElement (no HTML strings are parsed). Each page
// is a path under /console/; its data comes from /console/api/…. Every state change sends the
// session's CSRF token in X-CSRF-Token.
(function () {
  'use strict';

  const SVG = 'http://www.w3.org/2000/svg';
  const main = document.getElementById('main');
  const nav = document.getElementById('nav');
  let me = null;

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') e.textContent = v; else e.setAttribute(k, String(v));
    }
    for (const c of children.flat()) if (c) e.append(c);
    return e;
  }

  function show(...nodes) {
    main.replaceChildren(...nodes);
  }

  class HttpError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(method, path, body) {
    const headers = {};
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      if (me) headers['X-CSRF-Token'] = me.csrf;
    }
    const r = await fetch(path, {
      method, headers, credentials: 'same-origin',
      body: method === 'GET' ? undefined : JSON.stringify(body || {}),
    });
    let data = null;
    try { data = await r.json(); } catch (e) { data = null; }
    if (!r.ok) {
      if (r.status === 401 && !['/console/login', '/console/setup'].includes(location.pathname)) {
        location.assign('/console/login');
      }
      throw new HttpError(r.status, (data && data.message) || `HTTP ${r.status}`);
    }
    return data;
  }

  function when(ms) {
    return ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '';
  }

  function duration(ms) {
    if (ms === null || ms === undefined) return '—';
    const s = Math.round(ms / 1000);
    if (s < 120) return `${s} s`;
    const m = Math.round(s / 60);
    return m < 120 ? `${m} min` : `${(m / 60).toFixed(1)} h`;
  }

  function badge(status) {
    return el('span', { class: `status ${status}`, 'data-status': status, text: status });
  }

  function errorBox() {
    return el('p', { class: 'error', role: 'alert' });
  }

  function denied(e) {
    const status = e instanceof HttpError ? e.status : 0;
    show(el('h1', { text: status === 403 ? '403 — forbidden' : 'Error' }),
      el('p', { class: 'denied', 'data-denied': String(status),
        text: status === 403 ? 'This page is for administrators.' : String(e.message || e) }));
  }

  function drawNav() {
    const links = [['/console/', 'Overview'], ['/console/queue', 'Queue'], ['/console/audit', 'Audit']];
    if (me.role === 'admin') links.push(['/console/apps', 'Applications'], ['/console/operators', 'Operators']);
    links.push(['/console/account', 'Account']);
    nav.replaceChildren(
      ...links.map(([href, label]) => el('a', { href, 'aria-current': location.pathname === href ? 'page' : null, text: label })),
      el('button', { type: 'button', id: 'logout', text: `Log out (${me.email})`, onclick: async () => {
        await api('POST', '/console/api/logout');
        location.assign('/console/login');
      } }),
    );
  }

  // ---- login and set-up ----

  function loginPage() {
    const err = errorBox();
    const code = el('input', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6 });
    const codeRow = el('div', { hidden: true }, el('label', { for: 'code', text: 'One-time code' }), code);
    code.id = 'code';
    const form = el('form', { class: 'card narrow', novalidate: true },
      el('h1', { text: 'Sign in' }),
      el('label', { for: 'email', text: 'E-mail' }),
      el('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true }),
      el('label', { for: 'password', text: 'Password' }),
      el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
      codeRow, err,
      el('button', { type: 'submit', text: 'Sign in' }));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      err.textContent = '';
      try {
        await api('POST', '/console/api/login', {
          email: form.email.value, password: form.password.value, code: code.value || undefined,
        });
        location.assign('/console/queue');
      } catch (e) {
        if (e.message === 'One-time code required') { codeRow.hidden = false; code.focus(); }
        err.textContent = e.message;
      }
    });
    show(form);
  }

  function setupPage() {
    const token = location.hash.slice(1);
    const err = errorBox();
    const form = el('form', { class: 'card narrow', novalidate: true },
      el('h1', { text: 'Set your password' }),
      el('p', { class: 'muted', text: 'At least 12 characters. This link works once.' }),
      el('label', { for: 'password', text: 'New password' }),
      el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'new-password' }),
      el('label', { for: 'confirm', text: 'Repeat it' }),
      el('input', { id: 'confirm', name: 'confirm', type: 'password', autocomplete: 'new-password' }),
      err, el('button', { type: 'submit', text: 'Set password' }));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      err.textContent = '';
      if (form.password.value !== form.confirm.value) { err.textContent = 'The two passwords differ'; return; }
      try {
        const r = await api('POST', '/console/api/setup', { token, password: form.password.value });
        show(el('div', { class: 'card narrow' }, el('h1', { text: 'Password set' }),
          el('p', { text: `You can now sign in as ${r.email}.` }),
          el('a', { href: '/console/login', text: 'Sign in' })));
      } catch (e) { err.textContent = e.message; }
    });
    show(form);
  }

  // ---- overview ----

  function stackedChart(days, byStatus) {
    const order = ['approved', 'declined', 'needs-review', 'pending'];
    const W = 640, H = 180, pad = 24;
    const totals = days.map((_, i) => order.reduce((s, k) => s + ((byStatus[k] || [])[i] || 0), 0));
    const max = Math.max(1, ...totals);
    const bw = (W - pad * 2) / days.length;
    const bars = [];
    days.forEach((d, i) => {
      let y = H - pad;
      for (const k of order) {
        const v = (byStatus[k] || [])[i] || 0;
        if (!v) continue;
        const h = (v / max) * (H - pad * 2);
        y -= h;
        bars.push(svg('rect', { class: k, x: pad + i * bw + 1, y, width: Math.max(1, bw - 2), height: h },
          svg('title', { text: `${d} ${k}: ${v}` })));
      }
      if (i === 0 || i === days.length - 1) {
        bars.push(svg('text', { class: 'axis', x: pad + i * bw, y: H - 8, text: d.slice(5) }));
      }
    });
    bars.push(svg('text', { class: 'axis', x: 2, y: pad, text: String(max) }));
    return svg('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img',
      'aria-label': 'Verifications per day by status', 'data-chart': 'status' }, bars);
  }

  function sparkline(series) {
    const W = 160, H = 28;
    const max = Math.max(1, ...series);
    const pts = series.map((v, i) => `${(i / Math.max(1, series.length - 1)) * (W - 2) + 1},${H - 2 - (v / max) * (H - 4)}`).join(' ');
    return svg('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, width: W, height: H },
      svg('polyline', { class: 'spark', points: pts }));
  }

  async function overviewPage() {
    const o = await api('GET', '/console/api/overview?days=14');
    const order = ['approved', 'declined', 'needs-review', 'pending'];
    const decided = Object.entries(o.decisions).map(([k, v]) => `${v} ${k}`).join(', ') || 'none yet';
    const concernRows = Object.entries(o.byConcern).map(([code, series]) => el('tr', { 'data-concern': code },
      el('td', { text: code }), el('td', { text: String(series.reduce((a, b) => a + b, 0)) }), el('td', {}, sparkline(series))));
    show(el('h1', { text: 'Overview' }),
      el('div', { class: 'figures' },
        el('div', { class: 'figure', 'data-figure': 'queue' }, el('b', { text: String(o.queueLength) }), 'waiting for review'),
        el('div', { class: 'figure', 'data-figure': 'median' }, el('b', { text: duration(o.medianDecisionMs) }), 'median time to decision'),
        el('div', { class: 'figure', 'data-figure': 'decisions' }, el('b', { text: String(Object.values(o.decisions).reduce((a, b) => a + b, 0)) }), `manual decisions (${decided})`)),
      el('h2', { text: `Verifications per day, last ${o.days.length} days` }),
      el('p', { class: 'legend' }, order.map((k) => el('span', {}, el('i', { class: k }), k))),
      stackedChart(o.days, o.byStatus),
      el('h2', { text: 'Concerns per day' }),
      concernRows.length
        ? el('table', {}, el('thead', {}, el('tr', {}, el('th', { text: 'Code' }), el('th', { text: 'Count' }), el('th', { text: 'Per day' }))), el('tbody', {}, concernRows))
        : el('p', { class: 'muted', text: 'No concerns in this period.' }));
  }

  // ---- queue ----

  function queueQuery() {
    const p = new URLSearchParams(location.search);
    if (!p.has('status')) p.set('status', 'needs-review');
    return p;
  }

  async function queuePage() {
    const q = queueQuery();
    const data = await api('GET', `/console/api/verifications?${q}`);
    const field = (name, label, input) => el('div', {}, el('label', { for: name, text: label }), input);
    const status = el('select', { id: 'status', name: 'status' },
      ['', 'needs-review', 'approved', 'declined', 'pending'].map((s) => el('option', { value: s, selected: q.get('status') === s, text: s || 'any' })));
    const form = el('form', { class: 'card filters', method: 'get', action: '/console/queue' },
      field('status', 'Status', status),
      field('app', 'Application id', el('input', { id: 'app', name: 'app', value: q.get('app') || '' })),
      field('from', 'From', el('input', { id: 'from', name: 'from', type: 'date', value: q.get('from') || '' })),
      field('to', 'To', el('input', { id: 'to', name: 'to', type: 'date', value: q.get('to') || '' })),
      field('concern', 'Concern', el('input', { id: 'concern', name: 'concern', placeholder: 'DC001', value: q.get('concern') || '' })),
      el('button', { type: 'submit', text: 'Filter' }));
    const rows = data.items.map((v) => el('tr', { 'data-id': v.id },
      el('td', {}, el('a', { href: `/console/review/${v.id}`, text: v.id })),
      el('td', { text: v.appName || v.appId }), el('td', {}, badge(v.decision)),
      el('td', { text: v.concerns.join(' ') }), el('td', { text: when(v.createdAt) })));
    show(el('h1', { text: 'Verifications' }), form,
      rows.length
        ? el('table', { id: 'queue' }, el('thead', {}, el('tr', {}, ['Id', 'Application', 'Status', 'Concerns', 'Created'].map((h) => el('th', { text: h })))), el('tbody', {}, rows))
        : el('p', { class: 'muted', id: 'empty', text: 'Nothing matches.' }));
  }

  // ---- review ----

  function kv(rows) {
    return el('table', {}, el('tbody', {}, rows.map(([k, v]) => el('tr', {}, el('th', { text: k }), el('td', { text: v })))));
  }

  async function nextInQueue(current) {
    const data = await api('GET', '/console/api/verifications?status=needs-review');
    const next = data.items.find((v) => v.id !== current);
    location.assign(next ? `/console/review/${next.id}` : '/console/queue');
  }

  async function reviewPage(id) {
    const v = await api('GET', `/console/api/verifications/${encodeURIComponent(id)}`);
    const r = v.result;
    const images = el('div', { class: 'images' }, v.files.map((f) => el('figure', {},
      el('img', { src: f.url, alt: `${f.kind} image`, 'data-kind': f.kind }), el('figcaption', { text: f.kind }))));
    const parts = [el('h1', {}, 'Verification ', el('code', { text: v.id }), ' ', badge(v.decision)),
      el('p', { class: 'muted', text: `${v.appName} · created ${when(v.createdAt)}${v.erased ? ' · personal data erased' : ''}` }),
      images];
    if (r) {
      const dc = r.documentDataChecking || [];
      parts.push(el('h2', { text: 'MRZ and printed zone' }),
        dc.length
          ? el('table', { id: 'fields' }, el('thead', {}, el('tr', {}, ['Field', 'MRZ', 'Printed', 'Status'].map((h) => el('th', { text: h })))),
            el('tbody', {}, dc.map((row) => el('tr', { class: row.equal ? null : 'conflict', 'data-equal': String(row.equal) },
              el('td', { text: row.category }), el('td', { text: row.mrz }), el('td', { text: row.ocr }), el('td', {}, badge(row.status))))))
          : el('p', { class: 'muted', text: 'No field could be compared.' }));
      const a = r.attributes || {};
      parts.push(el('div', { class: 'cols' },
        el('div', {}, el('h2', { text: 'Document' }), kv([['Type', a.documentType], ['Surname', a.originalLastName || a.lastName],
          ['Given names', a.originalFirstName || a.firstName], ['Date of birth', a.dateOfBirth], ['Expiry', a.dateOfExpiry],
          ['Nationality', a.nationality], ['Issuer', a.issueCountry], ['MRZ', r.mrz ? `${r.mrz.format}, ${r.mrz.valid ? 'valid' : 'invalid'}` : 'not read']])),
        el('div', {}, el('h2', { text: 'Concerns' }), el('ul', { id: 'concerns' }, r.results.concerns.map((c) => el('li', { 'data-concern': c.id },
          el('b', { text: c.id }), ' ', badge(c.status), ' ', c.message))))));
      const quality = r.results.concerns.filter((c) => ['DC020', 'DC021', 'DC022'].includes(c.id));
      parts.push(el('h2', { text: 'Image quality' }),
        el('p', { id: 'quality', text: quality.length ? quality.map((c) => c.message).join(' ') : 'Size, sharpness and glare within the policy.' }));
      const face = r.checks.find((c) => c.name === 'faceMatch');
      if (face && face.details && face.details.similarity !== undefined) {
        parts.push(el('p', { id: 'similarity' }, el('b', { text: 'Face similarity: ' }), String(face.details.similarity)));
      }
      parts.push(el('h2', { text: 'Checks' }), el('table', { id: 'checks' }, el('tbody', {}, r.checks.map((c) => el('tr', { 'data-check': c.name },
        el('th', { text: c.name }), el('td', {}, badge(c.status)), el('td', { text: c.comment }),
        el('td', { text: c.details ? JSON.stringify(c.details) : '' }))))));
    }
    const err = errorBox();
    let chosen = null;
    const reason = el('textarea', { id: 'reason', rows: 2, maxlength: 500, placeholder: 'Reason (required)' });
    const decide = async (decision) => {
      err.textContent = '';
      if (!reason.value.trim()) { chosen = decision; err.textContent = `Give a reason, then press Enter to ${decision === 'approved' ? 'approve' : 'decline'}`; reason.focus(); return; }
      try {
        const res = await api('POST', `/console/api/verifications/${v.id}/decision`, { decision, reason: reason.value });
        show(el('h1', {}, 'Decided: ', badge(res.status)),
          el('p', { id: 'decided', 'data-decision': res.status, text: `Verification ${res.id} is now ${res.status}; the integrator's webhook is re-sent.` }),
          el('button', { type: 'button', id: 'next', text: 'Next in queue (n)', onclick: () => nextInQueue(v.id) }));
      } catch (e) { err.textContent = e.message; }
    };
    if (v.decision === 'needs-review' && !v.erased) {
      reason.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' && !ev.shiftKey && chosen) { ev.preventDefault(); decide(chosen); }
      });
      parts.push(el('h2', { text: 'Decision' }), el('div', { class: 'card', id: 'decision' }, reason, err,
        el('button', { type: 'button', class: 'approve', id: 'approve', text: 'Approve (a)', onclick: () => decide('approved') }), ' ',
        el('button', { type: 'button', class: 'decline', id: 'decline', text: 'Decline (d)', onclick: () => decide('declined') }), ' ',
        el('button', { type: 'button', class: 'secondary', id: 'skip', text: 'Next (n)', onclick: () => nextInQueue(v.id) }),
        el('p', { class: 'keys' }, 'Keys: ', el('kbd', { text: 'a' }), ' approve, ', el('kbd', { text: 'd' }), ' decline, ',
          el('kbd', { text: 'n' }), ' next; type the reason, then ', el('kbd', { text: 'Enter' }), '.')));
    }
    if (v.reviews.length) {
      parts.push(el('h2', { text: 'Manual decisions' }), el('ul', {}, v.reviews.map((x) => el('li', { text: `${when(x.at)} ${x.operator}: ${x.decision} — ${x.reason}` }))));
    }
    parts.push(el('h2', { text: 'Audit trail' }), el('table', { id: 'trail' }, el('tbody', {}, v.audit.map((e) => el('tr', {},
      el('td', { text: when(e.at) }), el('td', { text: e.event }), el('td', { text: e.actor }), el('td', { text: e.detail }))))));
    show(...parts);
    document.addEventListener('keydown', (ev) => {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      const t = ev.target;
      if (t && ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName)) return;
      if (ev.key === 'n') { ev.preventDefault(); nextInQueue(v.id); }
      if (!document.getElementById('decision')) return;
      if (ev.key === 'a' || ev.key === 'd') {
        ev.preventDefault();
        decide(ev.key === 'a' ? 'approved' : 'declined');
      }
    });
  }

  // ---- audit ----

  async function auditPage() {
    const data = await api('GET', '/console/api/audit');
    show(el('h1', { text: 'Audit trail' }),
      el('p', { class: 'muted', text: 'Operators\u2019 actions: who viewed which verification\u2019s result and images, decisions, sign-ins and administration.' }),
      el('table', { id: 'audit' }, el('thead', {}, el('tr', {}, ['When', 'Operator', 'Event', 'Verification', 'Detail'].map((h) => el('th', { text: h })))),
        el('tbody', {}, data.events.map((e) => el('tr', { 'data-event': e.event },
          el('td', { text: when(e.at) }), el('td', { text: e.actor }), el('td', { text: e.event }),
          el('td', {}, e.verificationId ? el('a', { href: `/console/review/${e.verificationId}`, text: e.verificationId }) : ''),
          el('td', { text: e.detail }))))));
  }

  // ---- administration ----

  function once(title, obj) {
    return el('div', { class: 'notice', id: 'shown-once' }, el('b', { text: `${title} (shown once): ` }), el('code', { text: JSON.stringify(obj, null, 1) }));
  }

  async function appsPage(notice) {
    const data = await api('GET', '/console/api/apps');
    const err = errorBox();
    const act = (fn) => async () => {
      err.textContent = '';
      try { await fn(); } catch (e) { err.textContent = e.message; }
    };
    const form = el('form', { class: 'card' }, el('h2', { text: 'New application' }),
      el('label', { for: 'name', text: 'Name' }), el('input', { id: 'name', name: 'name' }),
      el('label', { for: 'webhook', text: 'Webhook URL (optional)' }), el('input', { id: 'webhook', name: 'webhook' }),
      el('button', { type: 'submit', text: 'Create' }));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      await act(async () => appsPage(once('Keys', await api('POST', '/console/api/apps', { name: form.name.value, webhook: form.webhook.value || null }))))();
    });
    const rows = data.apps.map((a) => {
      const hook = el('input', { value: a.webhookUrl || '', 'aria-label': `Webhook of ${a.name}` });
      const origins = el('input', { value: a.origins.join(' '), 'aria-label': `Origins of ${a.name}` });
      return el('tr', { 'data-app': a.appId },
        el('td', {}, el('b', { text: a.name }), el('br'), el('code', { text: a.appId })),
        el('td', {}, hook, el('button', { type: 'button', class: 'small', text: 'Save', onclick: act(async () => { await api('PUT', `/console/api/apps/${a.appId}/webhook`, { url: hook.value || null }); await appsPage(); }) })),
        el('td', {}, origins, el('button', { type: 'button', class: 'small', text: 'Save', onclick: act(async () => { await api('PUT', `/console/api/apps/${a.appId}/origins`, { origins: origins.value.split(/\s+/).filter(Boolean) }); await appsPage(); }) })),
        el('td', {},
          el('button', { type: 'button', class: 'small', text: 'Rotate keys', onclick: act(async () => appsPage(once('New keys', await api('POST', `/console/api/apps/${a.appId}/rotate`)))) }),
          el('button', { type: 'button', class: 'small decline', text: 'Delete', onclick: act(async () => { if (confirm(`Delete ${a.name}? Its keys stop working.`)) { await api('DELETE', `/console/api/apps/${a.appId}`); await appsPage(); } }) })));
    });
    show(el('h1', { text: 'Applications' }), notice || '', err,
      el('table', { id: 'apps' }, el('thead', {}, el('tr', {}, ['Application', 'Webhook', 'Allowed origins (space separated)', ''].map((h) => el('th', { text: h })))), el('tbody', {}, rows)),
      form);
  }

  async function operatorsPage(notice) {
    const data = await api('GET', '/console/api/operators');
    const err = errorBox();
    const act = (fn) => async () => {
      err.textContent = '';
      try { await fn(); } catch (e) { err.textContent = e.message; }
    };
    const form = el('form', { class: 'card' }, el('h2', { text: 'New operator' }),
      el('label', { for: 'email', text: 'E-mail' }), el('input', { id: 'email', name: 'email', type: 'email' }),
      el('label', { for: 'role', text: 'Role' }), el('select', { id: 'role', name: 'role' }, el('option', { value: 'reviewer', text: 'reviewer' }), el('option', { value: 'admin', text: 'admin' })),
      el('button', { type: 'submit', text: 'Create' }));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      await act(async () => operatorsPage(once('Set-up link', await api('POST', '/console/api/operators', { email: form.email.value, role: form.role.value }))))();
    });
    const rows = data.operators.map((o) => el('tr', { 'data-operator': o.email },
      el('td', { text: o.email }), el('td', { text: o.role }),
      el('td', { text: [o.disabled ? 'removed' : o.active ? 'active' : 'invited', o.locked ? 'locked' : '', o.totp ? 'TOTP' : ''].filter(Boolean).join(', ') }),
      el('td', {}, o.disabled || o.email === me.email ? '' : [
        el('button', { type: 'button', class: 'small', text: 'New set-up link', onclick: act(async () => operatorsPage(once('Set-up link', await api('POST', `/console/api/operators/${o.id}/reset`)))) }),
        el('button', { type: 'button', class: 'small decline', text: 'Remove', onclick: act(async () => { await api('DELETE', `/console/api/operators/${o.id}`); await operatorsPage(); }) })])));
    show(el('h1', { text: 'Operators' }), notice || '', err,
      el('table', { id: 'operators' }, el('thead', {}, el('tr', {}, ['E-mail', 'Role', 'State', ''].map((h) => el('th', { text: h })))), el('tbody', {}, rows)),
      form);
  }

  async function accountPage() {
    const err = errorBox();
    const totpBox = el('div', {});
    const start = async () => {
      const t = await api('POST', '/console/api/totp', {});
      const code = el('input', { id: 'totp-code', inputmode: 'numeric', maxlength: 6 });
      totpBox.replaceChildren(el('p', { class: 'notice' }, 'Add this to your authenticator app: ', el('code', { id: 'totp-uri', text: t.otpauthUri })),
        el('label', { for: 'totp-code', text: 'Code shown by the app' }), code,
        el('button', { type: 'button', text: 'Turn on', onclick: async () => {
          err.textContent = '';
          try { await api('POST', '/console/api/totp', { secret: t.secret, code: code.value }); me.totp = true; await accountPage(); } catch (e) { err.textContent = e.message; }
        } }));
    };
    show(el('h1', { text: 'Account' }), el('p', { text: `${me.email} (${me.role})` }),
      el('h2', { text: 'Two-factor sign-in (TOTP)' }),
      me.totp ? el('p', { text: 'On.' }) : el('button', { type: 'button', id: 'totp-start', text: 'Set up', onclick: () => start().catch((e) => { err.textContent = e.message; }) }),
      totpBox, err,
      el('h2', { text: 'Sessions' }),
      el('button', { type: 'button', id: 'logout-all', class: 'decline', text: 'Log out everywhere', onclick: async () => {
        await api('POST', '/console/api/logout-all');
        location.assign('/console/login');
      } }));
  }

  // ---- routing ----

  async function start() {
    const path = location.pathname;
    if (path === '/console/login') return loginPage();
    if (path === '/console/setup') return setupPage();
    try {
      me = await api('GET', '/console/api/me');
    } catch (e) {
      return;
    }
    drawNav();
    try {
      if (path === '/console/' || path === '/console') await overviewPage();
      else if (path === '/console/queue') await queuePage();
      else if (path.startsWith('/console/review/')) await reviewPage(decodeURIComponent(path.slice('/console/review/'.length)));
      else if (path === '/console/audit') await auditPage();
      else if (path === '/console/apps') await appsPage();
      else if (path === '/console/operators') await operatorsPage();
      else if (path === '/console/account') await accountPage();
      else denied(new HttpError(404, 'No such page'));
    } catch (e) {
      denied(e);
    }
    document.body.dataset.loaded = 'true';
  }

  start();
}());
