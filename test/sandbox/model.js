'use strict';
/**
 * A local OpenAI-compatible model for n8n's OpenAI Chat Model node: Chat Completions (`POST …/chat/completions`)
 * and the Responses API (`POST …/responses`), no streaming. It plays a script: the n-th answer of a conversation
 * is the script's n-th step (the number of tool results the request carries says which), a tool call or the final
 * text. It records every request: the tools it was offered (name, description, JSON schema) and the tool results
 * it was sent, so a test sees what the model saw. Plain JavaScript, so that `npm start` runs it for the AI agent
 * demo (`demoScript`) and no API key is needed.
 */
const http = require('node:http');

const textOf = (content) =>
	typeof content === 'string' ? content : Array.isArray(content) ? content.map((part) => part?.text ?? '').join('') : JSON.stringify(content ?? '');

/** What a Chat Completions request says: the user's text, the tools, the tool results by name. */
function readChat(body) {
	const messages = body.messages ?? [];
	const names = new Map();
	for (const message of messages) for (const call of message.tool_calls ?? []) names.set(call.id, call.function.name);
	return {
		api: 'chat',
		userText: textOf(messages.filter((m) => m.role === 'user').pop()?.content),
		tools: (body.tools ?? []).map((tool) => ({ name: tool.function.name, description: tool.function.description, parameters: tool.function.parameters })),
		results: messages.filter((m) => m.role === 'tool').map((m) => ({ name: names.get(m.tool_call_id) ?? '?', output: textOf(m.content) })),
	};
}

/** The same from a Responses API request (`input` items, `function_call` / `function_call_output`). */
function readResponses(body) {
	const input = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : (body.input ?? []);
	const names = new Map();
	for (const item of input) if (item.type === 'function_call') names.set(item.call_id, item.name);
	return {
		api: 'responses',
		userText: textOf(input.filter((item) => item.role === 'user').pop()?.content),
		tools: (body.tools ?? []).filter((tool) => tool.type === 'function').map((tool) => ({ name: tool.name, description: tool.description, parameters: tool.parameters })),
		results: input.filter((item) => item.type === 'function_call_output').map((item) => ({ name: names.get(item.call_id) ?? '?', output: textOf(item.output) })),
	};
}

let counter = 0;
const nextId = (prefix) => `${prefix}_${Date.now().toString(36)}${(counter++).toString(36)}`;
const USAGE_CHAT = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
const USAGE_RESPONSES = { input_tokens: 10, output_tokens: 5, total_tokens: 15, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } };

function chatAnswer(step, model) {
	const message =
		'answer' in step
			? { role: 'assistant', content: step.answer }
			: { role: 'assistant', content: null, tool_calls: [{ id: nextId('call'), type: 'function', function: { name: step.tool, arguments: JSON.stringify(step.args) } }] };
	return {
		id: nextId('chatcmpl'),
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [{ index: 0, message, logprobs: null, finish_reason: 'answer' in step ? 'stop' : 'tool_calls' }],
		usage: USAGE_CHAT,
	};
}

function responsesAnswer(step, model) {
	const output =
		'answer' in step
			? [{ type: 'message', id: nextId('msg'), role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: step.answer, annotations: [] }] }]
			: [{ type: 'function_call', id: nextId('fc'), call_id: nextId('call'), name: step.tool, arguments: JSON.stringify(step.args), status: 'completed' }];
	return { id: nextId('resp'), object: 'response', created_at: Math.floor(Date.now() / 1000), status: 'completed', model, output, usage: USAGE_RESPONSES, error: null, incomplete_details: null };
}

/** The model: `script(request)` gives each step. */
function createScriptedModel(script) {
	const requests = [];
	const unexpected = [];
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			const send = (status, body) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			const path = (req.url ?? '').split('?')[0];
			let body = {};
			try {
				body = raw ? JSON.parse(raw) : {};
			} catch {
				return send(400, { error: { message: 'The body is not JSON', type: 'invalid_request_error' } });
			}
			const api = req.method === 'POST' && path.endsWith('/chat/completions') ? 'chat' : req.method === 'POST' && path.endsWith('/responses') ? 'responses' : undefined;
			if (!api || body.stream) {
				unexpected.push(`${req.method} ${path}${body.stream ? ' (stream)' : ''}`);
				return send(404, { error: { message: `The scripted model does not answer ${req.method} ${path}${body.stream ? ' with streaming' : ''}`, type: 'invalid_request_error' } });
			}
			const request = api === 'chat' ? readChat(body) : readResponses(body);
			requests.push(request);
			let step;
			try {
				step = script(request);
			} catch (error) {
				return send(500, { error: { message: `script: ${error.message}`, type: 'server_error' } });
			}
			send(200, api === 'chat' ? chatAnswer(step, body.model) : responsesAnswer(step, body.model));
		});
	});
	return {
		requests,
		/** Calls the model did not expect (another path, streaming): a test fails on them. */
		unexpected,
		get url() {
			return `http://127.0.0.1:${server.address().port}/v1`;
		},
		start: (port = 0) => new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve())),
		stop: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

/** The first JSON object a tool answered (n8n hands tool output to the model as text, a list or one object). */
function firstRecord(output) {
	try {
		const value = JSON.parse(output);
		const first = Array.isArray(value) ? value[0] : value;
		return first && typeof first === 'object' ? (first.json ?? first) : undefined;
	} catch {
		return undefined;
	}
}

const STAGES = { NEW: 'received', PREPARATION: 'being packed', EXECUTING: 'on its way', WON: 'delivered', LOSE: 'cancelled' };

/**
 * The AI agent demo's model (demo/ai-agent-order.json): from a customer's message with an e-mail and an order number
 * it finds the contact, then the deal by order number, writes a comment on the deal's timeline and answers with the
 * deal's stage in words; a tool's failure (`success: false`) is answered with its error. Tools are found by what
 * their names say (contact, deal, comment), so renamed nodes still work when the words stay.
 */
function demoScript(request) {
	const email = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/.exec(request.userText)?.[0];
	const order = /\b[A-Z]{2,5}-\d{2,}\b/i.exec(request.userText)?.[0]?.toUpperCase();
	if (!email || !order) return { answer: 'Please tell me the e-mail address you ordered with and your order number (such as ORD-1001).' };
	const tool = (word) => request.tools.find(({ name }) => name.toLowerCase().includes(word))?.name;
	const [contact, deal] = request.results.map(({ output }) => firstRecord(output));
	const failed = request.results.map(({ output }) => firstRecord(output)).find((record) => record?.success === false);
	if (failed) return { answer: `Sorry, I could not look that up: ${failed.error}${failed.hint ? ` (${failed.hint})` : ''}` };
	switch (request.results.length) {
		case 0:
			return { tool: tool('contact'), args: { email } };
		case 1:
			if (!contact?.id) return { answer: `I found no customer with the e-mail ${email}.` };
			return { tool: tool('deal'), args: { orderNumber: order } };
		case 2:
			if (!deal?.id) return { answer: `I found no order ${order}.` };
			return { tool: tool('comment'), args: { dealId: Number(deal.id), comment: `Customer ${email} asked where order ${order} is; answered: ${STAGES[deal.stageId] ?? deal.stageId}.` } };
		default:
			return { answer: `Your order ${order} is ${STAGES[deal?.stageId] ?? `at stage ${deal?.stageId}`}. I noted your question on the order.` };
	}
}

module.exports = { createScriptedModel, demoScript };
