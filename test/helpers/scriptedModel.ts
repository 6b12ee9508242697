/**
 * A local OpenAI-compatible model for n8n's OpenAI Chat Model node: Chat Completions (`POST …/chat/completions`)
 * and the Responses API (`POST …/responses`), no streaming. It plays a script: the n-th answer of a conversation
 * is the script's n-th step (the number of tool results the request carries says which), a tool call or the final
 * text. It records every request: the tools it was offered (name, description, JSON schema) and the tool results
 * it was sent, so a test sees what the model saw.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OfferedTool {
	name: string;
	description: string;
	parameters: { type: string; properties: Record<string, { type?: string; description?: string }>; required?: string[] };
}

export interface ToolResult {
	name: string;
	output: string;
}

export interface ModelRequest {
	api: 'chat' | 'responses';
	userText: string;
	tools: OfferedTool[];
	results: ToolResult[];
}

/** The next step for a conversation: call a tool (by its name as offered) with arguments, or answer. */
export type Step = { tool: string; args: Record<string, unknown> } | { answer: string };
export type Script = (request: ModelRequest) => Step;

const textOf = (content: unknown): string =>
	typeof content === 'string'
		? content
		: Array.isArray(content)
			? content.map((part: { text?: string }) => part?.text ?? '').join('')
			: JSON.stringify(content ?? '');

/** What a Chat Completions request says: the user's text, the tools, the tool results by name. */
function readChat(body: any): ModelRequest {
	const messages: any[] = body.messages ?? [];
	const names = new Map<string, string>();
	for (const message of messages) for (const call of message.tool_calls ?? []) names.set(call.id, call.function.name);
	return {
		api: 'chat',
		userText: textOf(messages.filter((m) => m.role === 'user').pop()?.content),
		tools: (body.tools ?? []).map((tool: any) => ({ name: tool.function.name, description: tool.function.description, parameters: tool.function.parameters })),
		results: messages.filter((m) => m.role === 'tool').map((m) => ({ name: names.get(m.tool_call_id) ?? '?', output: textOf(m.content) })),
	};
}

/** The same from a Responses API request (`input` items, `function_call` / `function_call_output`). */
function readResponses(body: any): ModelRequest {
	const input: any[] = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : (body.input ?? []);
	const names = new Map<string, string>();
	for (const item of input) if (item.type === 'function_call') names.set(item.call_id, item.name);
	return {
		api: 'responses',
		userText: textOf(input.filter((item) => item.role === 'user').pop()?.content),
		tools: (body.tools ?? []).filter((tool: any) => tool.type === 'function').map((tool: any) => ({ name: tool.name, description: tool.description, parameters: tool.parameters })),
		results: input.filter((item) => item.type === 'function_call_output').map((item) => ({ name: names.get(item.call_id) ?? '?', output: textOf(item.output) })),
	};
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}_${Date.now().toString(36)}${(counter++).toString(36)}`;
const USAGE_CHAT = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
const USAGE_RESPONSES = { input_tokens: 10, output_tokens: 5, total_tokens: 15, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } };

function chatAnswer(step: Step, model: string) {
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

function responsesAnswer(step: Step, model: string) {
	const output =
		'answer' in step
			? [{ type: 'message', id: nextId('msg'), role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: step.answer, annotations: [] }] }]
			: [{ type: 'function_call', id: nextId('fc'), call_id: nextId('call'), name: step.tool, arguments: JSON.stringify(step.args), status: 'completed' }];
	return { id: nextId('resp'), object: 'response', created_at: Math.floor(Date.now() / 1000), status: 'completed', model, output, usage: USAGE_RESPONSES, error: null, incomplete_details: null };
}

export function createScriptedModel(script: Script) {
	const requests: ModelRequest[] = [];
	const unexpected: string[] = [];
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			const send = (status: number, body: unknown) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			const path = (req.url ?? '').split('?')[0];
			const body = raw ? JSON.parse(raw) : {};
			const api = req.method === 'POST' && path.endsWith('/chat/completions') ? 'chat' : req.method === 'POST' && path.endsWith('/responses') ? 'responses' : undefined;
			if (!api || body.stream) {
				unexpected.push(`${req.method} ${path}${body.stream ? ' (stream)' : ''}`);
				return send(404, { error: { message: `The scripted model does not answer ${req.method} ${path}${body.stream ? ' with streaming' : ''}`, type: 'invalid_request_error' } });
			}
			const request = api === 'chat' ? readChat(body) : readResponses(body);
			requests.push(request);
			let step: Step;
			try {
				step = script(request);
			} catch (error) {
				return send(500, { error: { message: `script: ${(error as Error).message}`, type: 'server_error' } });
			}
			send(200, api === 'chat' ? chatAnswer(step, body.model) : responsesAnswer(step, body.model));
		});
	});
	return {
		requests,
		/** Calls the model did not expect (another path, streaming): a test fails on them. */
		unexpected,
		get url() {
			return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
		},
		start: () => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve())),
		stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
