// Seeded random generator of Cedar test cases within our subset (docs/cedar.md, tiers S1-S3).
//
// A case is {policies: [Policy AST], entities: [entity JSON], requests: [request]}; expressions
// are small ASTs (so the shrinker can simplify them) rendered to text by render.js. Data Longs
// are BigInt throughout, so values beyond ±2^53 stay exact. Never generated: extension
// functions or values, templates, getTag/hasTag (our parser rejects them as "unsupported").
'use strict';

// mulberry32: small, fast, good enough for test generation, and identical on every machine.
function makeRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return {
    next, int,
    pick: (arr) => arr[int(arr.length)],
    chance: (p) => next() < p,
    seed: () => int(0x7fffffff),
  };
}

// Seed of case `index` in a run: each case can be regenerated alone.
function caseSeed(runSeed, index) {
  let h = (runSeed ^ 0x9E3779B9) >>> 0;
  h = Math.imul(h ^ index, 0x85EBCA6B) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xC2B2AE35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const ENTITY_TYPES = ['User', 'Group', 'NS::Doc', 'Folder', 'A::B::Res'];
const ACTION_TYPES = ['Action', 'NS::Action'];
const IDS = ['alice', 'bob', '', 'ü', 'a b', '0', '*', 'x"y', '😀'];
const ACTION_IDS = ['view', 'edit', 'admin', 'all'];
// Characters for strings: ASCII, `*` and `\`, quotes, NFC vs NFD é, astral, CJK, controls.
const CHARS = ['a', 'b', 'c', 'a', 'b', '*', '\\', '"', "'", 'é', 'e\u0301', '😀', '中', ' ',
  '\n', '\t', '\0', 'A', '%', '/', '-', 'rm', ' -rf'];
const LONGS = [0n, 1n, -1n, 2n, 3n, 7n, 10n, -5n, 100n, 9223372036854775807n,
  -9223372036854775808n, 9223372036854775806n, 4611686018427387904n, 3037000499n, 3037000500n,
  9007199254740993n, -9007199254740993n, 4294967296n];
// Attribute names and the type their values usually have. Names that are not identifiers (or
// are reserved words) can only be read with ["..."]; `principal` is a keyword that is allowed.
const ATTRS = [['n', 'long'], ['m', 'long'], ['s', 'string'], ['t', 'string'], ['b', 'bool'],
  ['flag', 'bool'], ['tags', 'set_string'], ['nums', 'set_long'], ['r', 'record'],
  ['owner', 'entity'], ['friends', 'set_entity'], ['principal', 'string'], ['', 'string'],
  ['x y', 'long'], ['if', 'bool'], ['ü', 'string'], ['type', 'string'], ['id', 'string']];
const RESERVED = new Set(['true', 'false', 'if', 'then', 'else', 'in', 'like', 'has', 'is', '__cedar']);
const isIdent = (name) => /^[_a-zA-Z][_a-zA-Z0-9]*$/.test(name) && !RESERVED.has(name);
const VALUE_TYPES = ['long', 'string', 'bool', 'set_string', 'set_long', 'record', 'entity', 'set_entity'];

class CaseGen {
  constructor(seed, options = {}) {
    this.rng = makeRng(seed);
    this.maxDepth = options.maxDepth ?? 4;
    const r = this.rng;
    const types = shuffle(r, ENTITY_TYPES).slice(0, 2 + r.int(2));
    const ids = shuffle(r, IDS).slice(0, 3 + r.int(2));
    this.types = types;
    this.uids = [];
    for (const type of types) for (const id of ids) if (r.chance(0.6)) this.uids.push({ type, id });
    if (this.uids.length === 0) this.uids.push({ type: types[0], id: ids[0] });
    const actionType = r.pick(ACTION_TYPES);
    this.actions = ACTION_IDS.map((id) => ({ type: actionType, id }));
    this.strings = Array.from({ length: 4 }, () => this.randomString());
    this.attrs = shuffle(r, ATTRS).slice(0, 8).map(([name, type]) =>
      [name, r.chance(0.15) ? r.pick(VALUE_TYPES) : type]);
  }

  randomString() {
    const r = this.rng;
    let s = '';
    for (let n = r.int(6); n > 0; n--) s += r.pick(CHARS);
    return s;
  }

  // ---- data (entity attributes, context) ----
  value(type, depth = 2) {
    const r = this.rng;
    if (r.chance(0.08)) type = r.pick(VALUE_TYPES);
    switch (type) {
      case 'long': return this.long();
      case 'string': return r.chance(0.8) ? r.pick(this.strings) : this.randomString();
      case 'bool': return r.chance(0.5);
      case 'entity': return { __entity: r.chance(0.1) ? this.anyUid() : r.pick(this.uids) };
      case 'set_string': return this.list(() => this.value('string', 0));
      case 'set_long': return this.list(() => this.value('long', 0));
      case 'set_entity': return this.list(() => this.value('entity', 0));
      case 'record': {
        // A {type, id} record is a record, not an entity, without a schema (pitfall 5).
        if (r.chance(0.1)) { const u = r.pick(this.uids); return { type: u.type, id: u.id }; }
        return this.record(depth - 1);
      }
    }
    throw new Error(`unknown type ${type}`);
  }

  long() { return this.rng.chance(0.6) ? BigInt(this.rng.int(12) - 3) : this.rng.pick(LONGS); }

  list(make) { return Array.from({ length: this.rng.int(4) }, make); }

  record(depth) {
    const out = {};
    for (const [name, type] of this.attrs) {
      if (!this.rng.chance(0.5)) continue;
      out[name] = depth <= 0 && (type === 'record') ? this.value('long') : this.value(type, depth);
    }
    return out;
  }

  anyUid() { return this.rng.chance(0.5) ? { type: 'Other', id: 'zz' } : { type: this.rng.pick(this.types), id: 'nobody' }; }

  // Entities form a DAG (the reference rejects cycles): parents come later in this order.
  entities() {
    const r = this.rng;
    const out = [];
    const all = [...this.uids, ...this.actions];
    const order = shuffle(r, all);
    order.forEach((uid, i) => {
      if (!r.chance(0.85)) return;
      const isAction = this.actions.includes(uid);
      const later = order.slice(i + 1).filter((u) => this.actions.includes(u) === isAction);
      const parents = later.filter(() => r.chance(0.3));
      if (!isAction && r.chance(0.1)) parents.push(this.anyUid());  // a parent not in the store
      out.push({ uid: { ...uid }, attrs: isAction && r.chance(0.6) ? {} : this.record(2),
        parents: parents.map((p) => ({ ...p })) });
    });
    return out;
  }

  request() {
    const r = this.rng;
    const principal = r.chance(0.05) ? this.anyUid() : r.pick(this.uids);
    const resource = r.chance(0.05) ? this.anyUid() : r.pick(this.uids);
    return { principal: { ...principal }, action: { ...r.pick(this.actions) },
      resource: { ...resource }, context: this.record(2) };
  }

  // ---- policies ----
  policy() {
    const r = this.rng;
    const annotations = [];
    if (r.chance(0.2)) annotations.push(['id', `rule-${r.int(100)}`]);
    if (r.chance(0.1)) annotations.push(['advice', r.chance(0.5) ? null : r.pick(this.strings)]);
    const conditions = [];
    for (let n = r.int(3) + (r.chance(0.6) ? 1 : 0); n > 0; n--) {
      const body = r.chance(0.35) ? this.probe() : this.expr('bool', this.maxDepth);
      conditions.push({ kind: r.chance(0.7) ? 'when' : 'unless', body });
    }
    return {
      effect: r.chance(0.6) ? 'permit' : 'forbid', annotations,
      scope: { principal: this.scope(false), action: this.actionScope(), resource: this.scope(false) },
      conditions, comment: r.chance(0.1), rs: r.seed(),
    };
  }

  scope() {
    const r = this.rng;
    const uid = () => (r.chance(0.9) ? { ...r.pick(this.uids) } : this.anyUid());
    switch (r.int(6)) {
      case 0: case 1: return { op: 'All' };
      case 2: return { op: '==', uid: uid() };
      case 3: return { op: 'in', uid: uid() };
      case 4: return { op: 'is', type: r.pick(this.types) };
      default: return { op: 'is', type: r.pick(this.types), in: uid() };
    }
  }

  actionScope() {
    const r = this.rng;
    switch (r.int(4)) {
      case 0: return { op: 'All' };
      case 1: return { op: '==', uid: { ...r.pick(this.actions) } };
      case 2: return { op: 'in', uid: { ...r.pick(this.actions) } };
      default: return { op: 'in', set: shuffle(r, this.actions).slice(0, r.int(3)).map((u) => ({ ...u })) };
    }
  }

  // Expression of (usually) type `type`; sometimes deliberately of another type, for type errors.
  expr(type, depth) {
    const r = this.rng;
    if (r.chance(0.06)) type = r.pick(['bool', 'long', 'string', 'set', 'record', 'entity']);
    const leaf = depth <= 1 || r.chance(0.25);
    const sub = (t) => this.expr(t, depth - 1);
    const rs = r.seed();
    switch (type) {
      case 'bool': {
        if (leaf) return r.chance(0.5) ? { op: 'lit', v: r.chance(0.5) } : this.attr('bool');
        switch (r.int(18)) {
          case 0: return { op: r.pick(['<', '<=', '>', '>=']), a: sub('long'), b: sub('long') };
          case 16: return { op: r.pick(['<', '==', '>=']), a: this.arith(), b: sub('long') };
          case 1: case 2: {
            const t = r.pick(['long', 'string', 'entity', 'bool', 'set', 'record']);
            return { op: r.pick(['==', '!=']), a: sub(t), b: sub(r.chance(0.8) ? t : 'string') };
          }
          case 3: return { op: '!', a: sub('bool') };
          case 4: return { op: '&&', a: sub('bool'), b: sub('bool') };
          case 5: return { op: '||', a: sub('bool'), b: sub('bool') };
          case 6: case 7: return { op: 'like', a: r.chance(0.5) ? this.attr('string') : sub('string'), pattern: this.pattern() };
          case 8: return this.has(depth);
          case 9: {
            const b = r.chance(0.4) ? { op: 'set', elems: this.list(() => sub('entity')) } : sub('entity');
            return { op: 'in', a: sub('entity'), b };
          }
          case 10: return { op: 'is', a: sub('entity'), type: r.chance(0.9) ? r.pick(this.types) : 'Other',
            in: r.chance(0.4) ? sub('entity') : null };
          case 11: return { op: 'call', m: 'contains', a: sub('set'), args: [sub(r.pick(['long', 'string', 'entity']))] };
          case 12: return { op: 'call', m: r.pick(['containsAll', 'containsAny']), a: sub('set'), args: [sub('set')] };
          case 13: return { op: 'call', m: 'isEmpty', a: sub('set'), args: [] };
          case 14: return { op: 'if', c: sub('bool'), t: sub('bool'), e: sub('bool') };
          default: return this.attr('bool', depth);
        }
      }
      case 'long': {
        if (leaf) return r.chance(0.5) ? { op: 'lit', v: this.long() } : this.attr('long');
        switch (r.int(7)) {
          case 0: return { op: 'neg', a: sub('long') };
          case 1: case 2: return { op: r.pick(['+', '-', '*']), a: sub('long'), b: sub('long') };
          case 3: return { op: 'if', c: sub('bool'), t: sub('long'), e: sub('long') };
          case 4: return { op: 'lit', v: r.pick(LONGS) };
          default: return this.attr('long', depth);
        }
      }
      case 'string':
        if (leaf || r.chance(0.5)) return r.chance(0.5) ? { op: 'str', v: r.pick(this.strings), rs } : this.attr('string');
        return r.chance(0.5) ? this.attr('string', depth) : { op: 'if', c: sub('bool'), t: sub('string'), e: sub('string') };
      case 'set':
        if (leaf || r.chance(0.5)) return this.attr(r.pick(['set_string', 'set_long', 'set_entity']));
        return { op: 'set', elems: this.list(() => sub(r.pick(['long', 'string', 'entity', 'set']))) };
      case 'record':
        if (leaf || r.chance(0.4)) return r.chance(0.5) ? { op: 'var', name: 'context' } : this.attr('record');
        return { op: 'rec', entries: this.attrs.filter(() => r.chance(0.3)).map(([k, t]) => [k, sub(t.startsWith('set') ? 'set' : t)]), rs };
      case 'entity':
        if (r.chance(0.5)) return { op: 'var', name: r.pick(['principal', 'resource', 'principal', 'resource', 'action']) };
        if (leaf || r.chance(0.5)) return { op: 'uid', uid: r.chance(0.9) ? { ...r.pick(this.uids) } : this.anyUid() };
        return r.chance(0.6) ? this.attr('entity', depth) : { op: 'if', c: sub('bool'), t: sub('entity'), e: sub('entity') };
    }
    throw new Error(`unknown expression type ${type}`);
  }

  // A shallow condition on one feature, so that each feature is often evaluated, not hidden
  // behind a short-circuit or an earlier error.
  probe() {
    const r = this.rng;
    switch (r.int(4)) {
      case 0: return { op: r.pick(['<', '==', '>=', '!=']), a: this.arith(), b: { op: 'lit', v: this.long() } };
      case 1: return { op: 'like', a: this.attr('string'), pattern: this.pattern() };
      case 2: return this.has(2);
      default: return { op: 'in', a: { op: 'var', name: r.pick(['principal', 'resource']) },
        b: r.chance(0.5) ? this.expr('entity', 2) : { op: 'set', elems: this.list(() => this.expr('entity', 1)) } };
    }
  }

  // Arithmetic near the i64 limits, where overflow errors live.
  arith() {
    const r = this.rng;
    const edge = () => (r.chance(0.5) ? { op: 'lit', v: r.pick(LONGS) } : this.attr('long'));
    if (r.chance(0.25)) return { op: 'neg', a: edge() };
    return { op: r.pick(['+', '-', '*']), a: edge(), b: r.chance(0.5) ? edge() : { op: 'lit', v: this.long() } };
  }

  // `base.name` or `base["name"]` with a name usually holding `type`; sometimes a missing one.
  attr(type, depth = 1) {
    const r = this.rng;
    const fitting = this.attrs.filter(([, t]) => t === type);
    const name = r.chance(0.1) ? 'missing' : (fitting.length && r.chance(0.8) ? r.pick(fitting) : r.pick(this.attrs))[0];
    const base = this.base(depth);
    const bracket = !isIdent(name) || r.chance(0.25);
    return { op: 'get', a: base, name, bracket };
  }

  base(depth) {
    const r = this.rng;
    switch (r.int(6)) {
      case 0: case 1: return { op: 'var', name: 'context' };
      case 2: return { op: 'var', name: 'principal' };
      case 3: return { op: 'var', name: 'resource' };
      case 4: return { op: 'get', a: { op: 'var', name: r.pick(['context', 'principal']) }, name: r.chance(0.7) ? 'r' : 'owner', bracket: false };
      default: return depth > 1 && r.chance(0.5) ? this.expr('record', depth - 1) : { op: 'var', name: 'action' };
    }
  }

  has(depth) {
    const r = this.rng;
    const names = this.attrs.map(([n]) => n);
    let path;
    let form = 'ident';
    if (r.chance(0.25)) {
      path = [r.chance(0.7) ? 'r' : 'owner', r.pick(names.filter(isIdent).concat(['n']))];
      if (r.chance(0.3)) path.push(r.pick(['n', 's', 'r']));
      if (!path.every(isIdent)) path = ['r'];
    } else {
      const name = r.chance(0.1) ? 'missing' : r.pick(names);
      path = [name];
      form = !isIdent(name) || r.chance(0.3) ? 'string' : 'ident';
    }
    const a = r.chance(0.1) ? this.expr(r.pick(['long', 'string', 'set']), depth - 1) : this.base(depth);
    return { op: 'has', a, path, form };
  }

  // A `like` pattern: pieces of a pool string with some runs replaced by wildcards.
  pattern() {
    const r = this.rng;
    const source = [...(r.chance(0.8) ? r.pick(this.strings) : this.randomString())];
    const pieces = [];
    for (let i = 0; i < source.length;) {
      if (r.chance(0.25)) { pieces.push({ star: true }); i += r.int(3); continue; }
      pieces.push({ ch: source[i++] });
    }
    if (r.chance(0.3)) pieces.unshift({ star: true });
    if (r.chance(0.3)) pieces.push({ star: true });
    return { pieces, rs: r.seed() };
  }

  policies(count) { return Array.from({ length: count }, () => this.policy()); }
}

function shuffle(r, arr) {
  const out = arr.slice();
  for (let i = out.length - 1; i > 0; i--) { const j = r.int(i + 1); [out[i], out[j]] = [out[j], out[i]]; }
  return out;
}

// One case: 1-5 policies, an entity store, `requests` requests.
function generateCase(seed, requests, options) {
  const g = new CaseGen(seed, options);
  const policies = g.policies(1 + g.rng.int(5));
  // Half the sets hold an unconditional permit, as the packs do (forbid rules + allow-all).
  if (g.rng.chance(0.5)) {
    policies.splice(g.rng.int(policies.length + 1), 0, { effect: 'permit', annotations: [],
      scope: { principal: { op: 'All' }, action: { op: 'All' }, resource: { op: 'All' } }, conditions: [], rs: 1 });
  }
  const entities = g.entities();
  return { policies, entities, requests: Array.from({ length: requests }, () => g.request()) };
}

module.exports = { makeRng, caseSeed, generateCase, CaseGen, isIdent, CHARS, LONGS };
