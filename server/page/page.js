// The live page's logic. Data flow: fetch('events') with the API key in a header (EventSource
// cannot send one) → a stream reader → SseParser → onDecision / onApproval → the in-memory model
// (a bounded list of decisions, counts, pending approvals) → the DOM. Every value from the server
// reaches the DOM through textContent, never as HTML: a summary is an agent's command line.
// On any end of the stream the page reconnects with Last-Event-ID, so the server replays what
// was missed from its ring; on 401 it asks for the key again.
'use strict';

const KEY_STORAGE = 'vectimus.apiKey';
const MAX_KEPT = 1000;       // decisions kept in memory (the server's ring holds 1000 too)
const MAX_SHOWN = 200;       // rows in the table after filtering
const MAX_LINE = 1 << 20;    // an SSE line longer than this is not our server: reconnect
const SILENCE_MS = 45000;    // the server sends a heartbeat every 15 s; three missed → reconnect
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10000;

const el = (id) => document.getElementById(id);

// ---- SSE parsing (the WHATWG event-stream format: lines, fields, a blank line dispatches) ----

class SseParser {
  constructor(onEvent, onActivity) {
    this.onEvent = onEvent;
    this.onActivity = onActivity;
    this.buffer = '';
    this.skipLF = false;
    this.data = [];
    this.type = '';
    this.lastEventId = '';
    this.retry = null;
  }

  // Feeds decoded text; returns false when a line grew past MAX_LINE.
  push(text) {
    this.buffer += text;
    let pos = 0;
    // A CR that ended the previous chunk ended its line; an LF right after it is the CRLF's half.
    if (this.skipLF && this.buffer.charCodeAt(0) === 10) pos = 1;
    this.skipLF = false;
    for (;;) {
      let end = -1;
      for (let i = pos; i < this.buffer.length; i++) {
        const c = this.buffer.charCodeAt(i);
        if (c === 10 || c === 13) { end = i; break; }
      }
      if (end < 0) break;
      const cr = this.buffer.charCodeAt(end) === 13;
      const line = this.buffer.slice(pos, end);
      if (cr && end + 1 === this.buffer.length) this.skipLF = true;
      pos = end + (cr && this.buffer.charCodeAt(end + 1) === 10 ? 2 : 1);
      this.line(line);
    }
    this.buffer = this.buffer.slice(pos);
    return this.buffer.length <= MAX_LINE;
  }

  line(line) {
    this.onActivity();
    if (line === '') return this.dispatch();
    if (line.charCodeAt(0) === 58) return;  // ':' comment, e.g. the heartbeat
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.type = value;
    else if (field === 'id') { if (!value.includes('\0')) this.lastEventId = value; }
    else if (field === 'retry') { if (/^\d+$/.test(value)) this.retry = Number(value); }
  }

  dispatch() {
    const type = this.type || 'message';
    const data = this.data.join('\n');
    const had = this.data.length > 0;
    this.data = [];
    this.type = '';
    if (had) this.onEvent(type, data, this.lastEventId);
  }
}

// ---- the model ----

// Session storage can be unavailable (storage disabled): the key then lasts as long as the page.
const storage = {
  get() { try { return sessionStorage.getItem(KEY_STORAGE) || ''; } catch (_) { return ''; } },
  set(key) { try { sessionStorage.setItem(KEY_STORAGE, key); } catch (_) { /* kept in memory */ } },
  clear() { try { sessionStorage.removeItem(KEY_STORAGE); } catch (_) { /* nothing kept */ } },
};

const state = {
  key: storage.get(),
  lastEventId: '0',              // '0' on the first connection: replay what the server kept
  decisions: [],                 // newest first, at most MAX_KEPT
  seen: new Set(),               // "id|time" of kept decisions, so a replay never duplicates
  ruleCounts: new Map(),
  agentCounts: new Map(),        // source → {all, allow, deny, escalate, observe}
  values: { source: new Set(), decision: new Set(), rule: new Set(), developer: new Set() },
  pending: new Map(),            // approval id → {approval, li}
  outcomes: new Map(),           // approval id → {state, by}, for rows of decisions held
  fresh: new Set(),              // decisions not rendered yet, highlighted when they are
  renderQueued: false,
  controller: null,
  retryMs: RETRY_MIN_MS,
  needKey: false,
};

function headers(extra) {
  const h = Object.assign({}, extra || {});
  if (state.key) h['X-Vectimus-API-Key'] = state.key;
  return h;
}

function setStatus(kind, text) {
  const s = el('status');
  s.dataset.state = kind;
  s.textContent = text;
}

// ---- the key ----

function askForKey(message) {
  state.needKey = true;
  el('key-section').hidden = false;
  el('key-error').textContent = message || '';
  el('forget-key').hidden = true;
  setStatus('key', 'API key needed');
  el('key-input').focus();
}

function onKeySubmit(event) {
  event.preventDefault();
  const key = el('key-input').value.trim();
  if (!key) return;
  state.key = key;
  storage.set(key);
  el('key-input').value = '';
  el('key-error').textContent = '';
  el('key-section').hidden = true;
  state.needKey = false;
  state.retryMs = RETRY_MIN_MS;
  connect();
}

function forgetKey() {
  storage.clear();
  state.key = '';
  if (state.controller) state.controller.abort();
  askForKey('');
}

// ---- the stream ----

async function connect() {
  if (state.controller) state.controller.abort();
  const controller = new AbortController();
  state.controller = controller;
  setStatus('connecting', 'Connecting…');
  let lastActivity = Date.now();
  const watchdog = setInterval(() => {
    if (Date.now() - lastActivity > SILENCE_MS) controller.abort();
  }, 5000);
  let reason = 'The stream ended';
  try {
    const response = await fetch('events', {
      headers: headers({ 'Accept': 'text/event-stream', 'Last-Event-ID': state.lastEventId }),
      cache: 'no-store',
      signal: controller.signal,
    });
    if (response.status === 401) {
      clearInterval(watchdog);
      if (state.controller === controller) {
        askForKey(state.key ? 'The server refused this key.' : '');
        if (state.key) { storage.clear(); state.key = ''; }
      }
      return;
    }
    if (!response.ok || !response.body) {
      throw new Error(`the server answered ${response.status} on /events`);
    }
    el('forget-key').hidden = !state.key;
    setStatus('live', 'Live');
    state.retryMs = RETRY_MIN_MS;
    loadApprovals();
    const parser = new SseParser(onServerEvent, () => { lastActivity = Date.now(); });
    parser.lastEventId = state.lastEventId;
    const reader = response.body.getReader();
    const decoder = new TextDecoder('utf-8');
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      lastActivity = Date.now();
      if (!parser.push(decoder.decode(value, { stream: true }))) {
        throw new Error('a line of the stream is too long');
      }
      if (parser.lastEventId) state.lastEventId = parser.lastEventId;
      if (parser.retry !== null) state.retryMs = Math.max(RETRY_MIN_MS, parser.retry);
    }
  } catch (error) {
    if (state.controller !== controller) { clearInterval(watchdog); return; }  // replaced
    reason = controller.signal.aborted ? 'No heartbeat from the server' : String(error.message || error);
  }
  clearInterval(watchdog);
  if (state.controller !== controller || state.needKey) return;
  const wait = state.retryMs;
  state.retryMs = Math.min(RETRY_MAX_MS, state.retryMs * 2);
  setStatus('error', `${reason}; reconnecting in ${Math.round(wait / 100) / 10} s`);
  setTimeout(() => { if (state.controller === controller && !state.needKey) connect(); }, wait);
}

function onServerEvent(type, data) {
  let value;
  try {
    value = JSON.parse(data);
  } catch (_) {
    return;  // not ours to show; the next event is independent
  }
  if (!value || typeof value !== 'object') return;
  if (type === 'decision') onDecision(value);
  else if (type === 'approval') onApproval(value);
}

// ---- decisions ----

function str(v) { return typeof v === 'string' ? v : ''; }
function list(v) { return Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []; }

function onDecision(d) {
  const key = `${d.id}|${str(d.time)}`;
  if (state.seen.has(key)) return;
  state.seen.add(key);
  state.decisions.unshift(d);
  while (state.decisions.length > MAX_KEPT) {
    const old = state.decisions.pop();
    state.seen.delete(`${old.id}|${str(old.time)}`);
  }
  count(d);
  state.fresh.add(d);
  scheduleRender();
}

// One render per frame however many events arrived: a busy server sends hundreds a second, and
// the table is rebuilt whole. A hidden tab renders when it is shown again.
function scheduleRender() {
  if (state.renderQueued) return;
  state.renderQueued = true;
  requestAnimationFrame(() => {
    state.renderQueued = false;
    renderDecisions(state.fresh);
    renderCounts();
    state.fresh = new Set();
  });
}

function count(d) {
  const source = str(d.source) || 'unknown';
  const decision = str(d.decision) || 'unknown';
  let a = state.agentCounts.get(source);
  if (!a) state.agentCounts.set(source, a = { all: 0, allow: 0, deny: 0, escalate: 0, observe: 0 });
  a.all++;
  if (decision in a) a[decision]++;
  for (const rule of list(d.rules)) state.ruleCounts.set(rule, (state.ruleCounts.get(rule) || 0) + 1);
  addOption('source', source);
  addOption('decision', decision);
  for (const rule of list(d.rules)) addOption('rule', rule);
  if (str(d.developer)) addOption('developer', d.developer);
}

function addOption(name, value) {
  const set = state.values[name];
  if (set.has(value)) return;
  set.add(value);
  const select = el(`filter-${name}`);
  const option = document.createElement('option');
  option.value = value;
  option.textContent = value;
  let before = null;
  for (const o of select.options) if (o.value && o.value.localeCompare(value) > 0) { before = o; break; }
  select.insertBefore(option, before);
}

function filters() {
  return {
    source: el('filter-source').value,
    decision: el('filter-decision').value,
    rule: el('filter-rule').value,
    developer: el('filter-developer').value,
    text: el('filter-text').value.trim().toLowerCase(),
  };
}

function matches(d, f) {
  if (f.source && (str(d.source) || 'unknown') !== f.source) return false;
  if (f.decision && (str(d.decision) || 'unknown') !== f.decision) return false;
  if (f.rule && !list(d.rules).includes(f.rule)) return false;
  if (f.developer && str(d.developer) !== f.developer) return false;
  if (f.text) {
    const hay = [d.summary, d.reason, d.tool, d.action].map(str).join('\n').toLowerCase();
    if (!hay.includes(f.text)) return false;
  }
  return true;
}

function text(tag, content, className) {
  const node = document.createElement(tag);
  node.textContent = content;
  if (className) node.className = className;
  return node;
}

function clock(iso) {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso || '';
  return t.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

function approvalNote(approvalId) {
  const outcome = state.outcomes.get(approvalId);
  if (outcome) return `${outcome.state}${outcome.by ? ` by ${outcome.by}` : ''}`;
  if (state.pending.has(approvalId)) return 'waiting for approval';
  return '';
}

function decisionRow(d) {
  const tr = document.createElement('tr');
  tr.dataset.id = String(d.id);
  tr.dataset.decision = str(d.decision);
  if (str(d.approval_id)) tr.dataset.approvalId = d.approval_id;
  const time = document.createElement('time');
  time.dateTime = str(d.time);
  time.title = str(d.time);
  time.textContent = clock(str(d.time));
  const tdTime = document.createElement('td');
  tdTime.className = 'time';
  tdTime.appendChild(time);
  tr.appendChild(tdTime);
  const tdDecision = document.createElement('td');
  tdDecision.appendChild(text('span', str(d.decision) || 'unknown', `badge ${str(d.decision)}`));
  tr.appendChild(tdDecision);
  tr.appendChild(text('td', str(d.source), 'source'));
  const dev = str(d.developer) ? text('td', d.developer, 'developer') : text('td', '—', 'developer unknown');
  if (!str(d.developer)) dev.title = 'developer not known';
  if (str(d.key_name)) dev.title = `API key: ${d.key_name}`;
  tr.appendChild(dev);
  tr.appendChild(text('td', str(d.tool) || str(d.action), 'tool'));
  const what = document.createElement('td');
  what.className = 'what';
  what.appendChild(text('code', str(d.summary), 'summary'));
  if (str(d.reason)) {
    const reason = text('span', d.reason, 'reason');
    reason.title = d.reason;  // the cell shows two lines; the whole reason on hover
    what.appendChild(reason);
  }
  if (str(d.approval_id)) {
    const note = approvalNote(d.approval_id);
    what.appendChild(text('span', note, 'approval-note'));
  }
  tr.appendChild(what);
  tr.appendChild(text('td', list(d.rules).join('\n'), 'rules'));
  return tr;
}

// Re-renders the table; the decisions in `fresh` (a Set, or null) get a short highlight.
function renderDecisions(fresh) {
  const f = filters();
  const body = el('decisions');
  const rows = [];
  let matching = 0;
  for (const d of state.decisions) {
    if (!matches(d, f)) continue;
    matching++;
    if (rows.length < MAX_SHOWN) {
      const tr = decisionRow(d);
      if (fresh && fresh.has(d)) tr.classList.add('new');
      rows.push(tr);
    }
  }
  body.replaceChildren(...rows);
  el('shown-count').textContent = String(matching);
  el('decisions-empty').hidden = state.decisions.length > 0;
  const notes = [];
  if (matching > MAX_SHOWN) notes.push(`Showing the newest ${MAX_SHOWN} of ${matching}.`);
  if (matching < state.decisions.length) notes.push(`${state.decisions.length - matching} hidden by the filters.`);
  el('decisions-note').textContent = notes.join(' ');
}

function filterButton(name, value) {
  const b = text('button', value, 'link');
  b.type = 'button';
  b.title = `Show only ${value}`;
  b.addEventListener('click', () => {
    el(`filter-${name}`).value = value;
    renderDecisions(null);
  });
  return b;
}

function renderCounts() {
  const rules = [...state.ruleCounts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const ruleRows = rules.map(([rule, n]) => {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.appendChild(filterButton('rule', rule));
    tr.appendChild(td);
    tr.appendChild(text('td', String(n), 'num'));
    return tr;
  });
  if (!ruleRows.length) {
    const tr = document.createElement('tr');
    const td = text('td', 'No rule matched yet.', 'empty');
    td.colSpan = 2;
    tr.appendChild(td);
    ruleRows.push(tr);
  }
  el('rule-counts').tBodies[0].replaceChildren(...ruleRows);
  const agents = [...state.agentCounts.entries()].sort((a, b) => b[1].all - a[1].all || a[0].localeCompare(b[0]));
  el('agent-counts').tBodies[0].replaceChildren(...agents.map(([agent, c]) => {
    const tr = document.createElement('tr');
    tr.dataset.agent = agent;
    const td = document.createElement('td');
    td.appendChild(filterButton('source', agent));
    tr.appendChild(td);
    for (const k of ['all', 'allow', 'deny', 'escalate']) tr.appendChild(text('td', String(c[k]), 'num'));
    return tr;
  }));
}

// ---- approvals ----

async function loadApprovals() {
  // Only what was pending before the request can be judged stale by its answer: an approval that
  // arrives on the stream meanwhile may be newer than the list.
  const before = new Set(state.pending.keys());
  let body;
  try {
    const response = await fetch('v1/approvals', { headers: headers(), cache: 'no-store' });
    if (!response.ok) return;  // 404: a server without approvals; 401 is handled by the stream
    body = await response.json();
  } catch (_) {
    return;
  }
  if (!body || !Array.isArray(body.approvals)) return;
  const ids = new Set();
  for (const a of body.approvals) {
    if (!a || typeof a.id !== 'string') continue;
    ids.add(a.id);
    showPending(a);
  }
  for (const id of before) if (!ids.has(id)) removePending(id);
  renderApprovalCount();
}

function onApproval(a) {
  if (typeof a.id !== 'string') return;
  if (a.state === 'pending') {
    showPending(a);
    setStatus('live', `Live · an approval is waiting: ${str(a.decision && a.decision.summary).slice(0, 80)}`);
  } else {
    state.outcomes.set(a.id, { state: str(a.state), by: str(a.by) });
    removePending(a.id);
  }
  renderApprovalCount();
  for (const tr of el('decisions').querySelectorAll('tr[data-approval-id]')) {
    if (tr.dataset.approvalId !== a.id) continue;
    const note = tr.querySelector('.approval-note');
    if (note) note.textContent = approvalNote(a.id);
  }
}

function showPending(a) {
  if (state.pending.has(a.id) || state.outcomes.has(a.id)) return;
  const d = a.decision && typeof a.decision === 'object' ? a.decision : {};
  const li = document.createElement('li');
  li.dataset.approvalId = a.id;
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.appendChild(text('span', str(d.decision) || 'escalate', `badge ${str(d.decision) || 'escalate'}`));
  meta.append(` ${[str(d.source), str(d.developer), str(d.tool)].filter(Boolean).join(' · ')}`);
  li.appendChild(meta);
  li.appendChild(text('code', str(d.summary), 'summary'));
  const rules = list(d.rules).join(', ');
  // The reason names the rules already; the bare rule list only when there is no reason.
  if (str(d.reason) || rules) li.appendChild(text('div', str(d.reason) || rules, 'meta'));
  const actions = document.createElement('div');
  actions.className = 'actions';
  const label = str(d.summary).slice(0, 60) || a.id;
  const approve = text('button', 'Approve', 'approve');
  approve.type = 'button';
  approve.setAttribute('aria-label', `Approve ${label}`);
  const deny = text('button', 'Deny', 'deny');
  deny.type = 'button';
  deny.setAttribute('aria-label', `Deny ${label}`);
  const expires = text('span', '', 'expires');
  expires.dataset.expires = str(a.expires);
  const error = text('span', '', 'error');
  error.setAttribute('role', 'alert');
  approve.addEventListener('click', () => decide(a.id, 'approve', li));
  deny.addEventListener('click', () => decide(a.id, 'deny', li));
  actions.append(approve, deny, expires, error);
  li.appendChild(actions);
  el('approvals').appendChild(li);
  state.pending.set(a.id, { approval: a, li });
  tickExpiry();
}

function removePending(id) {
  const p = state.pending.get(id);
  if (!p) return;
  p.li.remove();
  state.pending.delete(id);
}

function renderApprovalCount() {
  el('approvals-count').textContent = String(state.pending.size);
  el('approvals-empty').hidden = state.pending.size > 0;
}

async function decide(id, verb, li) {
  const buttons = li.querySelectorAll('button');
  const error = li.querySelector('.error');
  buttons.forEach((b) => { b.disabled = true; });
  error.textContent = '';
  let response;
  try {
    response = await fetch(`v1/approvals/${encodeURIComponent(id)}/${verb}`, {
      method: 'POST',
      headers: headers({ 'Content-Type': 'application/json' }),
      body: '{}',
      cache: 'no-store',
    });
  } catch (e) {
    error.textContent = `Could not reach the server: ${e.message || e}`;
    buttons.forEach((b) => { b.disabled = false; });
    return;
  }
  if (response.ok) {
    let body = {};
    try { body = await response.json(); } catch (_) { /* the approval event will say */ }
    onApproval({ id, state: str(body.state) || (verb === 'approve' ? 'approved' : 'denied'), by: str(body.by) });
    return;
  }
  if (response.status === 401) {
    buttons.forEach((b) => { b.disabled = false; });
    askForKey('The server refused this key.');
    return;
  }
  if (response.status === 404 || response.status === 409) {
    error.textContent = 'Already decided or expired.';
    setTimeout(() => { removePending(id); renderApprovalCount(); }, 3000);
    return;
  }
  let message = `the server answered ${response.status}`;
  try { const body = await response.json(); if (body && body.error) message = body.error; } catch (_) { /* keep */ }
  error.textContent = message;
  buttons.forEach((b) => { b.disabled = false; });
}

function tickExpiry() {
  const now = Date.now();
  for (const { li } of state.pending.values()) {
    const span = li.querySelector('.expires');
    const at = Date.parse(span.dataset.expires);
    if (Number.isNaN(at)) { span.textContent = ''; continue; }
    const left = Math.round((at - now) / 1000);
    span.textContent = left > 0 ? `denied automatically in ${left} s` : 'expired';
  }
}

// ---- start ----

function start() {
  el('key-form').addEventListener('submit', onKeySubmit);
  el('forget-key').addEventListener('click', forgetKey);
  const form = el('filters');
  form.addEventListener('input', () => renderDecisions(null));
  form.addEventListener('change', () => renderDecisions(null));
  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('reset', () => setTimeout(() => renderDecisions(null), 0));
  for (const d of ['allow', 'deny', 'escalate', 'observe']) addOption('decision', d);
  setInterval(tickExpiry, 1000);
  renderDecisions(null);
  renderCounts();
  renderApprovalCount();
  connect();
}

document.addEventListener('DOMContentLoaded', start);
