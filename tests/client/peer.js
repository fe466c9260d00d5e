// A scripted peer for the client tests, on 127.0.0.1 and an ephemeral port. Prints
// `listening <port>` on stdout once it listens.
//
//   node peer.js [--tls CERT KEY] [--log FILE]   a server whose answer is chosen by the first
//                                                path segment (/<mode>/...), see `modes` below
//   node peer.js --proxy [--log FILE]            an HTTP proxy: CONNECT tunnels and absolute-form
//                                                requests, each logged as one line to FILE
//
// Every connection it holds is bounded (20 s), so a test that forgets it cannot hang on it.
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');
const net = require('net');

const args = process.argv.slice(2);
let tls = null;
let logFile = null;
let proxy = false;
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--tls') {
    tls = { cert: fs.readFileSync(args[i + 1]), key: fs.readFileSync(args[i + 2]) };
    i += 2;
  } else if (args[i] === '--log') {
    logFile = args[++i];
  } else if (args[i] === '--proxy') {
    proxy = true;
  }
}
const log = (line) => { if (logFile) fs.appendFileSync(logFile, line + '\n'); };
const kHold = 20000;

const denyDoc = JSON.stringify({
  hookSpecificOutput: {
    hookEventName: 'PreToolUse',
    permissionDecision: 'deny',
    permissionDecisionReason: 'vectimus-server-test: denied by the server',
  },
});

// mode -> (req, res, body) handler
const modes = {
  deny: (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Vectimus-Decision': 'deny' });
    res.end(denyDoc + '\n');
  },
  allow: (req, res) => {
    res.writeHead(200, { 'X-Vectimus-Decision': 'allow', 'Content-Length': '0' });
    res.end();
  },
  'allow-noheader': (req, res) => {
    res.writeHead(200, { 'Content-Length': '0' });
    res.end();
  },
  garbage: (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Vectimus-Decision': 'deny' });
    res.end('this is not json at all');
  },
  shape: (req, res) => {  // a Gemini document, not what Claude Code accepts
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Vectimus-Decision': 'allow' });
    res.end('{"decision":"allow","reason":"looks fine"}');
  },
  status500: (req, res) => {
    res.writeHead(500, { 'Content-Type': 'application/json' });
    res.end('{"error":"internal"}');
  },
  truncated: (req, res) => {  // promises 400 bytes, sends part of a valid document, hangs up
    res.socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n' +
                     'X-Vectimus-Decision: deny\r\nContent-Length: 400\r\n\r\n' +
                     denyDoc.slice(0, 40));
    res.socket.destroy();
  },
  slow: (req, res) => {  // never answers (the connection is dropped after kHold)
    setTimeout(() => res.socket.destroy(), kHold);
  },
  trickle: (req, res) => {  // one byte every 100 ms: each read is quick, the whole is not
    const text = 'HTTP/1.1 200 OK\r\nX-Vectimus-Decision: allow\r\nContent-Length: 200\r\n\r\n' +
                 ' '.repeat(200);
    let at = 0;
    const timer = setInterval(() => {
      if (at >= text.length || res.socket.destroyed) { clearInterval(timer); return; }
      res.socket.write(text[at++]);
    }, 100);
    setTimeout(() => { clearInterval(timer); res.socket.destroy(); }, kHold);
  },
  big: (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Vectimus-Decision': 'deny' });
    res.end('"' + 'x'.repeat(2 << 20) + '"');
  },
  echo: (req, res, body) => {
    const doc = JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body });
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Echo': 'yes' });
    res.end(doc);
  },
};

function serve(req, res) {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const mode = req.url.split('/')[1] || '';
    log(`${req.method} ${req.url} key=${req.headers['x-vectimus-api-key'] || ''} ` +
        `host=${req.headers.host}`);
    const handler = modes[mode];
    if (!handler) {
      res.writeHead(404);
      res.end('no such mode');
      return;
    }
    handler(req, res, body);
  });
}

function startProxy() {
  const server = http.createServer((req, res) => {  // absolute-form: forward it
    log(`FORWARD ${req.method} ${req.url}`);
    const target = new URL(req.url);
    const upstream = http.request({
      host: target.hostname, port: target.port, path: target.pathname + target.search,
      method: req.method, headers: req.headers,
    }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    log(`CONNECT ${req.url}`);
    const [host, port] = req.url.split(':');
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const drop = () => { socket.destroy(); upstream.destroy(); };
    upstream.on('error', drop);
    socket.on('error', drop);
    setTimeout(drop, kHold);
  });
  return server;
}

const server = proxy ? startProxy()
                     : tls ? https.createServer(tls, serve) : http.createServer(serve);
server.on('clientError', (err, socket) => socket.destroy());
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
