// Minimal reproducers for disagreements between vectimus and the reference.
//
// Greedy delta debugging over the structured case (policy ASTs, entity JSON, one request):
// try one simplification at a time (drop a policy, condition, scope constraint, entity, parent,
// attribute, context key; replace an expression by one of its children or by a literal; shorten
// strings and patterns) and keep it only if vectimus still disagrees with the reference, which
// is asked afresh for every candidate. Stops when nothing simplifies further or time runs out.
'use strict';

const CHILD_KEYS = ['a', 'b', 'c', 't', 'e', 'in'];
const clone = (x) => structuredClone(x);

function getAt(obj, p) { return p.reduce((o, k) => o[k], obj); }
function setAt(obj, p, value) { getAt(obj, p.slice(0, -1))[p[p.length - 1]] = value; }

// Paths of every expression node under `node` (pre-order).
function exprPaths(node, p, out) {
  out.push(p);
  for (const k of CHILD_KEYS) if (node[k] && node[k].op) exprPaths(node[k], [...p, k], out);
  for (const k of ['elems', 'args']) (node[k] || []).forEach((x, i) => exprPaths(x, [...p, k, i], out));
  (node.entries || []).forEach((e, i) => exprPaths(e[1], [...p, 'entries', i, 1], out));
  return out;
}

function childPaths(node, p) {
  const out = [];
  for (const k of CHILD_KEYS) if (node[k] && node[k].op) out.push([...p, k]);
  for (const k of ['elems', 'args']) (node[k] || []).forEach((_, i) => out.push([...p, k, i]));
  (node.entries || []).forEach((_, i) => out.push([...p, 'entries', i, 1]));
  return out;
}

const LITERALS = [{ op: 'lit', v: true }, { op: 'lit', v: false }, { op: 'lit', v: 0n }, { op: 'str', v: '', rs: 1 }];

// Shorter versions of a string: halves, then one character less.
function shorter(s) {
  const cps = [...s];
  if (cps.length === 0) return [];
  const out = [cps.slice(cps.length >> 1).join(''), cps.slice(0, cps.length >> 1).join('')];
  for (let i = 0; i < cps.length; i++) out.push([...cps.slice(0, i), ...cps.slice(i + 1)].join(''));
  return [...new Set(out)];
}

// Simplifications of a JSON data value (entity attribute or context entry).
function* valueEdits(holder, key) {
  const v = holder[key];
  if (typeof v === 'string') for (const s of shorter(v)) yield (h) => { h[key] = s; };
  else if (typeof v === 'bigint' && v !== 0n) yield (h) => { h[key] = 0n; };
  else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield (h) => { h[key].splice(i, 1); };
  else if (v && typeof v === 'object' && !v.__entity) for (const k of Object.keys(v)) yield (h) => { delete h[key][k]; };
}

// Every candidate edit of the case, coarse ones first; each is a function mutating a clone.
function* edits(kase) {
  const { policies, entities } = kase;
  const request = kase.requests[0];
  for (let i = 0; i < policies.length && policies.length > 1; i++) yield (c) => { c.policies.splice(i, 1); };
  for (let i = 0; i < entities.length; i++) yield (c) => { c.entities.splice(i, 1); };
  for (const k of Object.keys(request.context)) yield (c) => { delete c.requests[0].context[k]; };
  for (const [i, p] of policies.entries()) {
    for (let j = 0; j < p.conditions.length; j++) yield (c) => { c.policies[i].conditions.splice(j, 1); };
    for (const part of ['principal', 'action', 'resource']) {
      if (p.scope[part].op !== 'All') yield (c) => { c.policies[i].scope[part] = { op: 'All' }; };
      if (p.scope[part].in && p.scope[part].op === 'is') yield (c) => { delete c.policies[i].scope[part].in; };
    }
    if (p.annotations.length || p.comment) yield (c) => { c.policies[i].annotations = []; c.policies[i].comment = false; };
  }
  for (const [i, e] of entities.entries()) {
    for (let j = 0; j < e.parents.length; j++) yield (c) => { c.entities[i].parents.splice(j, 1); };
    for (const k of Object.keys(e.attrs)) yield (c) => { delete c.entities[i].attrs[k]; };
  }
  for (const [i, p] of policies.entries()) {
    for (const [j, cond] of p.conditions.entries()) {
      const base = ['policies', i, 'conditions', j, 'body'];
      for (const np of exprPaths(cond.body, base, [])) {
        const node = getAt(kase, np);
        for (const cp of childPaths(node, np)) yield (c) => { setAt(c, np, clone(getAt(c, cp))); };
        for (const lit of LITERALS) {
          if (node.op === lit.op && (node.v === lit.v || lit.op === 'str')) continue;
          yield (c) => { setAt(c, np, clone(lit)); };
        }
        if (node.op === 'str') for (const s of shorter(node.v)) yield (c) => { getAt(c, np).v = s; };
        if (node.op === 'like') {
          for (let k = 0; k < node.pattern.pieces.length; k++) yield (c) => { getAt(c, np).pattern.pieces.splice(k, 1); };
        }
        for (const k of ['elems', 'args', 'entries']) {
          for (let x = 0; x < (node[k] || []).length && k !== 'args'; x++) yield (c) => { getAt(c, np)[k].splice(x, 1); };
        }
        if (node.op === 'has' && node.path.length > 1) yield (c) => { getAt(c, np).path.pop(); };
      }
    }
  }
  for (const [i, e] of entities.entries()) {
    for (const k of Object.keys(e.attrs)) for (const ed of valueEdits(e.attrs, k)) yield (c) => ed(c.entities[i].attrs);
  }
  for (const k of Object.keys(request.context)) for (const ed of valueEdits(request.context, k)) yield (c) => ed(c.requests[0].context);
}

// kase has exactly one request. stillFails(candidate) -> truthy when vectimus still disagrees.
// Returns {kase, steps, tries, timedOut}.
function shrink(kase, stillFails, budgetMs) {
  const deadline = Date.now() + budgetMs;
  let steps = 0;
  let tries = 0;
  for (let progress = true; progress;) {
    progress = false;
    for (const edit of edits(kase)) {
      if (Date.now() > deadline) return { kase, steps, tries, timedOut: true };
      const candidate = clone(kase);
      edit(candidate);
      tries++;
      if (stillFails(candidate)) { kase = candidate; steps++; progress = true; break; }
    }
  }
  return { kase, steps, tries, timedOut: false };
}

module.exports = { shrink };
