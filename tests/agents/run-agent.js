#!/usr/bin/env node
'use strict';
// End-to-end test of one real agent CLI calling the vectimus hook (issue 12, "The real agents").
//
//   node run-agent.js <claude-code|codex|gemini-cli|copilot> <path to vectimus> [--server]
//
// With --server (issue 13): a real `vectimus server start` on 127.0.0.1 (its own HOME, an API
// key) and `vectimus init --server-url` instead: Claude Code is wired as an `http` hook that
// posts to the server, the others run the hook in client mode. The deny record must then be in
// the server's audit log, and for Claude Code not in the project user's (no local hook ran).
//
// In a temporary HOME and a temporary git project: `vectimus init --ci --agent <agent>` wires the
// hook, the test does the trust steps that init leaves to the user, then runs the agent twice
// against the scripted model server (model-server.js):
//   1. a benign command (`echo <random marker>`): its output must reach the model;
//   2. a command our packs deny (`touch <marker file> && git push --force origin main`; the repo
//      has no remote, so even if it ran it would only create the marker file): the marker file
//      must not exist, the tool result the model received must carry our rule id, and the audit
//      log in the temporary HOME must hold the deny record, proving the hook ran.
// Exits 0 on success, 1 on a failure (printed), and prints `SKIPPED: ...` (exit 0) when the CLIs
// are not installed (`npm ci` in tests/agents, done by .ci/deps).

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { startModelServer } = require('./model-server');

const AGENTS = ['claude-code', 'codex', 'gemini-cli', 'copilot'];
const RUN_TIMEOUT_MS = 120000;   // one agent run; on expiry its whole process group is killed
const DENY_RULE = 'vectimus-git-001';
const BIN_DIR = path.join(__dirname, 'node_modules', '.bin');
const CLI = { 'claude-code': 'claude', codex: 'codex', 'gemini-cli': 'gemini', copilot: 'copilot' };

const [agent, vectimusArg, modeArg] = process.argv.slice(2);
const serverMode = modeArg === '--server';
const API_KEY = 'vectimus-e2e-team-key';
if (!AGENTS.includes(agent) || !vectimusArg) {
  console.error(`usage: run-agent.js <${AGENTS.join('|')}> <vectimus binary>`);
  process.exit(2);
}
const vectimus = path.resolve(vectimusArg);
const cli = path.join(BIN_DIR, CLI[agent]);
if (!fs.existsSync(cli)) {
  console.log(`SKIPPED: ${cli} is not installed (run \`npm ci\` in tests/agents, as .ci/deps does)`);
  process.exit(0);
}

const failures = [];
const check = (ok, what) => { console.log(`${ok ? 'ok  ' : 'FAIL'} ${agent}: ${what}`); if (!ok) failures.push(what); };

const root = fs.mkdtempSync(path.join(os.tmpdir(), `vectimus-agents-${agent}${serverMode ? '-server' : ''}-`));
const home = path.join(root, 'home');
const project = path.join(root, 'project');
fs.mkdirSync(home);
fs.mkdirSync(project);
const keep = process.env.VECTIMUS_AGENTS_KEEP === '1';

// Everything the CLIs might reach besides our server is switched off; there is no internet.
const baseEnv = {
  PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
  HOME: home,
  USER: process.env.USER || 'root',
  TERM: 'dumb',
  LANG: 'C.UTF-8',
  TMPDIR: os.tmpdir(),
  XDG_CONFIG_HOME: path.join(home, '.config'),
  XDG_CACHE_HOME: path.join(home, '.cache'),
  XDG_DATA_HOME: path.join(home, '.local', 'share'),
  XDG_STATE_HOME: path.join(home, '.local', 'state'),
  NO_COLOR: '1',
  CI: '1',
  DISABLE_TELEMETRY: '1',
  DISABLE_AUTOUPDATER: '1',
  DISABLE_ERROR_REPORTING: '1',
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  GEMINI_TELEMETRY_ENABLED: 'false',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: project, env: baseEnv, encoding: 'utf8', timeout: 60000, ...opts });
  return { code: r.status, out: (r.stdout || '') + (r.stderr || ''), error: r.error };
}

// One agent run, bounded: a detached process group killed whole on timeout.
function runAgent(args, env) {
  return new Promise((resolve) => {
    const child = spawn(cli, args, { cwd: project, env: { ...baseEnv, ...env }, detached: true,
                                     stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }, RUN_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* group already gone */ }
      resolve({ code, out, timedOut });
    });
  });
}

const PROMPT = 'Run the shell command you are given and report its output.';

// Per agent: the trust steps init leaves to the user, and how to run the agent against `url`.
function tomlString(s) { return JSON.stringify(s); }

async function codexTrustHooks() {
  // Codex runs a project hook only after the user reviewed it in `/hooks`, which stores its hash
  // in ~/.codex/config.toml; `codex exec` skips an unreviewed hook silently. The test asks Codex
  // itself for the hash (`codex app-server`, method hooks/list), as a user's review would.
  const listed = await new Promise((resolve) => {
    const child = spawn(cli, ['app-server'], { cwd: project, env: baseEnv, detached: true,
                                              stdio: ['pipe', 'pipe', 'pipe'] });
    let buf = '', err = '';
    const done = (v) => { clearTimeout(timer); try { process.kill(-child.pid, 'SIGKILL'); } catch {} resolve(v); };
    const timer = setTimeout(() => done({ error: `codex app-server: no answer in 30 s; stderr: ${err.slice(-500)}` }), 30000);
    const send = (o) => child.stdin.write(JSON.stringify(o) + '\n');
    child.stdin.on('error', () => {});
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl); buf = buf.slice(nl + 1);
        let m; try { m = JSON.parse(line); } catch { continue; }
        if (m.id === 1) {
          send({ jsonrpc: '2.0', method: 'initialized', params: {} });
          send({ jsonrpc: '2.0', id: 2, method: 'hooks/list', params: { cwds: [project] } });
        } else if (m.id === 2) {
          done(m.error ? { error: JSON.stringify(m.error) } : { result: m.result });
        }
      }
    });
    send({ jsonrpc: '2.0', id: 1, method: 'initialize',
           params: { clientInfo: { name: 'vectimus-agents-test', version: '1' } } });
  });
  if (listed.error) return listed.error;
  const hooks = (listed.result.data || []).flatMap((d) => d.hooks || []);
  const ours = hooks.filter((h) => typeof h.command === 'string' && h.command.includes(vectimus));
  if (!ours.length) return `codex hooks/list does not show our hook: ${JSON.stringify(listed.result).slice(0, 800)}`;
  let cfg = '';
  for (const h of ours) cfg += `\n[hooks.state.${tomlString(h.key)}]\ntrusted_hash = ${tomlString(h.currentHash)}\n`;
  fs.appendFileSync(path.join(home, '.codex', 'config.toml'), cfg);
  return null;
}

const setups = {
  'claude-code': {
    // Claude Code runs project hooks without a trust step in -p mode.
    trust: async () => null,
    env: (url) => ({ ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: 'sk-ant-test-key' }),
    // As root Claude Code refuses bypassPermissions; allowing Bash leaves the decision to the hook.
    args: () => ['-p', PROMPT, '--allowedTools', 'Bash', '--model', 'claude-sonnet-4-5'],
  },
  codex: {
    // The model provider is our server (Responses API over HTTP streaming; no websockets, no
    // retries).
    configure: () => {
      fs.mkdirSync(path.join(home, '.codex'), { recursive: true });
      fs.appendFileSync(path.join(home, '.codex', 'config.toml'), [
        '',
        'model = "mock-model"',
        'model_provider = "scripted"',
        '[model_providers.scripted]',
        'name = "scripted"',
        // Each run's server has its own port: the run passes base_url with -c.
        'base_url = "http://127.0.0.1:9/v1"',
        'wire_api = "responses"',
        'request_max_retries = 0',
        'stream_max_retries = 0',
        'supports_websockets = false',
        '',
      ].join('\n'));
    },
    // The user's part: trust the project, then review the hook.
    trust: async () => {
      fs.appendFileSync(path.join(home, '.codex', 'config.toml'),
                        `\n[projects.${tomlString(project)}]\ntrust_level = "trusted"\n`);
      return codexTrustHooks();
    },
    env: () => ({ CODEX_HOME: path.join(home, '.codex'), OPENAI_API_KEY: 'sk-test' }),
    // The sandbox is off so that only the hook can stop the denied command.
    args: (url) => ['exec', '-c', `model_providers.scripted.base_url=${tomlString(url + '/v1')}`,
                    '--sandbox', 'danger-full-access', '--skip-git-repo-check', PROMPT],
  },
  'gemini-cli': {
    // The user's part: trust the project folder.
    trust: async () => {
      fs.writeFileSync(path.join(home, '.gemini', 'trustedFolders.json'),
                       JSON.stringify({ [project]: 'TRUST_FOLDER' }));
      return null;
    },
    // API-key auth against our server; no telemetry, no update check.
    configure: () => {
      fs.mkdirSync(path.join(home, '.gemini'), { recursive: true });
      fs.writeFileSync(path.join(home, '.gemini', 'settings.json'), JSON.stringify({
        security: { auth: { selectedType: 'gemini-api-key' }, folderTrust: { enabled: true } },
        privacy: { usageStatisticsEnabled: false },
        telemetry: { enabled: false },
        general: { disableAutoUpdate: true, disableUpdateNag: true },
      }));
    },
    env: (url) => ({ GOOGLE_GEMINI_BASE_URL: url, GEMINI_API_KEY: 'test-key' }),
    args: () => ['-p', PROMPT, '-m', 'gemini-2.5-flash', '--approval-mode', 'yolo'],
  },
  copilot: {
    // The user's part: trust the project folder.
    trust: async () => {
      fs.mkdirSync(path.join(home, '.copilot'), { recursive: true });
      fs.writeFileSync(path.join(home, '.copilot', 'config.json'),
                       JSON.stringify({ trustedFolders: [project] }));
      return null;
    },
    env: (url) => ({ COPILOT_PROVIDER_BASE_URL: url + '/v1', COPILOT_MODEL: 'mock-model',
                     COPILOT_PROVIDER_API_KEY: 'test-key', COPILOT_OFFLINE: 'true' }),
    args: () => ['-p', PROMPT, '--allow-all-tools'],
  },
};

// `vectimus server start --port 0` in its own HOME, bounded; resolves to { url, stop, home }.
function startVectimusServer() {
  const serverHome = path.join(root, 'server-home');
  fs.mkdirSync(serverHome, { recursive: true });
  return new Promise((resolve, reject) => {
    const child = spawn(vectimus, ['server', 'start', '--port', '0'], {
      cwd: serverHome, env: { ...baseEnv, HOME: serverHome, VECTIMUS_API_KEY: API_KEY },
      stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`vectimus server did not start in 30 s: ${err}`)); }, 30000);
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1], home: serverHome, stderr: () => err,
          stop: () => new Promise((done) => { child.on('close', done); child.kill('SIGTERM'); setTimeout(() => child.kill('SIGKILL'), 10000); }),
        });
      }
    });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

// Every line of the audit logs under `dir` (a HOME's .vectimus/logs).
function auditLines(dir) {
  const logs = path.join(dir, '.vectimus', 'logs');
  return fs.existsSync(logs)
    ? fs.readdirSync(logs, { recursive: true }).map((f) => path.join(logs, f))
        .filter((f) => fs.statSync(f).isFile()).map((f) => fs.readFileSync(f, 'utf8')).join('\n').split('\n')
    : [];
}

async function scenario(name, command) {
  const logFile = path.join(root, `model-${name}.log`);
  const server = await startModelServer({ command, logFile });
  const url = `http://127.0.0.1:${server.port}`;
  try {
    // VECTIMUS_AGENTS_NO_TRUST=1 leaves out the trust steps, to see an agent skip the hook.
    if (name === 'benign' && setups[agent].configure) setups[agent].configure();
    if (name === 'benign' && process.env.VECTIMUS_AGENTS_NO_TRUST !== '1') {
      const err = await setups[agent].trust(url);
      if (err) { check(false, `trust step: ${err}`); return null; }
    }
    const r = await runAgent(setups[agent].args(url),
                             { ...setups[agent].env(url), ...(serverMode ? { VECTIMUS_API_KEY: API_KEY } : {}) });
    fs.writeFileSync(path.join(root, `agent-${name}.out`), r.out);
    check(!r.timedOut, `${name}: the agent finished within ${RUN_TIMEOUT_MS / 1000} s`);
    if (r.code !== 0) console.log(`note: ${agent} exited ${r.code}; output:\n${r.out.slice(-3000)}`);
    check(server.state.toolCalls > 0, `${name}: the agent asked the model and got the scripted tool call`);
    return server.state.toolResults.join('\n');
  } finally {
    await server.close();
  }
}

(async () => {
  console.log(`${agent}: ${cli} in ${root}`);
  let vserver = null;
  run('git', ['init', '-q', '-b', 'main']);
  run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '--allow-empty', '-m', 'init']);

  const help = run(vectimus, ['--help']);
  if (!/^\s+init\s/m.test(help.out)) {
    check(false, `${vectimus} has no \`init\` command (merge branch setup)`);
  } else {
    if (serverMode) {
      vserver = await startVectimusServer();
      console.log(`vectimus server: ${vserver.url}`);
    }
    const init = run(vectimus, ['init', '--ci', '--agent', agent,
                                ...(serverMode ? ['--server-url', vserver.url] : [])], { input: '' });
    console.log(init.out.trim());
    check(init.code === 0, `vectimus init --ci --agent ${agent}${serverMode ? ' --server-url' : ''} exits 0`);
    if (serverMode && agent === 'claude-code') {
      const settings = JSON.parse(fs.readFileSync(path.join(project, '.claude', 'settings.json'), 'utf8'));
      const hook = settings.hooks.PreToolUse[0].hooks[0];
      check(hook.type === 'http' && hook.url === `${vserver.url}/v1/hooks/claude-code`,
            `init wired Claude Code as an http hook to the server (${JSON.stringify(hook)})`);
    }
  }

  if (!failures.length) {
    const marker = `vectimus-e2e-${process.pid}-${Date.now()}-marker`;
    const benign = await scenario('benign', `echo ${marker}`);
    if (benign !== null) {
      check(benign.includes(marker), `benign: the command's output reached the model (tool result: ${JSON.stringify(benign.slice(0, 300))})`);

      const markerFile = path.join(project, 'denied-command-ran');
      const denied = await scenario('denied', `touch ${markerFile} && git push --force origin main`);
      check(!fs.existsSync(markerFile), `denied: the command did not run (${markerFile} absent)`);
      check(denied.includes(DENY_RULE), `denied: the model received our reason naming ${DENY_RULE} (tool result: ${JSON.stringify(denied.slice(0, 500))})`);
      const denies = (lines) => lines.some((l) => l.includes(DENY_RULE) && /deny/.test(l));
      if (!serverMode) {
        check(denies(auditLines(home)),
              `denied: the audit log under the temporary HOME records the deny (the hook ran)`);
      } else {
        check(denies(auditLines(vserver.home)),
              `denied: the server's audit log records the deny (the server decided)`);
        if (agent === 'claude-code') {
          check(!denies(auditLines(home)),
                `denied: no local hook decided (Claude Code posted to the server itself)`);
        }
      }
    }
  }

  if (vserver) await vserver.stop();
  if (failures.length) {
    console.log(`${agent}: ${failures.length} check(s) failed; files kept in ${root}`);
    process.exit(1);
  }
  if (!keep) fs.rmSync(root, { recursive: true, force: true });
  console.log(`${agent}: all checks passed`);
})().catch((e) => { console.log(`FAIL ${agent}: ${e.stack}`); process.exit(1); });
