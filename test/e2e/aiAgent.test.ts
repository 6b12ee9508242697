/**
 * The node as an AI agent's tool in real n8n (N8N_E2E_VERSION or the pinned one), one n8n for the whole file: n8n's
 * AI Agent (its current and previous versions) with n8n's OpenAI Chat Model against a scripted OpenAI-compatible
 * model on this machine (test/helpers/scriptedModel.ts), through Chat Completions and the Responses API; and n8n's
 * MCP Server Trigger with the node as an MCP tool, called by a scripted MCP client (plain HTTP per the MCP spec's
 * Streamable HTTP transport). The agent workflows are the demo's (demo/ai-agent-order.json) with more tools and a
 * webhook in place of the chat trigger.
 */
import fs from 'node:fs';
import path from 'node:path';

import { createScriptedModel, type ModelRequest, type Step } from '../helpers/scriptedModel';
import { createSandbox } from '../sandbox/server';

const n8n = require('../../scripts/n8n');

const VERSION: string = process.env.N8N_E2E_VERSION ?? n8n.PINNED_N8N;
const TOOL_TYPE = `${n8n.NODE_TYPE as string}Tool`;
/** AI Agent's current version: 3.1 from n8n 2.x; n8n 1.123's newest is 3. The previous one, 2.2, runs on all three. */
const AGENT_VERSIONS: Array<[string, number]> = [
	['current', VERSION.startsWith('1.') ? 3 : 3.1],
	['previous', 2.2],
];
const MODEL_CREDENTIAL = { id: n8n.CREDENTIAL_IDS.model as string, name: 'Local scripted model' };

const sandbox = createSandbox();
const demo = JSON.parse(fs.readFileSync(path.join(n8n.ROOT, 'demo', 'ai-agent-order.json'), 'utf8'));
const demoNode = (name: string) => demo.nodes.find((node: { name: string }) => node.name === name);
// The deal Update's field list, as the payment demo saves it (the agent demo's note is a timeline comment, no Update).
const updateSchema = JSON.parse(fs.readFileSync(path.join(n8n.ROOT, 'demo', 'payment-webhook.json'), 'utf8')).nodes.find((n: { name: string }) => n.name === 'Move the deal to Won').parameters.columns.schema as Array<Record<string, unknown>>;
const credentials = demoNode('Find contact by e-mail').credentials;

/** Which conversation a request belongs to: the customer's message starts with its key. */
const keyOf = (request: ModelRequest) => request.userText.split(':')[0];
const leadEmail = (key: string) => `agent.lead.${key}@example.com`;

/**
 * The model's part, the same for every variant: find, read, move, comment, fire, create-or-update the same lead
 * twice, then an update of a deal that does not exist; its answer quotes the last tool result it was sent.
 */
function script(request: ModelRequest): Step {
	const key = keyOf(request);
	const steps: Step[] = [
		{ tool: 'Find_contact_by_e-mail', args: { email: 'ivan.petrov@acme.example' } },
		{ tool: 'Find_deal_by_order_number', args: { orderNumber: 'ORD-1001' } },
		{ tool: 'Move_deal', args: { dealId: 5141, stage: 'EXECUTING' } },
		{ tool: 'Add_a_comment_to_the_deal', args: { dealId: 5141, comment: `Asked where the order is (${key})` } },
		{ tool: 'Fire_trigger', args: { dealId: '5141', trigger: 'delivery_confirmed' } },
		{ tool: 'Save_lead', args: { email: leadEmail(key), name: 'Agent Lead' } },
		{ tool: 'Save_lead', args: { email: leadEmail(key), name: 'Agent Lead' } },
		{ tool: 'Add_a_comment_to_the_deal', args: { dealId: 987654, comment: 'Nobody should read this' } },
	];
	const step = steps[request.results.length];
	return step ?? { answer: `All done. The last tool said: ${request.results[request.results.length - 1].output}` };
}
const model = createScriptedModel(script);

const tool = (id: string, name: string, parameters: Record<string, unknown>) => ({ id, name, type: TOOL_TYPE, typeVersion: 1, position: [0, 400], parameters, credentials });
const fromAI = (key: string, description: string, type = 'string') => `={{ $fromAI('${key}', '${description}', '${type}') }}`;
const dealId = fromAI('dealId', 'The deal ID', 'number');

/** The tools beyond the demo's: a stage move, a fire and a Create or Update by e-mail. */
const extraTools = () => [
	tool('7b2e0d3f-0001-4a5b-8c9d-000000000001', 'Move deal', {
		resource: 'deal',
		operation: 'update',
		entity: { __rl: true, mode: 'id', value: dealId },
		stage: fromAI('stage', 'The stage ID: NEW, PREPARATION, EXECUTING, WON or LOSE'),
		columns: { mappingMode: 'defineBelow', value: {}, matchingColumns: [], schema: updateSchema.map((field) => ({ ...field, removed: true })) },
		options: {},
	}),
	tool('7b2e0d3f-0001-4a5b-8c9d-000000000002', 'Fire trigger', {
		resource: 'automationTrigger',
		operation: 'fire',
		entityType: 'deal',
		entity: { __rl: true, mode: 'id', value: fromAI('dealId', 'The deal ID') },
		trigger: { __rl: true, mode: 'code', value: fromAI('trigger', 'The trigger code') },
		options: {},
	}),
	tool('7b2e0d3f-0001-4a5b-8c9d-000000000003', 'Save lead', {
		resource: 'lead',
		operation: 'upsert',
		columns: {
			mappingMode: 'defineBelow',
			value: { email: fromAI('email', 'The e-mail address'), name: fromAI('name', 'The person name'), title: '=Chat: {{ $fromAI("name", "The person name", "string") }}' },
			matchingColumns: ['email'],
			schema: JSON.parse(fs.readFileSync(path.join(n8n.ROOT, 'demo', 'form-lead.json'), 'utf8')).nodes.find((n: { name: string }) => n.name === 'Create or update the lead').parameters.columns.schema,
		},
		options: {},
	}),
];

const TOOL_NODES = ['Find contact by e-mail', 'Find deal by order number', 'Add a comment to the deal', 'Move deal', 'Fire trigger', 'Save lead'];

/** The demo with a webhook for its chat trigger, the agent at `agentVersion`, the model on `api`, and the extra tools. */
function agentWorkflow(id: string, webhookPath: string, agentVersion: number, api: 'chat' | 'responses') {
	const [, , agent, chatModel, ...tools] = demo.nodes;
	const nodes = [
		{ id: '7b2e0d3f-0000-4a5b-8c9d-000000000001', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `7b2e0d3f-${id.slice(-4)}-4a5b-8c9d-00000000aaaa`, parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', options: {} } },
		{ ...agent, typeVersion: agentVersion, parameters: { ...agent.parameters, promptType: 'define', text: '={{ $json.body.message }}' } },
		{ ...chatModel, parameters: { ...chatModel.parameters, responsesApiEnabled: api === 'responses' }, credentials: { openAiApi: MODEL_CREDENTIAL } },
		...tools,
		...extraTools(),
	];
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections: {
			Webhook: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': demo.connections['OpenAI Chat Model'],
			...Object.fromEntries(TOOL_NODES.map((name) => [name, { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] }])),
		},
	};
}

/** MCP Server Trigger (its current version, Streamable HTTP) with two Bitrix24 tools. */
const MCP_PATH = 'bitrix24-tools';
function mcpWorkflow() {
	const [get, update] = [demoNode('Find deal by order number'), demoNode('Add a comment to the deal')];
	return {
		id: 'bx24E2eMcpTools1',
		name: 'MCP tools',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: '7b2e0d3f-0002-4a5b-8c9d-000000000001', name: 'MCP Server Trigger', type: '@n8n/n8n-nodes-langchain.mcpTrigger', typeVersion: 2, position: [0, 0], webhookId: '7b2e0d3f-0002-4a5b-8c9d-00000000bbbb', parameters: { path: MCP_PATH } },
			get,
			update,
		],
		connections: Object.fromEntries([get, update].map(({ name }) => [name, { ai_tool: [[{ node: 'MCP Server Trigger', type: 'ai_tool', index: 0 }]] }])),
	};
}

/**
 * The Responses API with the current agent only: n8n's AI Agent 2.2 refuses it itself ("This model is not supported
 * in 2.2 version of the Agent node. Please upgrade the Agent node to the latest version.", n8n 2.8.4).
 */
const VARIANTS = AGENT_VERSIONS.flatMap(([label, version]) =>
	(label === 'current' ? (['chat', 'responses'] as const) : (['chat'] as const)).map((api) => ({ key: `${label}-${api}`, version, api, id: `bx24E2eAgent${label === 'current' ? 'C' : 'P'}${api === 'chat' ? 'Ch' : 'Rs'}`.padEnd(16, '0') })),
);

let dataDir: string;
let instance: { url: string; startMs: number; stop: () => Promise<void> };
let call: (method: string, route: string, body?: unknown) => Promise<{ status: number; body: any; text: string }>;

async function vibe(method: string, route: string, body?: unknown): Promise<any> {
	const response = await fetch(`${sandbox.url}${route}`, {
		method,
		headers: { 'X-Api-Key': sandbox.keys.personal, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return await response.json();
}

/** A production URL right after activation: n8n 2.3x registers it asynchronously (404 "not registered" for a moment). */
async function callActivated(url: string, init: () => RequestInit): Promise<Response> {
	for (let attempt = 0; ; attempt++) {
		const response = await fetch(url, init());
		if (response.status !== 404 || attempt >= 40) return response;
		await response.text();
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** Why the newest execution of a workflow failed, as n8n stored it (a webhook's caller gets only "Error in workflow"). */
async function lastError(workflowId: string): Promise<string> {
	const list = await call('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
	const newest = (list.body?.data?.results ?? []).map((r: { id: string }) => r.id).sort((a: string, b: string) => Number(b) - Number(a))[0];
	if (!newest) return '(no execution)';
	const { data } = (await call('GET', `/rest/executions/${newest}`)).body.data;
	const flatted = require(require.resolve('flatted', { paths: [n8n.hostDir(VERSION)] }));
	const error = flatted.parse(data).resultData.error;
	return `${error?.message ?? '(no error)'} ${error?.description ?? ''} ${error?.node?.name ?? ''}`;
}

beforeAll(async () => {
	const started = Date.now();
	await n8n.ensureN8n(VERSION);
	await sandbox.start();
	await model.start();
	fs.mkdirSync(path.join(n8n.ROOT, '.n8n-data'), { recursive: true });
	dataDir = fs.mkdtempSync(path.join(n8n.ROOT, '.n8n-data', `ai-${VERSION}-`));
	const brokerPort = await n8n.freePort();
	await n8n.prepareInstance({ version: VERSION, dataDir, sandboxUrl: sandbox.url, modelUrl: model.url, brokerPort, workflows: [...VARIANTS.map(({ key, id, version, api }) => agentWorkflow(id, `agent-${key}`, version, api)), mcpWorkflow()] });
	instance = await n8n.startN8n({ version: VERSION, dataDir, port: await n8n.freePort(), brokerPort });
	({ call } = await n8n.restClient(instance.url));
	for (const id of [...VARIANTS.map((variant) => variant.id), 'bx24E2eMcpTools1']) {
		const { versionId } = (await call('GET', `/rest/workflows/${id}`)).body.data;
		let activation = await call('POST', `/rest/workflows/${id}/activate`, { versionId });
		if (activation.status === 404) activation = await call('PATCH', `/rest/workflows/${id}`, { active: true, versionId }); // n8n 1.x
		if (activation.status !== 200) throw new Error(`activating ${id}: ${activation.text}`);
	}
	process.stdout.write(`n8n ${VERSION}: ready for the agent tests in ${((Date.now() - started) / 1000).toFixed(1)} s (start ${(instance.startMs / 1000).toFixed(1)} s)\n`);
}, 30 * 60_000);

afterAll(async () => {
	await instance?.stop();
	await model.stop();
	await sandbox.stop();
	if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe(`n8n ${VERSION}: AI Agent with Bitrix24 tools`, () => {
	test.each(VARIANTS)('AI Agent $version, $api API: offered, called, failures answered, no duplicate', async ({ key, id }) => {
		const response = await callActivated(`${instance.url}/webhook/agent-${key}`, () => ({
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ message: `${key}: I am ivan.petrov@acme.example, where is my order ORD-1001?` }),
		}));
		const text = await response.text();
		expect({ status: response.status, text: response.status === 200 ? '' : `${text}\n${await lastError(id)}` }).toEqual({ status: 200, text: '' });
		expect(model.unexpected).toEqual([]);
		const requests = model.requests.filter((request) => keyOf(request) === key);
		expect(requests.map((r) => r.api)).toEqual(Array(9).fill(key.endsWith('responses') ? 'responses' : 'chat'));

		// Offered: every tool, with the node's description per operation and the $fromAI schema.
		const offered = Object.fromEntries(requests[0].tools.map((t) => [t.name, t]));
		expect(Object.keys(offered).sort()).toEqual(TOOL_NODES.map((name) => name.replace(/[^a-zA-Z0-9_-]+/g, '_')).sort());
		expect(offered.Add_a_comment_to_the_deal.description).toMatch(/^Write a comment on a CRM record's timeline in Bitrix24.*numeric ID and the text.*success: false with error/);
		expect(offered.Save_lead.description).toContain('never makes a second lead');
		expect(offered.Add_a_comment_to_the_deal.parameters).toMatchObject({ type: 'object', properties: { dealId: { type: 'number' }, comment: { type: 'string' } } });
		expect(offered.Move_deal.parameters.required?.sort()).toEqual(['dealId', 'stage']);

		// What each call answered the model, in order.
		const results = requests[requests.length - 1].results.map((r) => ({ name: r.name, json: JSON.parse(r.output) }));
		const flat = (json: unknown) => (Array.isArray(json) ? json : [json]);
		expect(results.map((r) => r.name)).toEqual(['Find_contact_by_e-mail', 'Find_deal_by_order_number', 'Move_deal', 'Add_a_comment_to_the_deal', 'Fire_trigger', 'Save_lead', 'Save_lead', 'Add_a_comment_to_the_deal']);
		expect(flat(results[0].json)).toEqual([expect.objectContaining({ id: 201, name: 'Ivan' })]);
		expect(flat(results[1].json)).toEqual([expect.objectContaining({ id: 5141, UF_CRM_ORDER_NUMBER: 'ORD-1001' })]);
		expect(flat(results[2].json)).toEqual([expect.objectContaining({ id: 5141, stageId: 'EXECUTING' })]);
		expect(flat(results[4].json)).toEqual([expect.objectContaining({ success: true, triggerId: 'delivery_confirmed' })]);
		const [created, again] = [flat(results[5].json)[0], flat(results[6].json)[0]];
		expect([created.action, again.action, again.id]).toEqual(['created', 'updated', created.id]);
		// The failure is the tool's answer: message, hint and code.
		expect(flat(results[7].json)).toEqual([
			expect.objectContaining({ success: false, error: 'The CRM has no deal 987654 [ENTITY_NOT_FOUND]', hint: expect.stringMatching(/^Check the /), code: 'ENTITY_NOT_FOUND' }),
		]);
		// The agent answered, quoting it.
		expect(JSON.parse(text).output).toContain('The CRM has no deal 987654 [ENTITY_NOT_FOUND]');

		expect(flat(results[3].json)).toEqual([expect.objectContaining({ entityType: 'deal', entityId: 5141, comment: `Asked where the order is (${key})` })]);

		// Stored: the move; the comment on the deal's timeline (once), the deal's own Comments field untouched; the lead
		// once; the fire once for this conversation.
		const deal = (await vibe('GET', '/v1/deals/5141')).data;
		expect(deal.stageId).toBe('EXECUTING');
		expect(deal.comments ?? '').not.toContain('Asked where the order is');
		const timeline = (await vibe('GET', '/v1/timelines?filter[entityType]=deal&filter[entityId]=5141')).data as Array<{ comment: string; authorId: number }>;
		expect(timeline.filter((entry) => entry.comment === `Asked where the order is (${key})`)).toEqual([expect.objectContaining({ authorId: 1 })]);
		expect(timeline.some((entry) => entry.comment === 'Nobody should read this')).toBe(false);
		expect((await vibe('POST', '/v1/leads/search', { filter: { email: leadEmail(key) } })).data).toHaveLength(1);
	}, 120_000);

	test('every conversation fired the trigger once', () => {
		expect(sandbox.journal.map((fire) => `${fire.triggerId}:${fire.entityId}`)).toEqual(Array(VARIANTS.length).fill('delivery_confirmed:5141'));
	});
});

/** One JSON-RPC exchange over MCP's Streamable HTTP: the answer may come as JSON or as an SSE stream. */
async function mcp(url: string, session: { id?: string }, method: string, params: unknown, id?: number) {
	const response = await callActivated(url, () => ({
		method: 'POST',
		headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(session.id ? { 'mcp-session-id': session.id } : {}) },
		body: JSON.stringify({ jsonrpc: '2.0', method, params, ...(id === undefined ? {} : { id }) }),
	}));
	session.id = response.headers.get('mcp-session-id') ?? session.id;
	const body = await response.text();
	if (id === undefined) return { status: response.status };
	const messages = (response.headers.get('content-type') ?? '').includes('text/event-stream')
		? body
				.split('\n')
				.filter((line) => line.startsWith('data:'))
				.map((line) => JSON.parse(line.slice(5)))
		: [JSON.parse(body)];
	const answer = messages.find((message) => message.id === id);
	if (!answer) throw new Error(`MCP ${method}: no answer (${response.status}): ${body}`);
	return answer;
}

describe(`n8n ${VERSION}: MCP Server Trigger with Bitrix24 tools`, () => {
	test('an MCP client lists the tools, calls one, and gets a failure back as text', async () => {
		const url = `${instance.url}/mcp/${MCP_PATH}`;
		const session: { id?: string } = {};
		const init = await mcp(url, session, 'initialize', { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'bitrix24-e2e', version: '1.0.0' } }, 1);
		expect(init.result).toMatchObject({ protocolVersion: expect.any(String), capabilities: { tools: expect.any(Object) } });
		await mcp(url, session, 'notifications/initialized', {});

		const list = await mcp(url, session, 'tools/list', {}, 2);
		const tools = Object.fromEntries(list.result.tools.map((t: { name: string }) => [t.name, t]));
		expect(Object.keys(tools).sort()).toEqual(['Add_a_comment_to_the_deal', 'Find_deal_by_order_number']);
		expect(tools.Find_deal_by_order_number).toMatchObject({ description: expect.stringMatching(/^Search deals in the Bitrix24 CRM/), inputSchema: { properties: { orderNumber: { type: 'string' } } } });

		const found = await mcp(url, session, 'tools/call', { name: 'Find_deal_by_order_number', arguments: { orderNumber: 'ORD-1002' } }, 3);
		expect(found.result.isError ?? false).toBe(false);
		expect(JSON.parse(found.result.content[0].text)).toEqual([expect.objectContaining({ id: 5142, UF_CRM_ORDER_NUMBER: 'ORD-1002' })]);

		const failed = await mcp(url, session, 'tools/call', { name: 'Add_a_comment_to_the_deal', arguments: { dealId: 987654, comment: 'x' } }, 4);
		expect(failed.result.content[0].text).toContain('The CRM has no deal 987654 [ENTITY_NOT_FOUND]');
		expect(failed.result.content[0].text).toContain('"code":"ENTITY_NOT_FOUND"');
	}, 60_000);
});
