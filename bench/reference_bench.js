// The reference side of bench/reference_bench.cpp: times @cedar-policy/cedar-wasm (through
// conformance/reference.js, the suite's BigInt-safe wrapper) on the same policies and requests.
//
// Run: node bench/reference_bench.js DIR REPS   (DIR holds policies.cedar and requests.json,
// written by reference_bench). The policy set is pre-parsed once (preparsePolicySet); each
// request is then timed with statefulIsAuthorized, REPS calls after 3 warm-up calls, each call
// timed alone. Prints one JSON object: per request the median µs of a call, the decision and the
// reason ids (positional `policyN`, which our interpreter names the same way).
'use strict';

const fs = require('fs');
const path = require('path');
const ref = require(path.join(__dirname, '..', 'conformance', 'reference.js'));

const [dir, repsText] = process.argv.slice(2);
const reps = Number(repsText || 200);
const policies = fs.readFileSync(path.join(dir, 'policies.cedar'), 'utf8');
const requests = JSON.parse(fs.readFileSync(path.join(dir, 'requests.json'), 'utf8'));

const error = ref.preparse('bench', policies);
if (error !== null) {
  console.log(JSON.stringify({ error: `the reference cannot parse the policies: ${error}` }));
  process.exit(1);
}
const out = [];
for (const request of requests) {
  let answer;
  for (let i = 0; i < 3; ++i) answer = ref.statefulIsAuthorized(request, 'bench');
  const calls = [];
  for (let i = 0; i < reps; ++i) {
    const start = process.hrtime.bigint();
    ref.statefulIsAuthorized(request, 'bench');
    calls.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  calls.sort((a, b) => a - b);
  const mid = calls.length >> 1;
  const us = calls.length % 2 ? calls[mid] : (calls[mid - 1] + calls[mid]) / 2;
  out.push({ us, ok: answer.ok, decision: answer.decision,
             reason: answer.reason || [], message: answer.message || '' });
}
console.log(JSON.stringify({ version: ref.version, requests: out }));
