// Differential test: random Cedar cases (gen.js) decided by the reference and by vectimus.
//
// Usage: node differential.js --vectimus BIN --work DIR [--requests N] [--canary] [--index]
//   VECTIMUS_CONFORMANCE_SEED=S   run seed (default: a fixed constant, so CI is repeatable)
//   VECTIMUS_CONFORMANCE_LONG=1   1,000,000 requests instead of 20,000
// Per batch of cases: the reference decides every request (decision, reason set, error-id set,
// positional ids), the cases are written in the cedar-integration-tests format under DIR, and
// `vectimus cedar run-tests` must pass them all with nothing skipped. Each disagreement is shrunk
// to a minimal reproducer (shrink.js), printed, and saved under DIR/repro-<n>/.
// --canary corrupts one expected answer per test and passes only if vectimus reports exactly
// those: proof that the comparison can fail.
// --index has run-tests also decide every request through the rule index, which must agree with
// evaluating every policy: the index checked on generated policies the reference has judged.
'use strict';

const fs = require('fs');
const path = require('path');
const ref = require('./reference.js');
const { caseSeed, generateCase } = require('./gen.js');
const { policySetText } = require('./render.js');
const { writeTest, runTests, prettyJson } = require('./vectimus_run.js');
const { shrink } = require('./shrink.js');

const DEFAULT_SEED = 20240917;
const REQUESTS_PER_CASE = 8;
const CASES_PER_BATCH = 400;
const MAX_SHRUNK = 5;           // disagreements shrunk and printed in full per run
const SHRINK_BUDGET_MS = 20000;  // per disagreement
const MAX_ISOLATED = 200;        // requests re-run alone to find the ones that crash vectimus

function parseArgs(argv) {
  const args = { requests: null, canary: false, flags: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--vectimus') args.vectimus = argv[++i];
    else if (a === '--work') args.work = argv[++i];
    else if (a === '--requests') args.requests = Number(argv[++i]);
    else if (a === '--canary') args.canary = true;
    else if (a === '--index') args.flags.push('--index');
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.vectimus || !args.work) throw new Error('usage: differential.js --vectimus BIN --work DIR [--requests N] [--canary] [--index]');
  return args;
}

const expectation = (a) => ({ decision: a.decision, reason: a.reason, errors: a.errors });
const showAnswer = (a) => `decision=${a.decision} reason=[${a.reason.join(', ')}] errors=[${a.errors.join(', ')}]`;

// Reference answers for a case; requests the reference cannot run are dropped (counted).
function decide(kase, stats) {
  const text = policySetText(kase.policies);
  const err = ref.preparse('case', text);
  if (err) { stats.rejectedSets++; if (stats.rejectedSets <= 3) console.log(`note: reference rejected a generated set: ${err}`); return null; }
  const kept = [];
  for (const request of kase.requests) {
    const answer = ref.statefulIsAuthorized({ ...request, entities: kase.entities }, 'case');
    if (!answer.ok) { stats.droppedRequests++; if (stats.droppedRequests <= 3) console.log(`note: reference failed a request: ${answer.message}`); continue; }
    kept.push({ request, answer });
  }
  return { text, kept };
}

function testRequests(caseIndex, kept) {
  return kept.map(({ request, answer }, j) => ({
    description: `case ${caseIndex} request ${j}`, ...request, ...expectation(answer),
  }));
}

// Shrinks one disagreement and prints the reproducer.
function reproduce(args, kase, n, seed, caseIndex) {
  const dir = path.join(args.work, `repro-${n}`);
  fs.mkdirSync(dir, { recursive: true });
  let last = null;
  const stillFails = (candidate) => {
    const text = policySetText(candidate.policies);
    const request = candidate.requests[0];
    const answer = ref.isAuthorized({ ...request, entities: candidate.entities }, text);
    if (!answer.ok) return false;
    const file = writeTest(dir, 'repro', text, candidate.entities,
      [{ description: 'reproducer', ...request, ...expectation(answer) }]);
    const run = runTests(args.vectimus, dir, [file], 10000, args.flags);
    if (run.status === 0) return false;
    last = { text, answer, run, candidate };
    return true;
  };
  if (!stillFails(kase)) {
    console.log(`disagreement ${n} (case ${caseIndex}) did not reproduce on its own; see the batch output above`);
    return;
  }
  const result = shrink(kase, stillFails, SHRINK_BUDGET_MS);
  stillFails(result.kase);  // leaves the minimal case's files in dir and its answers in `last`
  const { text, answer, run, candidate } = last;
  const r = candidate.requests[0];
  console.log(`\n=== disagreement ${n}: case ${caseIndex} of seed ${seed}; minimal reproducer after ${result.steps} simplifications` +
    ` (${result.tries} tries${result.timedOut ? ', shrink time cap reached' : ''}) ===`);
  console.log('--- policies (ids are positional: policy0, policy1, ... in text order) ---');
  console.log(text.trimEnd());
  console.log('--- entities ---');
  console.log(prettyJson(candidate.entities));
  console.log('--- request ---');
  console.log(`principal=${prettyJson(r.principal)} action=${prettyJson(r.action)} resource=${prettyJson(r.resource)}`);
  console.log(`context=${prettyJson(r.context)}`);
  console.log(`--- reference (cedar-wasm ${ref.version}): ${showAnswer(answer)}`);
  for (const m of answer.messages) console.log(`    ${m}`);
  console.log('--- vectimus ---');
  const lines = run.output.split('\n').filter((l) => l.startsWith('FAIL') || /^\d+ passed/.test(l));
  console.log(`exit status ${run.status}`);
  console.log(lines.join('\n') || run.output.slice(-2000));
  console.log(`--- rerun: vectimus cedar run-tests --root ${dir} ${path.join(dir, 'repro.json')}`);
}

// Runs each request of one case alone; adds the failing or crashing ones to `disagreements`.
function isolate(args, dir, file, c, disagreements, tally) {
  const test = ref.parseJsonBig(fs.readFileSync(file, 'utf8'));
  test.requests.forEach((request, j) => {
    const one = path.join(dir, `single.json`);
    fs.writeFileSync(one, ref.stringifyBig({ ...test, requests: [request] }));
    const run = runTests(args.vectimus, dir, [one], 10000, args.flags);
    if (run.status === 0 && run.summary && run.summary.passed === 1) { tally.passed++; return; }
    tally.failed++;
    const line = run.failures.length ? run.failures[0].line.replace(one, file)
      : `FAIL ${file} request ${j}: vectimus exited with ${run.status}`;
    disagreements.push({ file, request: j, line, ...c });
  });
  return tally;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  // The index run gets its own default seed, so CI's two runs cover different cases.
  const defaultSeed = args.flags.includes('--index') ? DEFAULT_SEED + 1 : DEFAULT_SEED;
  const seed = process.env.VECTIMUS_CONFORMANCE_SEED ? Number(process.env.VECTIMUS_CONFORMANCE_SEED) >>> 0 : defaultSeed;
  const long = process.env.VECTIMUS_CONFORMANCE_LONG === '1';
  const target = args.requests ?? (long ? 1000000 : 20000);
  console.log(`differential: seed ${seed} (set VECTIMUS_CONFORMANCE_SEED to change), target ${target} requests` +
    `${args.canary ? ', canary mode' : ''}${args.flags.length ? ', through the index too' : ''}; reference cedar-wasm ${ref.version}`);
  if (!fs.existsSync(args.vectimus)) { console.log(`FAIL: vectimus binary not found at ${args.vectimus}`); process.exit(1); }
  fs.rmSync(args.work, { recursive: true, force: true });
  fs.mkdirSync(args.work, { recursive: true });

  const started = Date.now();
  const stats = { compared: 0, agreed: 0, cases: 0, rejectedSets: 0, droppedRequests: 0, allow: 0, deny: 0, withErrors: 0, withReasons: 0 };
  const disagreements = [];   // {caseIndex, request, line}
  const problems = [];        // harness-level failures (crash, skips, missing summary)
  let isolated = 0;           // requests re-run one by one after a crash
  let canaryFlipped = 0;
  let canaryCaught = 0;
  for (let caseIndex = 0, batch = 0; stats.compared < target; batch++) {
    const dir = path.join(args.work, `batch-${batch}`);
    fs.mkdirSync(dir, { recursive: true });
    const cases = new Map();  // file -> {caseIndex, kase}
    let expected = 0;
    for (let k = 0; k < CASES_PER_BATCH && stats.compared + expected < target; k++, caseIndex++) {
      const kase = generateCase(caseSeed(seed, caseIndex), REQUESTS_PER_CASE);
      const decided = decide(kase, stats);
      if (!decided || decided.kept.length === 0) continue;
      const requests = testRequests(caseIndex, decided.kept);
      for (const { answer } of decided.kept) {
        stats[answer.decision]++;
        if (answer.errors.length) stats.withErrors++;
        if (answer.reason.length) stats.withReasons++;
      }
      if (args.canary) { requests[0].decision = requests[0].decision === 'allow' ? 'deny' : 'allow'; canaryFlipped++; }
      const file = writeTest(dir, `case-${caseIndex}`, decided.text, kase.entities, requests);
      cases.set(file, { caseIndex, kase: { ...kase, requests: decided.kept.map((x) => x.request) } });
      expected += requests.length;
    }
    stats.cases += cases.size;
    const run = runTests(args.vectimus, dir, [...cases.keys()], 120000, args.flags);
    stats.compared += expected;
    let s = run.summary;
    let keepDir = run.failures.length > 0;
    if (!s || (run.status !== 0 && run.status !== 1)) {
      // vectimus crashed or did not report: find the requests responsible, one by one.
      problems.push(`batch ${batch}: vectimus exited with ${run.status} and ${s ? 'a' : 'no'} summary line; output tail:\n${run.output.slice(-1500)}`);
      s = { passed: 0, failed: 0, skipped: 0 };
      for (const [file, c] of cases) {
        if (isolated >= MAX_ISOLATED) { s.failed += c.kase.requests.length; continue; }
        isolated += c.kase.requests.length;
        isolate(args, dir, file, c, disagreements, s);
      }
      if (isolated >= MAX_ISOLATED) problems.push(`stopped isolating crashes after ${MAX_ISOLATED} requests`);
      keepDir = true;
      run.failures = [];
    }
    stats.agreed += s.passed;
    if (s.skipped > 0) problems.push(`batch ${batch}: vectimus skipped ${s.skipped} requests, but every generated case is in the subset:\n${run.output.split('\n').filter((l) => l.startsWith('skipped')).join('\n')}`);
    if (s.passed + s.failed + s.skipped !== expected) problems.push(`batch ${batch}: vectimus counted ${s.passed + s.failed + s.skipped} requests, expected ${expected}`);
    for (const f of run.failures) {
      const c = cases.get(f.file);
      if (args.canary && c && f.request === 0 && /decision: expected/.test(f.line)) { canaryCaught++; continue; }
      disagreements.push({ file: f.file, request: f.request, line: f.line, ...(c || {}) });
    }
    if (!keepDir) fs.rmSync(dir, { recursive: true, force: true });
    if (long && batch % 25 === 0) console.log(`... ${stats.compared} requests, ${disagreements.length} disagreements, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`compared ${stats.compared} requests in ${stats.cases} cases in ${seconds} s: ` +
    `${stats.allow} allow, ${stats.deny} deny, ${stats.withReasons} with reasons, ${stats.withErrors} with errors; ` +
    `${stats.rejectedSets} generated sets rejected by the reference, ${stats.droppedRequests} requests it could not run`);

  if (args.canary) {
    const ok = canaryCaught === canaryFlipped && disagreements.length === 0 && problems.length === 0;
    console.log(`canary: flipped ${canaryFlipped} expected decisions, vectimus caught ${canaryCaught}; other failures ${disagreements.length}`);
    for (const p of problems) console.log(`FAIL: ${p}`);
    console.log(ok ? '1 passed, 0 failed' : '0 passed, 1 failed');
    process.exit(ok ? 0 : 1);
  }
  for (const p of problems) console.log(`FAIL: ${p}`);
  if (disagreements.length) {
    console.log(`\n${disagreements.length} requests where vectimus disagrees with the reference; first lines:`);
    for (const d of disagreements.slice(0, 20)) console.log(`  ${d.line}`);
    const seen = new Set();
    let n = 0;
    for (const d of disagreements) {
      if (n >= MAX_SHRUNK || !d.kase || seen.has(d.caseIndex)) continue;
      seen.add(d.caseIndex);
      const index = d.request ?? 0;
      const one = { ...structuredClone(d.kase), requests: [structuredClone(d.kase.requests[index])] };
      reproduce(args, one, ++n, seed, d.caseIndex);
    }
  }
  const failed = disagreements.length + problems.length + (stats.compared - stats.agreed);
  console.log(`differential: ${stats.agreed} of ${stats.compared} requests agreed with the reference (seed ${seed})`);
  console.log(failed ? '0 passed, 1 failed' : '1 passed, 0 failed');
  process.exit(failed ? 1 : 0);
}

main();
