// Policy texts for the parse-agreement test (parse.js): hand-picked edge cases of the Cedar
// grammar (docs/cedar.md, "Parser facts"), generated valid sets, and mutations of them.
'use strict';

const { caseSeed, generateCase, makeRng } = require('./gen.js');
const { policySetText } = require('./render.js');

const P = 'permit(principal, action, resource)';
const when = (body) => `${P} when { ${body} };`;

// Edge cases, each a whole policy-set text; the reference decides which are valid.
const CURATED = [
  '', '// only a comment', `${P};`, `${P};;`, `${P}`, `${P} ;`, `forbid (principal,action,resource)unless{false};`,
  `permit(principal, action, resource,);`, `permit(principal, action);`, `permit(principal, action, resource, context);`,
  `permit(resource, action, principal);`, `Permit(principal, action, resource);`, `${P} advice { true };`,
  `${P} when {};`, `${P} when { true } unless { false } when { true };`, `${P} /* c */;`,
  when('context.if'), when('context["if"]'), when('context.principal'), when('context.permit'), when('context.then'),
  when('context.__cedar'), when('context has permit'), when('context has if'), when('context has "if"'),
  when('context has a.b.c'), when('context has a.if'), when('context has "a".b'), when('context has a."b"'),
  when('1 == 1 == true'), when('1 < 2 < 3'), when('principal in User::"a" in User::"b"'),
  when('!!!!true'), when('!!!!!true'), when('----1 == 1'), when('-----1 == 1'), when('- - - - 1 == 1'),
  when('1 - -1 == 2'), when('1 + + 1 == 2'), when('"a" like context.y'), when('"a" like ("a")'), when('"a" like "\\*"'),
  when('"*" like "\\*"'), when('"\\*" == "*"'), when('"a\\\\\\*b" like "a\\\\\\*b"'), when('"x" like "\\u{2a}"'),
  when('"\\q" == ""'), when('"\\x80" == ""'), when('"\\x7f" == ""'), when('"\\x7F" == ""'), when('"\\x2" == ""'),
  when('"\\u{110000}" == ""'), when('"\\u{10FFFF}" == ""'), when('"\\u{D800}" == ""'), when('"\\u{}" == ""'),
  when('"\\u{1234567}" == ""'), when('"\\u{_1}" == ""'), when('"\\u{1_}" == ""'), when('"\\u{e_9}" == "é"'),
  when('"\\u0041" == "A"'), when('"\\\'" == "\'"'), when('"\\0" == ""'), when('"a\nb" == ""'), when('"a\rb" == ""'),
  when('"a\\\nb" == ""'), when('"\\u{1F600}" == "😀"'), when('"é" like "é*"'),
  when('9223372036854775807 == 1'), when('9223372036854775808 == 1'), when('-9223372036854775808 == 1'),
  when('-9223372036854775809 == 1'), when('-(9223372036854775808) == 1'), when('00 == 0'), when('1.5 == 1'),
  when('true && if true then true else false'), when('if true then 1 else 2 == 1'), when('if true then 1'),
  when('foo(1)'), when('[].foo()'), when('[1].contains(1,)'), when('[1, 2,] == [1, 2]'), when('{a: 1,} == {a: 1}'),
  when('{"a": 1, "a": 2} == {}'), when('{a: 1, "a": 2} == {}'), when('{if: 1} == {}'), when('{principal: 1} == {}'),
  when('{1: 1} == {}'), when('[,] == []'), when('{,} == {}'), when('context.a.contains'), when('context.isEmpty()'),
  when('context.a.isEmpty(1)'), when('context["a"]["b"]'), when('context[a]'), when('context[0]'), when('context.a.b.c'),
  when('((((((((((true))))))))))'), when('1 / 2 == 0'), when('1 % 2 == 0'), when('a = 1'), when('a'),
  when('context.a * context.b == 1'), when('2 * context.a * 3 == 1'), when('User::"a"'), when('User :: "a" == User::"a"'),
  when('User::a'), when('::User::"a" == principal'), when('__cedar::X::"a" == principal'), when('principal is __cedar'),
  when('principal is User in Group::"g"'), when('principal is User::"a"'), when('principal is User in [Group::"g"]'),
  when('principal in []'), when('principal in [User::"a",]'), when('User::"a" is User'), when('true || true && false'),
  when('! true'), when('-context.n'), when('context.n.-1'), when('context has'), when('has a'), when('context like "a"'),
  when('principal == resource == action'), when('[1,2].containsAll([1]) && [1].containsAny([])'),
  'permit(principal, action == User::"a", resource);', 'permit(principal, action == Action::"a", resource);',
  'permit(principal, action == NS::Action::"a", resource);', 'permit(principal, action == NS::Action, resource);',
  'permit(principal, action in [Action::"a", Action::"b",], resource);', 'permit(principal, action in [], resource);',
  'permit(principal, action in [User::"a"], resource);', 'permit(principal, action == [Action::"a"], resource);',
  'permit(principal, action is Action, resource);', 'permit(principal in [User::"a"], action, resource);',
  'permit(principal is User in Group::"g", action, resource is Doc);', 'permit(principal is User, action, resource is NS::Doc in NS::F::"x");',
  'permit(principal == User, action, resource);', 'permit(principal == User::"a"::"b", action, resource);',
  'permit(principal == User::"a", action, resource == User::"b",);', 'permit(principal is User in ?principal, action, resource);',
  'permit(principal == ?principal, action, resource);', 'permit(principal, action, resource in ?resource);',
  '@id("a") @id("b") permit(principal, action, resource);', '@id("a") @ID("b") permit(principal, action, resource);',
  '@ns::a("x") permit(principal, action, resource);', '@id permit(principal, action, resource);', '@id() permit(principal, action, resource);',
  '@if("x") permit(principal, action, resource);', '@permit("x") permit(principal, action, resource);', '@id(1) permit(principal, action, resource);',
  '@id("a\\q") permit(principal, action, resource);', '@a("x")@b("y")permit(principal,action,resource);',
  when('ip("1.2.3.4").isIpv4()'), when('decimal("1.0").lessThan(decimal("2.0"))'), when('principal.getTag("a") == 1'),
  when('principal.hasTag("a")'), when('context.d.offset(duration("1h")) == context.d'), when('ip(1) == 1'),
  `${P} when { true }\r\n;`, `${P}\u00a0when { true };`, `${P}\u2003when { true };`, `${P}\u3000when { true };`,
  `${P}\u000bwhen { true };`, `${P}\u000cwhen { true };`, `${P}\ufeffwhen { true };`, `${P}\u2028when { true };`,
  `\ufeff${P};`, `${P}; // trailing comment`, `${P}; // comment\r`, `${P} when { true // c\n };`,
  `${P} when { "//" == "/" + "/" };`, when('if true then 5else 6'), when('0has a'), when('1in []'),
  when('"a"like"*"'), when('true&&false||1<2'), when('context.a.b'), when('1is User'), when('-1-1==-2'), `${P} when { principal };\n${P} when { 1 };`,
];

// Tokens of a policy text (strings, identifiers, numbers, two-character operators, anything else
// one code point at a time). Joining the tokens gives back the text exactly.
function tokens(text) {
  return text.match(/"(?:\\[\s\S]|[^"\\])*"?|\/\/[^\n\r]*|[_a-zA-Z][_a-zA-Z0-9]*|[0-9]+|==|!=|<=|>=|&&|\|\||::|\s+|[\s\S]/gu) || [];
}

const INSERTS = ['(', ')', '"', '\\', ';', ',', '{', '}', '[', ']', '.', ':', '::', '!', '-', '*', '@', ' ', '\n', '\r',
  'é', '/', '%', '=', '&', '|', '<', 'if ', ' in ', ' has ', ' like ', 'principal', '?principal', 'true', '9223372036854775808',
  '"\\q"', '"\\x80"', '"\\*"', '.if', '\\*', '\\u{2a}', '\\x41', '\\u{110000}', '@id("x")', 'when { true }', '0', '::"a"'];

// A random mutation of a valid text, at code-point or token granularity (never splitting a
// surrogate pair, which the binding cannot serialise).
function mutate(text, r) {
  const toks = tokens(text);
  const cps = [...text];
  const at = (n) => r.int(n + 1);
  switch (r.int(8)) {
    case 0: { const i = r.int(cps.length || 1); cps.splice(i, 1); return cps.join(''); }
    case 1: { cps.splice(at(cps.length), 0, r.pick(INSERTS)); return cps.join(''); }
    case 2: { const i = r.int(cps.length || 1); cps[i] = r.pick(INSERTS); return cps.join(''); }
    case 3: { toks.splice(r.int(toks.length || 1), 1); return toks.join(''); }
    case 4: { const i = r.int(toks.length || 1); toks.splice(i, 0, toks[i] ?? ''); return toks.join(''); }
    case 5: { const i = r.int(Math.max(toks.length - 1, 1)); [toks[i], toks[i + 1]] = [toks[i + 1] ?? '', toks[i]]; return toks.join(''); }
    case 6: { const i = r.int(toks.length || 1); toks[i] = r.pick(INSERTS); return toks.join(''); }
    default: { const i = r.int(toks.length || 1); toks.splice(i, 0, r.pick(toks)); return toks.join(''); }
  }
}

// count texts: the curated ones, then alternately a generated valid set and 1-2 mutations of it.
function* texts(seed, count) {
  let n = 0;
  for (const t of CURATED) { if (n++ >= count) return; yield { text: t, origin: 'curated' }; }
  const r = makeRng(seed ^ 0x5A5A5A5A);
  for (let i = 0; n < count; i++) {
    const kase = generateCase(caseSeed(seed, 1000000 + i), 0, { maxDepth: 3 });
    const valid = policySetText(kase.policies.slice(0, 1 + r.int(2)));
    n++; yield { text: valid, origin: 'generated' };
    for (let m = 1 + r.int(3); m > 0 && n < count; m--) {
      let t = mutate(valid, r);
      if (r.chance(0.3)) t = mutate(t, r);
      n++; yield { text: t, origin: 'mutated' };
    }
  }
}

module.exports = { texts, CURATED, tokens };
