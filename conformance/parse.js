// Parse agreement: does our parser accept exactly the policy texts that the reference accepts?
//
// Usage: node parse.js --check PATH_TO_vectimus_parse_check [--texts N]
//   VECTIMUS_CONFORMANCE_SEED / VECTIMUS_CONFORMANCE_LONG as in differential.js
//   (default 6,000 texts; long mode 200,000).
// Texts come from parse_texts.js (curated edge cases, generated valid sets, mutations). The
// reference's verdict is checkParsePolicySet; ours comes from vectimus_parse_check.
//
// The "unsupported" rule. Our parser rejects extension functions, templates and getTag/hasTag
// with code "unsupported" although Cedar accepts them. Such a rejection is agreement only when
// the text contains one of those features (OUT_OF_SUBSET below, a regular expression over the
// text: it may excuse slightly too much, never too little); then the reference's verdict does
// not matter. Without such a feature, "unsupported" is a disagreement even when the reference
// rejects too: the test runner skips an "unsupported" policy set instead of failing it, so a
// wrong "unsupported" could hide a real syntax difference. Every other verdict of ours
// (accept, or reject with any other code) must match the reference's accept/reject exactly.
'use strict';

const { spawnSync } = require('child_process');
const ref = require('./reference.js');
const { texts, tokens } = require('./parse_texts.js');

const DEFAULT_SEED = 20240917;
const BATCH = 2000;
const MAX_SHRUNK = 5;
const SHRINK_BUDGET_MS = 10000;
const OUT_OF_SUBSET = /\?[A-Za-z_]|\b(ip|decimal|datetime|duration|getTag|hasTag|isIpv4|isIpv6|isLoopback|isMulticast|isInRange|lessThan|lessThanOrEqual|greaterThan|greaterThanOrEqual|offset|durationSince|toDate|toTime|toDays|toHours|toMinutes|toSeconds|toMilliseconds)\b/;

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--check') args.check = argv[++i];
    else if (argv[i] === '--texts') args.texts = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!args.check) throw new Error('usage: parse.js --check PATH_TO_vectimus_parse_check [--texts N]');
  return args;
}

// Our verdicts ("accept", "reject <code>", or "crash ...") for a list of texts.
function ours(check, list) {
  const verdicts = [];
  while (verdicts.length < list.length) {
    const rest = list.slice(verdicts.length);
    const input = Buffer.concat(rest.flatMap((t) => { const b = Buffer.from(t, 'utf8'); return [Buffer.from(`${b.length}\n`), b]; }));
    const run = spawnSync(check, [], { input, maxBuffer: 64 * 1024 * 1024, timeout: 120000 });
    if (run.error) throw new Error(`cannot run ${check}: ${run.error.message}`);
    const lines = run.stdout.toString('utf8').split('\n').filter((l) => l);
    verdicts.push(...lines.slice(0, rest.length));
    if (lines.length < rest.length) {
      // The tool died on the next text: record that and go on after it.
      verdicts.push(`crash (${run.signal || `exit ${run.status}`}: ${run.stderr.toString('utf8').trim().slice(0, 200)})`);
    }
  }
  return verdicts;
}

// null when the verdicts agree, else a short description of the disagreement.
function disagreement(text, theirs, mine) {
  if (mine.startsWith('crash')) return `our parser crashed: ${mine}`;
  if (mine === 'reject unsupported') {
    return OUT_OF_SUBSET.test(text) ? null
      : `we say unsupported though the text uses no out-of-subset feature (reference ${theirs.accept ? 'accepts' : 'rejects'})`;
  }
  if (theirs.accept === (mine === 'accept')) return null;
  return theirs.accept ? `reference accepts, we ${mine}` : `reference rejects, we accept (${theirs.message})`;
}

// Delta debugging: remove chunks of tokens, then of code points, while the same kind of
// disagreement remains (removing whole tokens keeps a text valid far more often).
function shrinkText(check, text, kind) {
  const deadline = Date.now() + SHRINK_BUDGET_MS;
  const same = (t, mine) => { const d = disagreement(t, ref.checkParse(t), mine); return d !== null && d.split(' (')[0] === kind.split(' (')[0]; };
  const ddmin = (units) => {
    for (let n = 2; units.length > 1 && Date.now() < deadline;) {
      const chunk = Math.ceil(units.length / n);
      const candidates = [];
      for (let i = 0; i < units.length; i += chunk) candidates.push([...units.slice(0, i), ...units.slice(i + chunk)]);
      const verdicts = ours(check, candidates.map((c) => c.join('')));
      const found = candidates.findIndex((c, i) => same(c.join(''), verdicts[i]));
      if (found >= 0) { units = candidates[found]; n = Math.max(n - 1, 2); continue; }
      if (chunk === 1) break;
      n = Math.min(n * 2, units.length);
    }
    return units.join('');
  };
  return ddmin([...ddmin(tokens(text))]);
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const seed = process.env.VECTIMUS_CONFORMANCE_SEED ? Number(process.env.VECTIMUS_CONFORMANCE_SEED) >>> 0 : DEFAULT_SEED;
  const count = args.texts ?? (process.env.VECTIMUS_CONFORMANCE_LONG === '1' ? 200000 : 6000);
  console.log(`parse agreement: seed ${seed}, ${count} texts; reference cedar-wasm ${ref.version}`);
  const started = Date.now();
  const tally = { texts: 0, refAccepts: 0, agreeAccept: 0, agreeReject: 0, unsupportedOk: 0 };
  const byOrigin = {};
  const found = [];
  let batch = [];
  const flush = () => {
    const verdicts = ours(args.check, batch.map((b) => b.text));
    batch.forEach((item, i) => {
      const theirs = ref.checkParse(item.text);
      const mine = verdicts[i];
      tally.texts++;
      const o = (byOrigin[item.origin] ||= { texts: 0, refAccepts: 0 });
      o.texts++;
      if (theirs.accept) { tally.refAccepts++; o.refAccepts++; }
      const d = disagreement(item.text, theirs, mine);
      if (d) { found.push({ ...item, theirs, mine, kind: d }); return; }
      if (mine === 'reject unsupported') tally.unsupportedOk++;
      else if (theirs.accept) tally.agreeAccept++;
      else tally.agreeReject++;
    });
    batch = [];
  };
  for (const item of texts(seed, count)) {
    batch.push(item);
    if (batch.length >= BATCH) flush();
  }
  if (batch.length) flush();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`compared ${tally.texts} texts in ${seconds} s: reference accepts ${tally.refAccepts}; agreed on ` +
    `${tally.agreeAccept} accepts, ${tally.agreeReject} rejects, ${tally.unsupportedOk} out-of-subset rejections`);
  for (const [origin, o] of Object.entries(byOrigin)) console.log(`  ${origin}: ${o.texts} texts, reference accepts ${o.refAccepts}`);

  if (found.length) {
    console.log(`\n${found.length} disagreements; first ones:`);
    for (const f of found.slice(0, 20)) console.log(`  [${f.origin}] ${JSON.stringify(f.text).slice(0, 160)}: ${f.kind}`);
    for (const [n, f] of found.slice(0, MAX_SHRUNK).entries()) {
      const minimal = shrinkText(args.check, f.text, f.kind);
      const theirs = ref.checkParse(minimal);
      const mine = ours(args.check, [minimal])[0];
      console.log(`\n=== parse disagreement ${n + 1} (${f.origin}, seed ${seed}) ===`);
      console.log(`original: ${JSON.stringify(f.text)}`);
      console.log(`minimal:  ${JSON.stringify(minimal)}`);
      console.log('--- minimal text as is ---');
      console.log(minimal);
      console.log(`--- reference: ${theirs.accept ? 'accept' : `reject: ${theirs.message}`}`);
      console.log(`--- vectimus: ${mine}`);
    }
  }
  console.log(`parse: ${tally.texts - found.length} of ${tally.texts} texts agreed (seed ${seed})`);
  console.log(found.length ? '0 passed, 1 failed' : '1 passed, 0 failed');
  process.exit(found.length ? 1 : 0);
}

main();
