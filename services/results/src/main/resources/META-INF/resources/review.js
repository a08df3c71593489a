// The review page: the worklist from /api/v1/worklist, one scan at a time, a label confirmed by
// a button or its number key; after a confirmation the next scan follows.
(function () {
  'use strict';
  const state = { items: [], index: 0, scan: null, classes: [], imageHref: null };
  const $ = (id) => document.getElementById(id);
  const api = (url, options) => window.lungflowAuth.fetch(url, options);

  function say(text, error) {
    $('status').textContent = text;
    $('status').className = error ? 'error' : '';
  }

  async function problemText(response) {
    try {
      const p = await response.json();
      return p.detail || p.title || response.statusText;
    } catch (e) {
      return response.status + ' ' + response.statusText;
    }
  }

  async function loadWorklist(keepScanId) {
    const response = await api('/api/v1/worklist?size=100');
    if (!response.ok) {
      say('The worklist could not be loaded: ' + await problemText(response), true);
      return;
    }
    const page = await response.json();
    state.items = page.items;
    $('worklist-count').textContent = '(' + page.total + ')';
    const list = $('worklist');
    list.replaceChildren();
    page.items.forEach((item, i) => {
      const li = document.createElement('li');
      li.dataset.scanId = item.scanId;
      const p = item.active && item.active.positiveProbability != null ? item.active.positiveProbability.toFixed(3) : '–';
      li.append(document.createTextNode(item.scanId.substring(0, 8) + ' · ' + (item.active ? item.active.decision : '')));
      const right = document.createElement('span');
      right.textContent = p;
      li.append(right);
      li.addEventListener('click', () => show(i));
      list.append(li);
    });
    const keep = keepScanId ? state.items.findIndex((s) => s.scanId === keepScanId) : -1;
    await show(keep >= 0 ? keep : Math.min(state.index, Math.max(0, state.items.length - 1)));
  }

  async function show(index) {
    state.index = index;
    const item = state.items[index];
    $('empty').hidden = !!item;
    $('details').hidden = !item;
    document.querySelectorAll('#worklist li').forEach((li, i) => li.classList.toggle('current', i === index));
    if (!item) {
      $('scan').dataset.scanId = '';
      state.scan = null;
      return;
    }
    const response = await api('/api/v1/scans/' + encodeURIComponent(item.scanId));
    if (!response.ok) {
      say('Scan ' + item.scanId + ' could not be loaded: ' + await problemText(response), true);
      return;
    }
    const scan = await response.json();
    state.scan = scan;
    const active = scan.active && scan.predictions.find((p) => p.predictionId === scan.active.predictionId && p.outcome === 'PREDICTED');
    state.classes = active ? Object.keys(active.probabilities) : [];
    $('scan-id').textContent = scan.scanId;
    $('received').textContent = scan.receivedAt ? new Date(scan.receivedAt).toLocaleString() : 'unknown';
    $('modality').textContent = [scan.modality, scan.bodyPart, scan.viewPosition].filter(Boolean).join(' ');
    $('model').textContent = active ? active.model + ' ' + active.version + (active.role === 'CANARY' ? ' (canary)' : '') : 'none';
    $('decision').textContent = active ? active.decision : '';
    showImage(scan.image ? scan.image.href : null);
    const table = $('probabilities');
    table.replaceChildren();
    state.classes.forEach((c) => {
      const tr = table.insertRow();
      tr.insertCell().textContent = c;
      const value = active.probabilities[c];
      tr.insertCell().textContent = value.toFixed(3);
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.width = Math.round(value * 160) + 'px';
      tr.insertCell().append(bar);
    });
    $('existing-label').textContent = scan.label
      ? 'Confirmed earlier as ' + scan.label.label + '; confirming again supersedes it.' : '';
    const buttons = $('buttons');
    buttons.replaceChildren();
    state.classes.forEach((c, i) => {
      const b = document.createElement('button');
      b.className = 'label-button';
      b.dataset.label = c;
      b.textContent = (i + 1) + ' · ' + c;
      b.addEventListener('click', () => confirm(c));
      buttons.append(b);
    });
    $('scan').dataset.scanId = scan.scanId;
  }

  // An <img> cannot send the bearer token, so the image is fetched and shown from a blob. A problem
  // with the image is told beside it, so it never hides what the status line says about a label;
  // an answer that arrives after the reviewer has moved on is dropped.
  async function showImage(href) {
    const img = $('image');
    const note = $('image-status');
    if (img.dataset.blob) {
      URL.revokeObjectURL(img.dataset.blob);
      img.dataset.blob = '';
    }
    img.removeAttribute('src');
    note.textContent = '';
    state.imageHref = href;
    if (!href) {
      note.textContent = 'This scan has no stored image.';
      return;
    }
    const response = await api(href);
    if (state.imageHref !== href) {
      return;
    }
    if (!response.ok) {
      note.textContent = 'The image could not be loaded: ' + await problemText(response);
      return;
    }
    const blob = await response.blob();
    if (state.imageHref !== href) {
      return;
    }
    img.dataset.blob = URL.createObjectURL(blob);
    img.src = img.dataset.blob;
  }

  async function confirm(label) {
    if (!state.scan) {
      return;
    }
    const scanId = state.scan.scanId;
    const headers = { 'Content-Type': 'application/json' };
    const response = await api('/api/v1/scans/' + encodeURIComponent(scanId) + '/label', {
      method: 'POST', headers, body: JSON.stringify({ label, source: 'REVIEW_PAGE' }),
    });
    if (!response.ok) {
      say('Not recorded: ' + await problemText(response), true);
      return;
    }
    const recorded = await response.json();
    say('Recorded ' + scanId.substring(0, 8) + ' as ' + recorded.label
      + (recorded.supersedes ? ' (supersedes the earlier confirmation)' : '') + '.');
    state.items.splice(state.index, 1);
    const next = state.items[state.index];
    await loadWorklist(next ? next.scanId : null);
  }

  document.addEventListener('keydown', (event) => {
    if (event.target.tagName === 'INPUT' || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (/^[1-9]$/.test(event.key)) {
      const label = state.classes[Number(event.key) - 1];
      if (label) {
        event.preventDefault();
        confirm(label);
      }
    } else if (event.key === 'j' && state.index + 1 < state.items.length) {
      show(state.index + 1);
    } else if (event.key === 'k' && state.index > 0) {
      show(state.index - 1);
    } else if (event.key === 'r') {
      loadWorklist(state.scan ? state.scan.scanId : null);
    }
  });

  loadWorklist(null);
})();
