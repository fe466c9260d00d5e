'use strict';
// A scripted model server on 127.0.0.1 for the real agent CLIs. It speaks just enough of four
// wire protocols: Anthropic Messages (Claude Code), OpenAI Responses (Codex), OpenAI chat
// completions (Copilot CLI's bring-your-own-key mode) and Gemini generateContent (Gemini CLI).
//
// The script is decided by what a request carries, not by counting requests, because the CLIs
// also send side requests (titles, token counts, quota checks):
//   - a request that carries a tool result: the result's text is recorded, the answer is a final
//     text message;
//   - a request that offers tools: the answer is one call of the agent's shell tool running
//     `command` (at most `maxToolCalls` times, so an agent that never sends a result cannot loop);
//   - anything else: a short text answer.
// Every request is logged (path and body) so a failing run can be read afterwards.

const http = require('http');
const fs = require('fs');

function textOf(content) {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map(textOf).join('\n');
  if (typeof content === 'object') {
    if (typeof content.text === 'string') return content.text;
    if (content.content !== undefined) return textOf(content.content);
    if (content.output !== undefined) return textOf(content.output);
    return JSON.stringify(content);
  }
  return String(content);
}

function startModelServer({ command, logFile, maxToolCalls = 3 }) {
  const state = { toolResults: [], toolCalls: 0, requests: 0 };
  const log = (what) => { if (logFile) fs.appendFileSync(logFile, what + '\n'); };
  const nextToolCall = () => state.toolCalls < maxToolCalls && ++state.toolCalls;
  const finalText = 'Done: the command was handled.';

  function sse(res, events) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const [event, data] of events) {
      if (event) res.write(`event: ${event}\n`);
      res.write(`data: ${JSON.stringify(data)}\n\n`);
    }
    res.end();
  }
  function json(res, body, status = 200) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  // Anthropic Messages API, streamed or not.
  function anthropic(req, body, res) {
    const msgs = body.messages || [];
    const last = msgs[msgs.length - 1];
    const results = last && Array.isArray(last.content)
      ? last.content.filter((b) => b.type === 'tool_result') : [];
    let block, stop;
    const hasBash = (body.tools || []).some((t) => t.name === 'Bash');
    if (results.length) {
      for (const r of results) state.toolResults.push(textOf(r.content));
      block = { type: 'text', text: finalText }; stop = 'end_turn';
    } else if (hasBash && nextToolCall()) {
      block = { type: 'tool_use', id: `toolu_${state.toolCalls}`, name: 'Bash',
                input: { command, description: 'Run the test command' } };
      stop = 'tool_use';
    } else {
      block = { type: 'text', text: 'ok' }; stop = 'end_turn';
    }
    const usage = { input_tokens: 1, output_tokens: 1 };
    const message = { id: `msg_${state.requests}`, type: 'message', role: 'assistant',
                      model: body.model || 'mock', content: [], stop_reason: null,
                      stop_sequence: null, usage };
    if (!body.stream) return json(res, { ...message, content: [block], stop_reason: stop });
    const start = block.type === 'text' ? { type: 'text', text: '' }
                                        : { ...block, input: {} };
    const delta = block.type === 'text'
      ? { type: 'text_delta', text: block.text }
      : { type: 'input_json_delta', partial_json: JSON.stringify(block.input) };
    sse(res, [
      ['message_start', { type: 'message_start', message }],
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: start }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta }],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      ['message_delta', { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null },
                          usage: { output_tokens: 1 } }],
      ['message_stop', { type: 'message_stop' }],
    ]);
  }

  // OpenAI Responses API (Codex), streamed as server-sent events.
  function responses(req, body, res) {
    const input = Array.isArray(body.input) ? body.input : [];
    // Only the results after the last user message belong to this turn.
    let lastUser = -1;
    input.forEach((item, i) => { if (item.role === 'user') lastUser = i; });
    const results = input.slice(lastUser + 1)
      .filter((i) => /_call_output$/.test(i.type || ''));
    const tools = (body.tools || []).map((t) => t.name || (t.function && t.function.name));
    let item;
    if (results.length) {
      for (const r of results) state.toolResults.push(textOf(r.output));
      item = { type: 'message', role: 'assistant', id: 'msg_final',
               content: [{ type: 'output_text', text: finalText, annotations: [] }] };
    } else if ((tools.includes('exec_command') || tools.includes('shell')) && nextToolCall()) {
      const args = tools.includes('exec_command') ? { cmd: command }
                                                  : { command: ['bash', '-lc', command] };
      item = { type: 'function_call', id: `fc_${state.toolCalls}`, call_id: `call_${state.toolCalls}`,
               name: tools.includes('exec_command') ? 'exec_command' : 'shell',
               arguments: JSON.stringify(args) };
    } else {
      item = { type: 'message', role: 'assistant', id: 'msg_ok',
               content: [{ type: 'output_text', text: 'ok', annotations: [] }] };
    }
    const id = `resp_${state.requests}`;
    const usage = { input_tokens: 1, input_tokens_details: { cached_tokens: 0 }, output_tokens: 1,
                    output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 2 };
    sse(res, [
      ['response.created', { type: 'response.created', response: { id } }],
      ['response.output_item.added', { type: 'response.output_item.added', output_index: 0, item }],
      ['response.output_item.done', { type: 'response.output_item.done', output_index: 0, item }],
      ['response.completed', { type: 'response.completed', response: { id, usage, output: [item] } }],
    ]);
  }

  // OpenAI chat completions (Copilot CLI bring-your-own-key).
  function chat(req, body, res) {
    const msgs = body.messages || [];
    let lastUser = -1;
    msgs.forEach((m, i) => { if (m.role === 'user') lastUser = i; });
    const results = msgs.slice(lastUser + 1).filter((m) => m.role === 'tool');
    const tools = (body.tools || []).map((t) => t.function && t.function.name);
    let message, finish;
    if (results.length) {
      for (const r of results) state.toolResults.push(textOf(r.content));
      message = { role: 'assistant', content: finalText }; finish = 'stop';
    } else if (tools.includes('bash') && nextToolCall()) {
      message = { role: 'assistant', content: null, tool_calls: [{
        index: 0, id: `call_${state.toolCalls}`, type: 'function',
        function: { name: 'bash', arguments: JSON.stringify({ command, description: 'Run the test command' }) } }] };
      finish = 'tool_calls';
    } else {
      message = { role: 'assistant', content: 'ok' }; finish = 'stop';
    }
    const base = { id: `chatcmpl_${state.requests}`, created: Math.floor(Date.now() / 1000),
                   model: body.model || 'mock' };
    const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
    if (!body.stream) {
      return json(res, { ...base, object: 'chat.completion', usage,
                         choices: [{ index: 0, message, finish_reason: finish }] });
    }
    sse(res, [
      [null, { ...base, object: 'chat.completion.chunk',
               choices: [{ index: 0, delta: message, finish_reason: null }] }],
      [null, { ...base, object: 'chat.completion.chunk',
               choices: [{ index: 0, delta: {}, finish_reason: finish }], usage }],
    ]);  // the `data: [DONE]` terminator is added by the router, which wraps res.end
  }

  // Gemini generateContent / streamGenerateContent?alt=sse.
  function gemini(req, body, res, url) {
    if (/:countTokens$/.test(url.pathname)) return json(res, { totalTokens: 1 });
    const contents = body.contents || [];
    const last = contents[contents.length - 1];
    const parts = (last && last.parts) || [];
    const results = parts.filter((p) => p.functionResponse);
    const decls = (body.tools || []).flatMap((t) => t.functionDeclarations || []);
    let part;
    if (results.length) {
      for (const r of results) state.toolResults.push(textOf(r.functionResponse.response));
      part = { text: finalText };
    } else if (decls.some((d) => d.name === 'run_shell_command') && nextToolCall()) {
      part = { functionCall: { name: 'run_shell_command',
                               args: { command, description: 'Run the test command' } } };
    } else {
      // Side requests that want JSON (e.g. a next-speaker check) get an empty object.
      const wantsJson = body.generationConfig && body.generationConfig.responseMimeType === 'application/json';
      part = { text: wantsJson ? '{}' : 'ok' };
    }
    const chunk = { candidates: [{ content: { role: 'model', parts: [part] }, finishReason: 'STOP', index: 0 }],
                    usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
                    modelVersion: 'mock' };
    if (/:streamGenerateContent$/.test(url.pathname)) return sse(res, [[null, chunk]]);
    return json(res, chunk);
  }

  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { raw += d; });
    req.on('end', () => {
      state.requests++;
      const url = new URL(req.url, 'http://127.0.0.1');
      log(`>>> ${req.method} ${req.url}\n${raw.slice(0, 20000)}`);
      let body = {};
      try { body = raw ? JSON.parse(raw) : {}; } catch { body = {}; }
      try {
        const p = url.pathname;
        if (req.method !== 'POST') {
          // Model listings and health checks: one model, ours.
          return json(res, { object: 'list', data: [{ id: 'mock-model', object: 'model' }],
                             models: [] });
        }
        if (/\/messages\/count_tokens$/.test(p)) return json(res, { input_tokens: 1 });
        if (/\/messages$/.test(p)) return anthropic(req, body, res);
        if (/\/responses$/.test(p)) return responses(req, body, res);
        if (/\/chat\/completions$/.test(p)) {
          if (body.stream) {
            // The stream ends with a terminator that is not JSON: wrap res.end to write it.
            const end = res.end.bind(res);
            res.end = () => { res.write('data: [DONE]\n\n'); end(); };
          }
          return chat(req, body, res);
        }
        if (/:(stream)?[gG]enerateContent$|:countTokens$/.test(p)) return gemini(req, body, res, url);
        return json(res, { error: { message: `scripted model: no route for ${p}` } }, 404);
      } catch (e) {
        log(`!!! ${e.stack}`);
        return json(res, { error: { message: String(e) } }, 500);
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ port: server.address().port, state,
                close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }) });
    });
  });
}

module.exports = { startModelServer };
