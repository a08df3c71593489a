// The MLOps page: versions per model with offline and live figures side by side, the
// transition buttons, rollback, and training runs. Every refusal shows the problem's detail.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const api = (url, options) => window.lungflowAuth.fetch(url, options);

  const pct = (v) => (v == null ? '–' : (v * 100).toFixed(1) + '%');
  function say(text, error) { $('status').textContent = text; $('status').className = error ? 'error' : ''; }

  async function post(url, body) {
    const headers = { 'Content-Type': 'application/json' };
    const response = await api(url, { method: 'POST', headers, body: JSON.stringify(body) });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) { throw new Error(json.detail || json.title || response.statusText); }
    return json;
  }

  async function act(model, version, status) {
    const body = { status, reason: prompt('Why move ' + model + ' ' + version + ' to ' + status + '?') || '' };
    if (!body.reason) { return; }
    if (status === 'CANARY') { body.canaryShare = Number(prompt('Share of scans for the canary (0–1]', '0.1')); }
    try {
      const r = await post('/api/v1/models/' + encodeURIComponent(model) + '/versions/' + encodeURIComponent(version) + '/transitions', body);
      say(r.changed.map((v) => v.version + ' → ' + v.status).join(', ') + (r.gate ? ' · gate: ' + r.gate.reasons.join('; ') : ''));
    } catch (e) { say('Refused: ' + e.message, true); }
    load();
  }

  async function rollback(model) {
    const reason = prompt('Why roll ' + model + ' back?');
    if (!reason) { return; }
    try {
      const r = await post('/api/v1/models/' + encodeURIComponent(model) + '/rollback', { reason });
      say('Rolled back: ' + r.changed.map((v) => v.version + ' → ' + v.status).join(', '));
    } catch (e) { say('Refused: ' + e.message, true); }
    load();
  }

  function live(v, role) {
    const p = v.live && v.live[role];
    return p ? role + ' n=' + p.labelled + ' sens ' + pct(p.sensitivity) + ' spec ' + pct(p.specificity) + ' PPV ' + pct(p.ppv) : '';
  }

  function cell(tr, content) { const td = tr.insertCell(); if (content instanceof Node) { td.append(content); } else { td.textContent = content; } return td; }

  function button(label, handler) { const b = document.createElement('button'); b.textContent = label; b.addEventListener('click', handler); return b; }

  async function load() {
    const versions = await (await api('/api/v1/models')).json();
    const byModel = new Map();
    versions.forEach((v) => { if (!byModel.has(v.model)) { byModel.set(v.model, []); } byModel.get(v.model).push(v); });
    const root = $('models');
    root.replaceChildren();
    byModel.forEach((list, model) => {
      const h = document.createElement('h2');
      h.textContent = model + ' ';
      h.append(button('Roll back', () => rollback(model)));
      root.append(h);
      const table = document.createElement('table');
      table.createTHead().innerHTML = '<tr><th>version</th><th>status</th><th>offline (held out)</th><th>live</th><th>changed</th><th></th></tr>';
      const body = table.createTBody();
      list.forEach((v) => {
        const tr = body.insertRow();
        tr.dataset.version = v.version;
        cell(tr, v.version);
        cell(tr, v.status + (v.canaryShare ? ' ' + pct(v.canaryShare) : '')).className = v.status;
        const o = v.offlineMetrics || {};
        cell(tr, 'n=' + (o.n ?? '–') + ' AUC ' + (o.auc != null ? o.auc.toFixed(3) : '–') + ' sens ' + pct(o.sensitivity) + ' spec ' + pct(o.specificity));
        cell(tr, ['ACTIVE', 'CANARY', 'SHADOW'].map((r) => live(v, r)).filter(Boolean).join(' · ') || '–');
        cell(tr, new Date(v.changedAt).toLocaleString() + ' ' + (v.reason || '')).className = 'small';
        const actions = document.createElement('span');
        ['SHADOW', 'CANARY', 'ACTIVE', 'RETIRED'].filter((s) => s !== v.status && v.status !== 'ACTIVE')
          .forEach((s) => actions.append(button(s === 'ACTIVE' ? 'Promote' : s.charAt(0) + s.slice(1).toLowerCase(), () => act(model, v.version, s))));
        cell(tr, actions);
      });
      root.append(table);
    });
    if (!byModel.size) { root.textContent = 'No model versions yet: train one below or with ./lungflow demo.'; }
    const runs = await (await api('/api/v1/training-runs')).json();
    const tbody = $('runs').tBodies[0];
    tbody.replaceChildren();
    runs.forEach((r) => {
      const tr = tbody.insertRow();
      [r.runId, r.status, r.model, r.version || '', r.metrics ? 'n=' + r.metrics.n + ' AUC ' + r.metrics.auc.toFixed(3) + ' sens ' + pct(r.metrics.sensitivity)
        + ' spec ' + pct(r.metrics.specificity) : (r.epoch ? 'epoch ' + r.epoch + '/' + r.epochs : ''), r.reason || ''].forEach((t) => cell(tr, t));
    });
  }

  $('train-labels').addEventListener('click', async () => {
    try {
      const r = await post('/api/v1/training-runs/from-labels', {});
      say('Queued ' + r.runId + ' on confirmed labels.');
    } catch (e) { say('Not started: ' + e.message, true); }
    load();
  });

  load();
  setInterval(load, 10000);
})();
