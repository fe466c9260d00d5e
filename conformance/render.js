// Renders generated policy ASTs (gen.js) to Cedar text.
//
// Parentheses are added only where precedence requires them, so the text exercises the
// grammar's precedence rules. String literals and `like` patterns are written with a random but
// deterministic (per-node seed) mix of raw characters and escapes: \xHH, \u{...}, \n, \0, \*.
'use strict';

const { makeRng, isIdent } = require('./gen.js');

// Precedence levels, loosest first (docs/cedar.md "Grammar").
const IF = 0, OR = 1, AND = 2, REL = 3, ADD = 4, MUL = 5, UNARY = 6, MEMBER = 7;
// op -> [own level, minimum level of left operand, minimum level of right operand]
const BINARY = {
  '||': [OR, OR, AND], '&&': [AND, AND, REL],
  '==': [REL, ADD, ADD], '!=': [REL, ADD, ADD], '<': [REL, ADD, ADD], '<=': [REL, ADD, ADD],
  '>': [REL, ADD, ADD], '>=': [REL, ADD, ADD], 'in': [REL, ADD, ADD],
  '+': [ADD, ADD, MUL], '-': [ADD, ADD, MUL], '*': [MUL, MUL, UNARY],
};

const hex = (cp) => cp.toString(16);

// One character (code point) of a string literal, raw or escaped.
function charText(ch, r) {
  const cp = ch.codePointAt(0);
  switch (ch) {
    case '"': return '\\"';
    case '\\': return '\\\\';
    case '\r': return '\\r';
    case '\n': return r.chance(0.7) ? '\\n' : '\n';
    case '\t': return r.chance(0.5) ? '\\t' : '\t';
    case '\0': return r.pick(['\\0', '\\x00', '\\u{0}']);
    case "'": return r.chance(0.5) ? "\\'" : "'";
  }
  if (cp < 0x20 || cp === 0x7f) return `\\u{${hex(cp)}}`;
  if (cp < 0x80) {
    const roll = r.next();
    if (roll < 0.85) return ch;
    if (roll < 0.93) return `\\x${hex(cp).padStart(2, '0')}`;
    return `\\u{${hex(cp)}}`;
  }
  const roll = r.next();
  if (roll < 0.7) return ch;
  if (roll < 0.85) return `\\u{${hex(cp)}}`;
  if (roll < 0.95) return `\\u{${hex(cp).padStart(6, '0')}}`;
  const h = hex(cp);
  return `\\u{${h[0]}_${h.slice(1)}}`;  // underscores are allowed after the first digit
}

function stringText(s, rs) {
  const r = makeRng(rs);
  let out = '"';
  for (const ch of s) out += ch === '*' ? (r.chance(0.5) ? '*' : '\\x2a') : charText(ch, r);
  return out + '"';
}

// Pattern pieces: {star} is a wildcard (written `*`, `\u{2a}` or `\x2a`: all are wildcards),
// {ch} a literal character (a literal `*` must be written `\*`).
function patternText(pattern) {
  const r = makeRng(pattern.rs);
  let out = '"';
  for (const piece of pattern.pieces) {
    if (piece.star) out += r.chance(0.85) ? '*' : r.pick(['\\u{2a}', '\\x2a', '\\u{002A}']);
    else if (piece.ch === '*') out += '\\*';
    else out += charText(piece.ch, r);
  }
  return out + '"';
}

const uidText = (uid) => `${uid.type}::${stringText(uid.id, 1)}`;

function longText(v) { return v < 0n ? [`-${-v}`, UNARY] : [String(v), MEMBER]; }

function wrap(node, min) {
  const [text, level] = render(node);
  return level >= min ? text : `(${text})`;
}

// [text, precedence level] of an expression node.
function render(n) {
  switch (n.op) {
    case 'lit':
      return typeof n.v === 'bigint' ? longText(n.v) : [String(n.v), MEMBER];
    case 'str': return [stringText(n.v, n.rs), MEMBER];
    case 'var': return [n.name, MEMBER];
    case 'uid': return [uidText(n.uid), MEMBER];
    case '!': return [`!${wrap(n.a, MEMBER)}`, UNARY];
    case 'neg':
      // `-` on a non-negative literal is written `-N` (so -9223372036854775808 is the literal).
      if (n.a.op === 'lit' && typeof n.a.v === 'bigint' && n.a.v >= 0n) return [`-${n.a.v}`, UNARY];
      return [`-${wrap(n.a, MEMBER)}`, UNARY];
    case 'has': {
      const path = n.form === 'string' ? stringText(n.path[0], 7) : n.path.join('.');
      return [`${wrap(n.a, ADD)} has ${path}`, REL];
    }
    case 'like': return [`${wrap(n.a, ADD)} like ${patternText(n.pattern)}`, REL];
    case 'is': return [`${wrap(n.a, ADD)} is ${n.type}${n.in ? ` in ${wrap(n.in, ADD)}` : ''}`, REL];
    case 'if': return [`if ${wrap(n.c, IF)} then ${wrap(n.t, IF)} else ${wrap(n.e, IF)}`, IF];
    case 'get':
      return [wrap(n.a, MEMBER) + (n.bracket || !isIdent(n.name) ? `[${stringText(n.name, 3)}]` : `.${n.name}`), MEMBER];
    case 'call': return [`${wrap(n.a, MEMBER)}.${n.m}(${n.args.map((x) => wrap(x, IF)).join(', ')})`, MEMBER];
    case 'set': return [`[${n.elems.map((x) => wrap(x, IF)).join(', ')}]`, MEMBER];
    case 'rec': {
      const r = makeRng(n.rs ?? 5);
      const key = (k) => (isIdent(k) && r.chance(0.6) ? k : stringText(k, 11));
      return [`{${n.entries.map(([k, v]) => `${key(k)}: ${wrap(v, IF)}`).join(', ')}}`, MEMBER];
    }
  }
  const binary = BINARY[n.op];
  if (binary) return [`${wrap(n.a, binary[1])} ${n.op} ${wrap(n.b, binary[2])}`, binary[0]];
  throw new Error(`cannot render node ${n.op}`);
}

function scopeText(name, s) {
  switch (s.op) {
    case 'All': return name;
    case '==': return `${name} == ${uidText(s.uid)}`;
    case 'in': return s.set ? `${name} in [${s.set.map(uidText).join(', ')}]` : `${name} in ${uidText(s.uid)}`;
    case 'is': return `${name} is ${s.type}${s.in ? ` in ${uidText(s.in)}` : ''}`;
  }
  throw new Error(`bad scope ${s.op}`);
}

function policyText(p) {
  const r = makeRng(p.rs ?? 1);
  let out = p.comment ? '// generated policy; a "quoted" comment\n' : '';
  for (const [key, value] of p.annotations) out += value === null ? `@${key}\n` : `@${key}(${stringText(value, 9)})\n`;
  const sep = r.chance(0.3) ? ',\n  ' : ', ';
  const trailing = r.chance(0.1) ? ',' : '';
  out += `${p.effect}(${scopeText('principal', p.scope.principal)}${sep}${scopeText('action', p.scope.action)}${sep}${scopeText('resource', p.scope.resource)}${trailing})`;
  for (const c of p.conditions) out += `\n${c.kind} { ${render(c.body)[0]} }`;
  return out + ';\n';
}

const policySetText = (policies) => policies.map(policyText).join('\n');

module.exports = { render, policyText, policySetText, stringText, patternText, uidText };
