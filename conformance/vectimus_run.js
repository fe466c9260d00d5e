// Runs `vectimus cedar run-tests` on test files written in the cedar-integration-tests format,
// and reads its report: FAIL lines (mapped back to file and request index) and the closing
// `N passed, N failed, N skipped` line. Shared by differential.js and the shrinker.
'use strict';

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { stringifyBig } = require('./reference.js');

// JSON text with BigInt written as integers, indented for people (reproducers).
function prettyJson(value) {
  return JSON.stringify(value, (k, v) => (typeof v === 'bigint' ? `@@BIG${v}@@` : v), 2)
    .replace(/"@@BIG(-?\d+)@@"/g, '$1');
}

// Writes one test (policy text, entities, requests with expected answers) as
// <dir>/<name>.cedar, <name>.entities.json, <name>.json. No schema: our data is schema-less.
function writeTest(dir, name, policyText, entities, requests) {
  fs.writeFileSync(path.join(dir, `${name}.cedar`), policyText);
  fs.writeFileSync(path.join(dir, `${name}.entities.json`), stringifyBig(entities));
  const test = { policies: `${name}.cedar`, entities: `${name}.entities.json`, shouldValidate: false, requests };
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, stringifyBig(test));
  return file;
}

// {status, output, failures: [{file, request|null, line}], summary: {passed, failed, skipped}|null}
// A run that takes longer than timeoutMs is killed (a hang shows as `killed by SIGTERM`).
// `flags` go to run-tests as they are (e.g. ['--index']).
function runTests(vectimus, root, files, timeoutMs = 120000, flags = []) {
  const result = spawnSync(vectimus, ['cedar', 'run-tests', ...flags, '--root', root, ...files], {
    encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs,
  });
  const output = (result.stdout || '') + (result.stderr || '');
  const failures = [];
  let summary = null;
  for (const line of output.split('\n')) {
    let m = /^FAIL (\S+?)(?: request (\d+))?[ :]/.exec(line);
    if (m) failures.push({ file: m[1], request: m[2] === undefined ? null : Number(m[2]), line });
    m = /^(\d+) passed, (\d+) failed, (\d+) skipped$/.exec(line.trim());
    if (m) summary = { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3]) };
  }
  const status = result.error ? `could not start: ${result.error.message}`
    : result.signal ? `killed by ${result.signal}` : result.status;
  return { status, output, failures, summary };
}

module.exports = { prettyJson, writeTest, runTests };
