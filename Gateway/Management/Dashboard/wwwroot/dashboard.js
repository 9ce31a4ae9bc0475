// The gateway's dashboard: reads /status/* from the same management listener every two seconds and renders three
// tables. No framework and no CDN: it works offline.
'use strict';

const refreshMs = 2000;

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text === null || text === undefined ? '' : String(text);
  if (className) td.className = className;
  return td;
}

function time(value) {
  return value ? new Date(value).toLocaleTimeString() : '–';
}

function ms(value) {
  return value === null || value === undefined ? '–' : value.toFixed(2);
}

function fill(id, rows) {
  const body = document.querySelector(`#${id} tbody`);
  body.replaceChildren(...rows);
}

function renderTransforms(transforms) {
  fill('transforms', transforms.map(t => {
    const tr = document.createElement('tr');
    tr.dataset.transform = t.name;
    tr.dataset.state = t.state;
    tr.className = `state-row-${t.state}` + (t.failures > 0 ? ' failing' : '');
    tr.append(cell(t.name));
    const state = cell('');
    const badge = document.createElement('span');
    badge.className = `state state-${t.state}`;
    badge.textContent = t.state;
    state.append(badge);
    tr.append(state);
    tr.append(cell(t.boundTo.join(', ')));
    tr.append(cell(t.runs, 'num'), cell(t.failures, 'num'), cell(t.breaches, 'num'));
    tr.append(cell(`${ms(t.p50Milliseconds)} / ${ms(t.p99Milliseconds)}`, 'num'));
    tr.append(cell(time(t.compiledAt)));
    const last = t.refusedDiagnostics ? t.refusedDiagnostics.join('\n')
      : t.lastFailure ? `${t.lastFailure.kind} at line ${t.lastFailure.line}: ${t.lastFailure.message}` : '';
    tr.append(cell(last, 'failure'));
    return tr;
  }));
}

function renderWebhooks(webhooks) {
  fill('webhooks', webhooks.map(w => {
    const tr = document.createElement('tr');
    tr.dataset.destination = w.name;
    tr.append(cell(`${w.name} (${w.kind}${w.urlConfigured ? '' : ', no URL: logged'}${w.isDefault ? ', default' : ''})`));
    tr.append(cell(`${w.queueLength} / ${w.queueCapacity}`, 'num'));
    tr.append(cell(w.sent, 'num'), cell(w.folded, 'num'), cell(w.dropped, 'num'), cell(w.failed, 'num'), cell(w.retried, 'num'));
    tr.append(cell(time(w.lastSuccess)));
    tr.append(cell(w.lastFailure ? `${time(w.lastFailure.at)}: ${w.lastFailure.errorCode || w.lastFailure.reason}` : '–', 'failure'));
    return tr;
  }));
}

function renderRoutes(status) {
  document.getElementById('window').textContent = `(terminations in the last ${status.windowMinutes} minutes)`;
  fill('routes', status.routes.map(r => {
    const tr = document.createElement('tr');
    tr.dataset.route = r.route;
    tr.append(cell(r.route), cell(r.cluster || '–'), cell(r.chain.join(' → ') || '–'));
    const kinds = cell('', 'kinds');
    for (const [kind, count] of Object.entries(r.terminations)) {
      const span = document.createElement('span');
      span.textContent = `${kind}: ${count}`;
      kinds.append(span);
    }
    tr.append(kinds);
    return tr;
  }));
  fill('latest', status.latest.map(t => {
    const tr = document.createElement('tr');
    tr.append(cell(time(t.at)), cell(t.route), cell(t.kind), cell(t.status, 'num'));
    return tr;
  }));
}

async function refresh() {
  const error = document.getElementById('error');
  try {
    const [transforms, webhooks, routes] = await Promise.all(
      ['transforms', 'webhooks', 'routes'].map(view => fetch(`status/${view}`, { cache: 'no-store' }).then(r => {
        if (!r.ok) throw new Error(`/status/${view} answered ${r.status}`);
        return r.json();
      })));
    renderTransforms(transforms);
    renderWebhooks(webhooks);
    renderRoutes(routes);
    document.getElementById('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
    document.body.dataset.loaded = 'true';
    error.hidden = true;
  } catch (e) {
    error.textContent = `cannot reach the gateway: ${e.message}`;
    error.hidden = false;
  } finally {
    setTimeout(refresh, refreshMs);
  }
}

refresh();
