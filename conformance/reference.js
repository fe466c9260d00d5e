// The reference Cedar implementation (@cedar-policy/cedar-wasm 4.13.0), wrapped for the suite.
//
// Works around the binding's pitfalls (docs/cedar.md, "Pitfalls of the reference"):
//  * Longs beyond ±2^53 stay BigInt in our data; during each call the global JSON.stringify
//    (which the binding uses to serialise its argument) writes BigInt as plain integers, and
//    behaves as the original otherwise. JSON.rawJSON is deliberately not used.
//  * every call is wrapped in try/catch: the binding throws on input it cannot serialise.
//  * answers are normalised to {ok, decision, reason[], errors[]} with ids sorted (they are sets).
'use strict';

// Node 20's V8 crashes ("Fatal error … unreachable code" in Deoptimizer::
// DoComputeBuiltinContinuation) when optimised code that inlined a JS->Wasm call is lazily
// deoptimised while the call is on the stack; it happened within ~1,000 corpus tests. Turning
// the inlining off before any code is optimised avoids it (same effect as the command-line flag).
require('v8').setFlagsFromString('--no-turbo-inline-js-wasm-calls');

let cedar;
try {
  cedar = require('@cedar-policy/cedar-wasm/nodejs');
} catch (e) {
  console.log(`FAIL: the reference Cedar implementation is not installed (${e.code || e.message}); ` +
    `run \`npm ci --prefix conformance\` in the repository first`);
  process.exit(1);
}

const originalStringify = JSON.stringify;

// JSON text for plain data, BigInt written as an integer. Mirrors JSON.stringify for the value
// kinds that test data holds (objects, arrays, strings, numbers, booleans, null, undefined).
function stringifyBig(value) {
  switch (typeof value) {
    case 'bigint': return value.toString();
    case 'string': case 'number': case 'boolean': return originalStringify(value);
    case 'undefined': case 'function': return undefined;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const text = stringifyBig(value[i]);
      out += (i ? ',' : '') + (text === undefined ? 'null' : text);
    }
    return out + ']';
  }
  if (typeof value.toJSON === 'function') return stringifyBig(value.toJSON());
  // Plain loops only: a deoptimisation inside a builtin's callback (Array.prototype.map) while
  // the binding is on the stack crashed V8 20 ("unreachable code" in the Deoptimizer).
  let out = '{';
  let first = true;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const text = stringifyBig(value[keys[i]]);
    if (text === undefined) continue;
    out += (first ? '' : ',') + originalStringify(keys[i]) + ':' + text;
    first = false;
  }
  return out + '}';
}

// Runs fn with the BigInt-aware JSON.stringify in force; never throws. The global is replaced
// once, by a dispatcher that behaves as the original unless `bigIntMode` is on: reassigning
// JSON.stringify around every call invalidated optimised code that depended on it, and the
// resulting lazy deoptimisation crashed Node 20's V8 ("unreachable code" in the Deoptimizer).
let bigIntMode = false;
JSON.stringify = function stringify(value, replacer, space) {
  if (bigIntMode && replacer === undefined && space === undefined) return stringifyBig(value);
  return originalStringify(value, replacer, space);
};
function guarded(fn) {
  bigIntMode = true;
  try {
    return { value: fn() };
  } catch (e) {
    return { thrown: String(e && e.message ? e.message : e) };
  } finally {
    bigIntMode = false;
  }
}

// JSON.parse that keeps integers outside the safe range exact, as BigInt.
function parseJsonBig(text) {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const fail = (what) => { throw new SyntaxError(`bad JSON at ${i}: ${what}`); };
  function value() {
    ws();
    const c = text[i];
    if (c === '{') {
      i++; const obj = {}; ws();
      if (text[i] === '}') { i++; return obj; }
      for (;;) {
        ws(); if (text[i] !== '"') fail('expected key');
        const key = str(); ws(); if (text[i++] !== ':') fail('expected :');
        obj[key] = value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i++] === '}') return obj;
        fail('expected , or }');
      }
    }
    if (c === '[') {
      i++; const arr = []; ws();
      if (text[i] === ']') { i++; return arr; }
      for (;;) {
        arr.push(value()); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i++] === ']') return arr;
        fail('expected , or ]');
      }
    }
    if (c === '"') return str();
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (m) {
      i += m[0].length;
      if (m[2] || m[3]) return Number(m[0]);
      const n = Number(m[0]);
      return Number.isSafeInteger(n) ? n : BigInt(m[0]);
    }
    for (const [word, v] of [['true', true], ['false', false], ['null', null]]) {
      if (text.startsWith(word, i)) { i += word.length; return v; }
    }
    return fail('unexpected character');
  }
  function str() {
    const start = i++;
    while (text[i] !== '"') { if (i >= text.length) fail('unterminated string'); i += text[i] === '\\' ? 2 : 1; }
    i++;
    return JSON.parse(text.slice(start, i));
  }
  const result = value(); ws();
  if (i !== text.length) fail('trailing characters');
  return result;
}

function normalise(raw) {
  if (raw.thrown !== undefined) return { ok: false, message: `binding threw: ${raw.thrown}` };
  const answer = raw.value;
  if (answer.type !== 'success') {
    return { ok: false, message: (answer.errors || []).map((e) => e.message).join('; ') };
  }
  const d = answer.response.diagnostics;
  return {
    ok: true,
    decision: answer.response.decision,
    reason: [...new Set(d.reason)].sort(),
    errors: [...new Set(d.errors.map((e) => e.policyId))].sort(),
    messages: d.errors.map((e) => `${e.policyId}: ${e.error.message}`),
  };
}

// request: {principal, action, resource, context, entities}; policies: policy-set text.
function isAuthorized(request, policiesText) {
  return normalise(guarded(() => cedar.isAuthorized({
    ...request, policies: { staticPolicies: policiesText },
  })));
}

// Parses a policy set once; returns null on success or an error message.
function preparse(id, policiesText) {
  const raw = guarded(() => cedar.preparsePolicySet(id, { staticPolicies: policiesText }));
  if (raw.thrown !== undefined) return `binding threw: ${raw.thrown}`;
  if (raw.value.type !== 'success') return (raw.value.errors || []).map((e) => e.message).join('; ');
  return null;
}

function statefulIsAuthorized(request, preparsedId) {
  return normalise(guarded(() => cedar.statefulIsAuthorized({
    ...request, preparsedPolicySetId: preparsedId,
  })));
}

// {accept: bool, message}
function checkParse(policiesText) {
  const raw = guarded(() => cedar.checkParsePolicySet({ staticPolicies: policiesText }));
  if (raw.thrown !== undefined) return { accept: false, message: `binding threw: ${raw.thrown}` };
  if (raw.value.type === 'success') return { accept: true, message: '' };
  return { accept: false, message: (raw.value.errors || []).map((e) => e.message).join('; ') };
}

module.exports = {
  cedar, version: cedar.getCedarVersion(), stringifyBig, parseJsonBig,
  isAuthorized, preparse, statefulIsAuthorized, checkParse,
};
