/**
 * End-to-end in real n8n (from the npm registry, installed into .n8n-host/<version> on first run): the
 * package installed as a user would install it, n8n's CLI executing workflows, n8n's REST API doing what
 * the editor does (node types, credential test, loaders, webhooks). Version: N8N_E2E_VERSION or the pinned one.
 */
import fs from 'node:fs';
import path from 'node:path';

import { createSandbox } from '../sandbox/server';

// Plain JavaScript shared with `npm start`; typed loosely here.
const n8n = require('../../scripts/n8n');

const VERSION: string = process.env.N8N_E2E_VERSION ?? n8n.PINNED_N8N;
const NODE_TYPE: string = n8n.NODE_TYPE;
const { personal: PERSONAL_ID, oauthApp: OAUTH_ID } = n8n.CREDENTIAL_IDS;

const sandbox = createSandbox();
let dataDir: string;
let brokerPort: number;
let installMs = 0;

/**
 * Asks the sandbox over HTTP with the personal key, as any VibeCode client would: the tests read what the workflows
 * wrote from the API's own answers, not from the node's output (which could echo what was sent, stored or not).
 */
async function vibe(method: string, route: string, body?: unknown): Promise<any> {
	const response = await fetch(`${sandbox.url}${route}`, {
		method,
		headers: { 'X-Api-Key': sandbox.keys.personal, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`sandbox ${method} ${route} answered ${response.status}: ${await response.text()}`);
	return await response.json();
}

function node(parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) {
	return {
		id: '9c3f5d94-6a41-4d76-8d85-4a0c9a3f3d02',
		name: 'Bitrix24',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [240, 0],
		parameters,
		credentials: { bitrix24VibeApi: { id: PERSONAL_ID, name: 'VibeCode sandbox (personal key)' } },
		...extra,
	};
}

function manualWorkflow(id: string, bitrix24: Record<string, unknown>) {
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: '9c3f5d94-6a41-4d76-8d85-4a0c9a3f3d01', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			bitrix24,
		],
		connections: { Start: { main: [[{ node: 'Bitrix24', type: 'main', index: 0 }]] } },
	};
}

const fire = (entity: string, trigger = 'payment_received') => ({
	resource: 'automationTrigger',
	operation: 'fire',
	entityType: 'deal',
	entity: { __rl: true, mode: 'id', value: entity },
	trigger: { __rl: true, mode: 'code', value: trigger },
	options: {},
});

/** Manual trigger → 30 deals (one item each) → Fire, Max Parallel 2: more fires than the sandbox allows per window. */
/** A mapped field as n8n's editor saves it in a mapper's schema. */
const mapped = (id: string) => ({ id, displayName: id, required: false, defaultMatch: false, display: true, type: 'string', canBeUsedToMatch: true });
const columns = (value: Record<string, string>) => ({ mappingMode: 'defineBelow', value, matchingColumns: [], schema: Object.keys(value).map(mapped), attemptToConvertTypes: false, convertFieldsToString: false });

/**
 * Beyond the six CRM records, as a form workflow would chain them: a webhook with an order and the manager's e-mail →
 * User Get Many by that e-mail → a smart-process item (Orders) for them → a task for them on the deal → a Custom API
 * Call and n8n's HTTP Request node with the predefined credential, both reading /v1/me.
 */
function beyondCrmWorkflow() {
	const bitrix24 = (name: string, x: number, parameters: Record<string, unknown>) => ({
		id: `b${x}0000000-0000-4000-8000-00000000beef`.slice(0, 36),
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [x, 0],
		parameters,
		credentials: { bitrix24VibeApi: { id: PERSONAL_ID, name: 'VibeCode sandbox (personal key)' } },
	});
	const nodes = [
		{ id: 'a0000000-0000-4000-8000-00000000beef', name: 'Order form', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'b2f4c1de-0c1e-4f57-9a7e-beyond000crm', parameters: { httpMethod: 'POST', path: 'beyond-crm', options: {} } },
		bitrix24('Find the manager', 200, { resource: 'user', operation: 'getMany', active: 'yes', filters: { email: '={{ $json.body.managerEmail }}' }, returnAll: false, limit: 1 }),
		bitrix24('Create the order', 400, {
			resource: 'smartProcessItem',
			smartProcessType: 1038,
			operation: 'create',
			columns: columns({ title: "={{ 'Order ' + $('Order form').item.json.body.order }}", ufCrm3OrderNumber: "={{ $('Order form').item.json.body.order }}" }),
			stage: 'DT1038_7:NEW',
			responsible: "={{ $('Find the manager').item.json.id }}",
			options: {},
		}),
		bitrix24('Task for the manager', 600, {
			resource: 'task',
			operation: 'create',
			columns: columns({ title: "={{ 'Ship order ' + $('Order form').item.json.body.order }}", deadline: '2026-12-10T18:00:00+03:00' }),
			responsible: "={{ $('Find the manager').item.json.id }}",
			crmRecords: { records: [{ entityType: 'deal', id: '5142' }] },
			options: {},
		}),
		bitrix24('Custom API Call', 800, { resource: 'apiCall', operation: 'request', method: 'GET', path: '/v1/me', options: {} }),
		{
			id: 'a1000000-0000-4000-8000-00000000beef',
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [1000, 0],
			parameters: { url: `${sandbox.url}/v1/me`, authentication: 'predefinedCredentialType', nodeCredentialType: 'bitrix24VibeApi', options: {} },
			credentials: { bitrix24VibeApi: { id: PERSONAL_ID, name: 'VibeCode sandbox (personal key)' } },
		},
	];
	const chain = nodes.map(({ name }) => name);
	return {
		id: 'bx24E2eBeyondCrm',
		name: 'Order form: a smart-process item and a task for the manager',
		active: false,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
		nodes,
		connections: Object.fromEntries(chain.slice(0, -1).map((name, i) => [name, { main: [[{ node: chain[i + 1], type: 'main', index: 0 }]] }])),
	};
}

const PACED_FIRES = 30;
function pacedWorkflow() {
	const deals = Array.from({ length: PACED_FIRES }, (_, i) => ({ dealId: 5141 + (i % 3) }));
	const workflow = manualWorkflow('bx24E2ePaced0001', {
		...node({ ...fire('={{ $json.dealId }}'), options: { maxParallel: 2 } }),
		position: [480, 0],
	});
	workflow.nodes.splice(1, 0,
		{ id: '9c3f5d94-6a41-4d76-8d85-4a0c9a3f3d11', name: 'Deals', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [120, 0], parameters: { mode: 'raw', jsonOutput: JSON.stringify({ deals }), options: {} } },
		{ id: '9c3f5d94-6a41-4d76-8d85-4a0c9a3f3d12', name: 'One item per deal', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [240, 0], parameters: { fieldToSplitOut: 'deals', options: {} } },
	);
	workflow.connections = {
		Start: { main: [[{ node: 'Deals', type: 'main', index: 0 }]] },
		Deals: { main: [[{ node: 'One item per deal', type: 'main', index: 0 }]] },
		'One item per deal': { main: [[{ node: 'Bitrix24', type: 'main', index: 0 }]] },
	} as typeof workflow.connections;
	return workflow;
}

beforeAll(async () => {
	installMs = (await n8n.ensureN8n(VERSION)).installMs;
	await sandbox.start();
	fs.mkdirSync(path.join(n8n.ROOT, '.n8n-data'), { recursive: true });
	dataDir = fs.mkdtempSync(path.join(n8n.ROOT, '.n8n-data', `e2e-${VERSION}-`));
	brokerPort = await n8n.freePort();
	await n8n.prepareInstance({
		version: VERSION,
		dataDir,
		sandboxUrl: sandbox.url,
		brokerPort,
		workflows: [
			manualWorkflow('bx24E2eNotFound1', node(fire('999999'))),
			manualWorkflow('bx24E2eRateLim01', node(fire('5141'))),
			pacedWorkflow(),
			beyondCrmWorkflow(),
			{
				id: 'bx24E2ePollOrder',
				name: 'Orders delivered (polling, smart process)',
				active: false,
				settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
				nodes: [
					{
						id: '5d0a6f1e-2b7c-4f0e-9d55-8b1f0c2e7a31',
						name: 'Bitrix24 Trigger',
						type: `${NODE_TYPE}Trigger`,
						typeVersion: 1,
						position: [0, 0],
						parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, entityType: 'smartProcessItem', smartProcessType: 1038, event: 'enteredStage', stage: 'DT1038_7:SUCCESS', filters: {} },
						credentials: { bitrix24VibeApi: { id: PERSONAL_ID, name: 'VibeCode sandbox (personal key)' } },
					},
				],
				connections: {},
			},
			{
				id: 'bx24E2ePollDeal1',
				name: 'New deals (polling)',
				active: false,
				settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
				nodes: [
					{
						id: '9c3f5d94-6a41-4d76-8d85-4a0c9a3f3d09',
						name: 'Bitrix24 Trigger',
						type: `${NODE_TYPE}Trigger`,
						typeVersion: 1,
						position: [0, 0],
						parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, event: 'newRecord', entityType: 'deal', filters: {} },
						credentials: { bitrix24VibeApi: { id: PERSONAL_ID, name: 'VibeCode sandbox (personal key)' } },
					},
				],
				connections: {},
			},
		],
	});
}, 30 * 60_000);

afterAll(async () => {
	await sandbox.stop();
	if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
	sandbox.journal.length = 0;
	sandbox.requests.length = 0;
	sandbox.faults.length = 0;
});

describe(`n8n ${VERSION} CLI`, () => {
	const execute = async (id: string) => {
		const result = await n8n.cli(['execute', `--id=${id}`, '--rawOutput'], { version: VERSION, dataDir, brokerPort });
		return { ...result, run: n8n.parseExecuteOutput(result.stdout) };
	};
	/** Exit 0; otherwise the failure shows the signal and the end of what n8n printed. */
	const expectExit0 = ({ code, signal, stdout, stderr }: { code: number | null; signal: string | null; stdout: string; stderr: string }) =>
		expect({ code, signal, output: code === 0 ? '' : `${stdout}${stderr}`.slice(-3000) }).toEqual({ code: 0, signal: null, output: '' });

	test('n8n execute runs the demo workflow: the good items fire exactly once, the bad one is an error item', async () => {
		const result = await execute('bx24DemoManual01');
		expectExit0(result);
		const { run } = result;
		const items = run.data.resultData.runData['Fire trigger in Bitrix24'][0].data.main[0];
		expect(items.map((item: { json: Record<string, unknown> }) => item.json.success ?? item.json.code)).toEqual([
			true,
			true,
			'INVALID_PARAMETER',
			true,
		]);
		expect(sandbox.journal.map((f) => `${f.triggerId}:${f.entityId}`)).toEqual([
			'payment_received:5141',
			'payment_received:5142',
			'delivery_confirmed:5143',
		]);
	});

	test('an API error is the node execution error in the execution data, with message, hint and status', async () => {
		const { code, stdout } = await execute('bx24E2eNotFound1');
		expect(code).not.toBe(0);
		expect(stdout).toMatch(/The CRM has no deal \d+ \[ENTITY_NOT_FOUND\]/);
		expect(stdout).toContain('Check the Entity ID and the Entity Type');
		expect(stdout).toMatch(/"httpCode": "404"/);
		expect(stdout).toContain('NodeApiError');
		expect(stdout).not.toContain(sandbox.keys.personal);
		expect(sandbox.journal).toHaveLength(0);
	});

	test('a run through the rate limit is paced: every fire once, none failed', async () => {
		sandbox.configure({ rateLimit: 10, windowMs: 2_000 });
		try {
			const result = await execute('bx24E2ePaced0001');
			expectExit0(result);
			const { run } = result;
			const items = run.data.resultData.runData.Bitrix24[0].data.main[0];
			expect(items.map((item: { json: Record<string, unknown> }) => item.json.success)).toEqual(Array(PACED_FIRES).fill(true));
			expect(sandbox.journal).toHaveLength(PACED_FIRES);
			// The limit was reached (so the node had to wait), and what the sandbox refused was retried, not lost.
			const fires = sandbox.requests.filter((r) => r.path === '/v1/triggers/fire');
			expect(fires.filter((r) => r.status === 200)).toHaveLength(PACED_FIRES);
			expect(fires.length).toBeGreaterThanOrEqual(PACED_FIRES);
		} finally {
			sandbox.configure({ rateLimit: 300, windowMs: 60_000 });
		}
	});

	test('a 429 is waited out and the trigger fires once', async () => {
		sandbox.addFault({ kind: 'error', path: '/v1/triggers/fire', status: 429, code: 'RATE_LIMITED', retryAfter: 1 });
		expectExit0(await execute('bx24E2eRateLim01'));
		expect(sandbox.requests.filter((r) => r.path === '/v1/triggers/fire').map((r) => r.status)).toEqual([429, 200]);
		expect(sandbox.journal).toHaveLength(1);
	});
});

describe(`n8n ${VERSION} server`, () => {
	let instance: { url: string; startMs: number; stop: () => Promise<void> };
	let call: (method: string, route: string, body?: unknown) => Promise<{ status: number; body: any; text: string }>;
	let port: number;
	const start = async () => {
		instance = await n8n.startN8n({ version: VERSION, dataDir, port, brokerPort });
		({ call } = await n8n.restClient(instance.url));
	};

	beforeAll(async () => {
		port = await n8n.freePort();
		await start();
		process.stdout.write(`n8n ${VERSION}: install ${Math.round(installMs / 1000)} s (0 = already installed), start ${(instance.startMs / 1000).toFixed(1)} s\n`);
	}, 5 * 60_000);

	afterAll(async () => {
		await instance?.stop();
	});

	test('loads the package under its npm name: node, AI tool variant and credential', async () => {
		const nodes = await call('GET', '/types/nodes.json');
		expect(nodes.status).toBe(200);
		const names = (nodes.body as Array<{ name: string }>).map((n) => n.name);
		expect(names).toContain(NODE_TYPE);
		expect(names).toContain(`${NODE_TYPE}Tool`);
		const credentials = await call('GET', '/types/credentials.json');
		expect((credentials.body as Array<{ name: string }>).map((c) => c.name)).toContain('bitrix24VibeApi');
	});

	test('the editor gets the node description, with the six entity types', async () => {
		const response = await call('POST', '/rest/node-types', { nodeInfos: [{ name: NODE_TYPE, version: 1 }] });
		const [description] = response.body.data;
		const entityType = description.properties.find((p: { name: string }) => p.name === 'entityType');
		expect(entityType.options.map((o: { value: string }) => o.value)).toEqual(['company', 'contact', 'deal', 'invoice', 'lead', 'quote']);
		expect(description.usableAsTool).toBe(true);
	});

	const credentialTest = async (id: string, data: Record<string, unknown>) => {
		const response = await call('POST', '/rest/credentials/test', {
			credentials: { id, name: 'test', type: 'bitrix24VibeApi', data: { baseUrl: sandbox.url, ...data } },
		});
		return response.body.data as { status: string; message: string };
	};

	test('credential test: good keys pass', async () => {
		expect(await credentialTest(PERSONAL_ID, { keyType: 'personal', apiKey: sandbox.keys.personal })).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(await credentialTest(OAUTH_ID, { keyType: 'oauthApp', apiKey: sandbox.keys.app, sessionToken: sandbox.keys.session })).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
	});

	// The credential's declarative test, run by n8n's own credentials tester: every message a user can meet.
	test("credential test: bad keys fail with VibeCode's code and what to do", async () => {
		const unknown = await credentialTest(PERSONAL_ID, { keyType: 'personal', apiKey: 'vibe_api_wrong_key' });
		expect(unknown).toEqual({ status: 'Error', message: expect.stringMatching(/^VibeCode does not recognise this API key \[INVALID_API_KEY\]\. The key is wrong/) });
		const revoked = await credentialTest(PERSONAL_ID, { keyType: 'personal', apiKey: sandbox.keys.revoked });
		expect(revoked).toEqual({ status: 'Error', message: expect.stringMatching(/^The API key has been revoked or has expired \[KEY_INACTIVE\]\. Create a new key/) });
		const expired = await credentialTest(OAUTH_ID, { keyType: 'oauthApp', apiKey: sandbox.keys.app, sessionToken: sandbox.keys.expiredSession });
		expect(expired).toEqual({ status: 'Error', message: expect.stringMatching(/^The OAuth user session has expired \[TOKEN_EXPIRED\]\. Open your application's sign-in link/) });
		const noSession = await credentialTest(OAUTH_ID, { keyType: 'oauthApp', apiKey: sandbox.keys.app, sessionToken: '' });
		expect(noSession).toEqual({
			status: 'Error',
			message: expect.stringMatching(/^The OAuth application key needs a user session \[TOKEN_MISSING\]\. Open your application's sign-in link .*paste the session token it shows \(vibe_session_…\) into the credential's Session Token\./),
		});
		// n8n itself at that address: its editor page, not VibeCode's envelope.
		const wrongUrl = await credentialTest(PERSONAL_ID, { keyType: 'personal', apiKey: sandbox.keys.personal, baseUrl: `${instance.url}/nothing-here` });
		expect(wrongUrl).toEqual({ status: 'Error', message: expect.stringMatching(/^No VibeCode API answered at this Base URL/) });
		const noScope = await credentialTest(PERSONAL_ID, { keyType: 'personal', apiKey: sandbox.keys.noCrm });
		expect(noScope).toEqual({ status: 'Error', message: "The key lacks the 'crm' scope [SCOPE_DENIED]. Re-issue the key with the 'crm' scope ticked (scopes are fixed when a key is created) and paste it into the credential." });
		// A read-only key can read: it passes, and a write or a fire says why it was refused (workflow tests).
		expect(await credentialTest(PERSONAL_ID, { keyType: 'personal', apiKey: sandbox.keys.readonly })).toEqual({ status: 'OK', message: 'Connection successful!' });
		const management = await credentialTest(PERSONAL_ID, { keyType: 'personal', apiKey: sandbox.keys.management });
		// A declarative `authenticate` cannot refuse a key before sending it: VibeCode's own refusal, in the table's words.
		expect(management).toEqual({ status: 'Error', message: expect.stringMatching(/^Management keys \(vibe_live_…\) cannot reach CRM data \[MANAGEMENT_KEY_NO_ENTITY_ACCESS\]/) });
	});

	const triggerList = (credentialId: string, credentialName: string) =>
		call('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
			path: 'parameters.trigger',
			methodName: 'searchTriggers',
			nodeTypeAndVersion: { name: NODE_TYPE, version: 1 },
			currentNodeParameters: fire(''),
			credentials: { bitrix24VibeApi: { id: credentialId, name: credentialName } },
		});

	test('the Trigger list loader with an OAuth application credential', async () => {
		const response = await triggerList(OAUTH_ID, 'VibeCode sandbox (OAuth application)');
		expect(response.status).toBe(200);
		expect(response.body.data.results).toEqual([
			{ name: 'Payment received (payment_received)', value: 'payment_received' },
			{ name: 'Delivery confirmed (delivery_confirmed)', value: 'delivery_confirmed' },
			{ name: 'Contract signed (contract_signed)', value: 'contract_signed' },
			{ name: 'Form submitted (form_submitted)', value: 'form_submitted' },
		]);
	});

	test('the Trigger list loader with a personal key shows the clear error', async () => {
		const response = await triggerList(PERSONAL_ID, 'VibeCode sandbox (personal key)');
		expect(response.status).toBeGreaterThanOrEqual(400);
		expect(response.text).toContain("A personal key cannot list triggers: add your codes to the credential's Trigger Codes");
		expect(response.text).not.toContain(sandbox.keys.personal);
	});

	test('the Entity list loader searches deals', async () => {
		const response = await call('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
			path: 'parameters.entity',
			methodName: 'searchEntities',
			nodeTypeAndVersion: { name: NODE_TYPE, version: 1 },
			currentNodeParameters: fire(''),
			credentials: { bitrix24VibeApi: { id: PERSONAL_ID, name: 'VibeCode sandbox (personal key)' } },
			filter: 'support',
		});
		expect(response.body.data.results).toEqual([
			{ name: 'Annual support contract (#5142)', value: '5142', url: 'https://sandbox.bitrix24.com/crm/deal/details/5142/' },
		]);
	});

	const activate = async (id: string) => {
		const { versionId } = (await call('GET', `/rest/workflows/${id}`)).body.data;
		let activation = await call('POST', `/rest/workflows/${id}/activate`, { versionId });
		if (activation.status === 404) activation = await call('PATCH', `/rest/workflows/${id}`, { active: true, versionId }); // n8n 1.x
		expect(activation.status).toBe(200);
	};

	const waitFor = async <T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> => {
		const until = Date.now() + timeoutMs;
		for (;;) {
			const value = await check();
			if (value !== undefined) return value;
			if (Date.now() > until) throw new Error(`nothing after ${timeoutMs / 1000} s`);
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
	};

	/** Calls a production URL right after activation: n8n 2.3x registers it asynchronously (404 "not registered" for a moment; nothing runs then, so retrying cannot fire twice). */
	const callActivated = async (url: string, init: () => RequestInit): Promise<Response> => {
		for (let attempt = 0; ; attempt++) {
			const response = await fetch(url, init());
			if (response.status !== 404 || attempt >= 20) return response;
			const text = await response.text();
			if (!/not registered|could not be found|Problem loading form/i.test(text)) return new Response(text, { status: 404 });
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	};
	const postJson = (body: unknown) => () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

	interface Execution {
		id: string;
		status: string;
		data: { resultData: { runData: Record<string, Array<{ data: { main: Array<Array<{ json: Record<string, any> }>> } }>>; error?: { message?: string; description?: string } } };
	}

	/**
	 * Every execution of a workflow, oldest first, its data parsed (n8n stores it "flatted"). Undefined while n8n
	 * cannot answer yet (just restarted) or an execution is still running: callers wait.
	 */
	const executions = async (workflowId: string): Promise<Execution[] | undefined> => {
		const flatted = require(require.resolve('flatted', { paths: [n8n.hostDir(VERSION)] }));
		const list = await call('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
		if (list.status !== 200 || !Array.isArray(list.body?.data?.results)) return undefined;
		const results = (list.body.data.results as Array<{ id: string }>).slice().sort((a, b) => Number(a.id) - Number(b.id));
		const runs: Execution[] = [];
		for (const { id } of results) {
			const execution = (await call('GET', `/rest/executions/${id}`)).body?.data;
			const ended = execution && (execution.finished === true || ['success', 'error', 'crashed', 'canceled'].includes(execution.status));
			if (!ended || typeof execution.data !== 'string') return undefined;
			runs.push({ id, status: execution.status, data: flatted.parse(execution.data) });
		}
		return runs;
	};

	/**
	 * The items each node of the workflow's `nth` execution put out, once that execution ended. A failed execution
	 * fails the test with n8n's error (WRITE_NOT_APPLIED and its hint, say): a form answers before its workflow runs,
	 * and a webhook's caller only gets "Error in workflow", so neither tells why a chain stopped.
	 */
	const nthExecution = async (workflowId: string, nth: number) => {
		const runs = await waitFor(async () => {
			const all = await executions(workflowId);
			return all && all.length >= nth ? all : undefined;
		}, 30_000);
		const { id, status, data } = runs[nth - 1];
		const error = data.resultData.error;
		if (status !== 'success' || error) {
			throw new Error(`execution ${id} of ${workflowId} ended "${status}": ${error?.message ?? '(no error recorded)'}\n${error?.description ?? ''}`);
		}
		return (node: string) => data.resultData.runData[node][0].data.main[0].map((item) => item.json);
	};

	/** What the sandbox's families store (the same as GET /__sandbox/store/{name}): tasks, timeline entries, notifications. */
	const stored = async (name: string): Promise<any> => await (await fetch(`${sandbox.url}/__sandbox/store/${name}`)).json();
	/** The order the payment demo is called with: two catalog products by SKU (sandbox catalog: 11 SUP-HOUR, 12 WEB-001). */
	const ORDER = {
		email: 'buyer@example.com',
		orderNumber: 'ORD-1002',
		lineItems: [
			{ sku: 'SUP-HOUR', name: 'Support hour', price: 120, quantity: 50 },
			{ sku: 'WEB-001', name: 'Website redesign package', price: 12000, quantity: 1 },
		],
	};

	test('payment chain: webhook → Deal Get Many by order number → Product Row Set from the line items → Fire payment_received → Timeline Log an Event → Deal Update to Won → Notification to the responsible', async () => {
		// Deal 5142 starts elsewhere, with one row of its own (40 support hours, 4800), so every change is this run's write.
		const before = (await vibe('GET', '/v1/deals/5142')).data;
		expect(before).toMatchObject({ id: 5142, categoryId: 0, UF_CRM_ORDER_NUMBER: 'ORD-1002', amount: 4800, currency: 'USD', assignedById: 1 });
		expect(before.stageId).not.toBe('WON');
		expect((await vibe('GET', '/v1/deals/5142/products')).data).toEqual([expect.objectContaining({ productId: 11, quantity: 40 })]);
		const logsBefore = (await stored('timeline')).logs.length;
		const notificationsBefore = (await stored('im')).notifications.length;
		const ownReads = sandbox.requests.length;

		await activate('bx24DemoWebhook1');
		const response = await callActivated(`${instance.url}/webhook/payment-received`, postJson(ORDER));
		const output = await nthExecution('bx24DemoWebhook1', 1);
		const chainRequests = sandbox.requests.slice(ownReads).filter((r) => r.path !== '/v1/me').map((r) => `${r.method} ${r.path}`);
		// What VibeCode stores now, first. The rows: the order's line items, row by row, in its order, the catalog products
		// found by SKU; nothing of the deal's old row left.
		const rows = (await vibe('GET', '/v1/deals/5142/products')).data;
		expect(rows).toEqual([
			expect.objectContaining({ productId: 11, productName: 'Support hour', price: 120, quantity: 50 }),
			expect.objectContaining({ productId: 12, productName: 'Website redesign package', price: 12000, quantity: 1 }),
		]);
		// The deal: the amount Bitrix24 recomputed from the rows (50 × 120 + 12000), the stage moved in the same
		// pipeline, nothing else touched. A stage move also sets the deal's move time (movedTime), to the update's time.
		const after = (await vibe('GET', '/v1/deals/5142')).data;
		expect(after).toEqual({ ...before, amount: 18000, stageId: 'WON', updatedBy: after.updatedBy, updatedAt: after.updatedAt, movedTime: after.updatedAt });
		expect(after.updatedAt).not.toBe(before.updatedAt);
		// The timeline: one log entry on the deal, titled, with the amount and the rows.
		const logs = (await vibe('GET', '/v1/timeline-logs?entityTypeId=2&entityId=5142')).data;
		const logged = logs.filter((entry: { title: string }) => entry.title === 'Payment received');
		expect(logged).toEqual([
			expect.objectContaining({ title: 'Payment received', text: 'Order ORD-1002, paid by buyer@example.com: 18000 USD for 50 × Support hour, 1 × Website redesign package.', authorId: 1 }),
		]);
		const timeline = await stored('timeline');
		expect(timeline.logs.slice(logsBefore)).toEqual([expect.objectContaining({ id: logged[0].id, bindings: [{ entityTypeId: 2, entityId: 5142 }] })]);
		// The notification: to the deal's responsible person (assignedById 1), naming the deal and the amount.
		expect((await stored('im')).notifications.slice(notificationsBefore)).toEqual([
			expect.objectContaining({ userId: before.assignedById, type: 'system', message: 'Payment received for [B]Annual support contract[/B] (order ORD-1002): 18000 USD. The deal is won; please arrange delivery.' }),
		]);
		expect(sandbox.journal.map((f) => `${f.triggerId}:${f.entityType}:${f.entityId}`)).toEqual(['payment_received:deal:5142']);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({
			success: true,
			dealId: 5142,
			stageId: 'WON',
			amount: 18000,
			currency: 'USD',
			rows: 2,
			orderNumber: 'ORD-1002',
			fired: 'payment_received',
			logEntryId: logged[0].id,
			notified: 1,
		});
		expect(output('Move the deal to Won')).toEqual([expect.objectContaining({ id: 5142, stageId: 'WON' })]);
		expect(output('Set the product rows from the order')).toEqual([expect.objectContaining({ recordId: 5142, amount: 18000, currency: 'USD' })]);
		// Each write once, in the chain's order, and no ID typed anywhere. The search comes first: the chain starts there.
		expect(chainRequests.slice(0, 2)).toEqual(['GET /v1/deals/fields', 'POST /v1/deals/search']);
		expect(chainRequests.filter((r) => !r.startsWith('GET ') && !r.endsWith('/search'))).toEqual([
			'PUT /v1/deals/5142/products',
			'POST /v1/triggers/fire',
			'POST /v1/timeline-logs',
			'PATCH /v1/deals/5142',
			'POST /v1/notifications',
		]);

		// An unknown order number: the caller gets a JSON reason, not n8n's bare "Error in workflow"; nothing written.
		const missing = await callActivated(`${instance.url}/webhook/payment-received`, postJson({ ...ORDER, orderNumber: 'ORD-404' }));
		expect(missing.status).toBe(404);
		expect(await missing.json()).toEqual({ success: false, error: 'No deal has order number ORD-404', hint: expect.stringMatching(/^Check the order number/) });
		await nthExecution('bx24DemoWebhook1', 2);
		expect(sandbox.journal).toHaveLength(1);
		expect(sandbox.requests.filter((r) => r.method !== 'GET' && (r.method !== 'POST' || ['/v1/notifications', '/v1/timeline-logs'].includes(r.path))).map((r) => `${r.method} ${r.path}`)).toEqual([
			'PUT /v1/deals/5142/products',
			'POST /v1/timeline-logs',
			'PATCH /v1/deals/5142',
			'POST /v1/notifications',
		]);
	});

	test('form chain: n8n Form → Lead Create or Update by email → Timeline comment on the lead → Task for its responsible → Fire form_submitted on that lead', async () => {
		await activate('bx24DemoFormLead');
		const submit = (name: string, comment: string) => () => {
			const form = new FormData();
			form.append('field-0', name);
			form.append('field-1', 'new.customer@example.com');
			form.append('field-2', '+7 900 000-00-01');
			form.append('field-3', comment);
			return { method: 'POST', body: form };
		};
		const leads = async (): Promise<Array<Record<string, any>>> => (await vibe('POST', '/v1/leads/search', { filter: { email: 'new.customer@example.com' } })).data;
		// Every lead, not only those with this email: a create whose fields were dropped leaves a lead without one.
		const leadCount = async (): Promise<number> => (await vibe('GET', '/v1/leads')).total;
		const comments = async (id: number) => (await vibe('GET', `/v1/timelines?filter[entityType]=lead&filter[entityId]=${id}`)).data;
		/** The tasks linked to the lead (Bitrix24's short code L_{id} in the task's CRM items). */
		const tasks = async (id: number): Promise<Array<Record<string, any>>> => (await stored('tasks')).tasks.filter((task: { ufCrmTask?: string[] }) => task.ufCrmTask?.includes(`L_${id}`));
		/** A deadline "tomorrow at this time": 24 hours after the submission, give or take the run. */
		const dueNextDay = (deadline: string, submitted: number) => expect(Math.abs(Date.parse(deadline) - (submitted + 24 * 3_600_000))).toBeLessThan(5 * 60_000);
		const countBefore = await leadCount();
		expect(await leads()).toEqual([]);

		const firstAt = Date.now();
		const first = await callActivated(`${instance.url}/form/lead-form`, submit('Nina Orlova', 'Please call me'));
		if (first.status !== 200) throw new Error(`form answered ${first.status}: ${await first.text()}`);
		const firstOutput = await nthExecution('bx24DemoFormLead', 1);
		const found = await leads();
		expect(found).toMatchObject([{ title: 'Web form: Nina Orlova', name: 'Nina Orlova', comments: 'Please call me', createdBy: 1, assignedById: 1 }]);
		const [lead] = found;
		expect(lead.email).toEqual([expect.objectContaining({ value: 'new.customer@example.com', typeId: 'WORK' })]);
		expect(lead.phone).toEqual([expect.objectContaining({ value: '+7 900 000-00-01', typeId: 'WORK' })]);
		expect(await leadCount()).toBe(countBefore + 1);
		expect(firstOutput('Create or update the lead')).toEqual([expect.objectContaining({ id: lead.id, action: 'created', name: 'Nina Orlova' })]);
		// The visitor's message on the lead's timeline, as the key's user wrote it.
		expect(await comments(lead.id)).toEqual([
			expect.objectContaining({ entityType: 'lead', entityId: lead.id, authorId: 1, comment: 'Web form message from Nina Orlova (new.customer@example.com, +7 900 000-00-01):\nPlease call me' }),
		]);
		// The follow-up task: for the lead's responsible person, linked to the lead, due the next day.
		const [task] = await tasks(lead.id);
		expect(await tasks(lead.id)).toHaveLength(1);
		expect(task).toMatchObject({ title: 'Call back Nina Orlova (web form)', responsibleId: lead.assignedById, ufCrmTask: [`L_${lead.id}`], createdBy: 1 });
		expect(task.description).toContain('Please call me');
		dueNextDay(task.deadline, firstAt);
		expect(firstOutput('Follow-up task for the responsible')).toEqual([expect.objectContaining({ id: task.id, responsibleId: 1 })]);
		expect(sandbox.journal.map((f) => `${f.triggerId}:${f.entityType}:${f.entityId}`)).toEqual([`form_submitted:lead:${lead.id}`]);

		// The same email again, with a new name and comment: the same lead is updated, not a second one created, and
		// its email and phone, already there, are not added a second time; a second comment and a second task.
		const secondAt = Date.now();
		const second = await callActivated(`${instance.url}/form/lead-form`, submit('Nina Orlova-Petrova', 'Second message'));
		expect(second.status).toBe(200);
		const secondOutput = await nthExecution('bx24DemoFormLead', 2);
		const after = await leads();
		expect(after).toHaveLength(1);
		expect(after[0]).toMatchObject({ id: lead.id, title: 'Web form: Nina Orlova-Petrova', name: 'Nina Orlova-Petrova', comments: 'Second message' });
		expect(after[0].email).toEqual(lead.email);
		expect(after[0].phone).toEqual(lead.phone);
		expect(await leadCount()).toBe(countBefore + 1);
		expect(secondOutput('Create or update the lead')).toEqual([expect.objectContaining({ id: lead.id, action: 'updated', name: 'Nina Orlova-Petrova' })]);
		expect((await comments(lead.id)).map((c: { comment: string }) => c.comment)).toEqual([
			'Web form message from Nina Orlova (new.customer@example.com, +7 900 000-00-01):\nPlease call me',
			'Web form message from Nina Orlova-Petrova (new.customer@example.com, +7 900 000-00-01):\nSecond message',
		]);
		const both = await tasks(lead.id);
		expect(both.map(({ title, responsibleId, ufCrmTask }) => ({ title, responsibleId, ufCrmTask }))).toEqual([
			{ title: 'Call back Nina Orlova (web form)', responsibleId: 1, ufCrmTask: [`L_${lead.id}`] },
			{ title: 'Call back Nina Orlova-Petrova (web form)', responsibleId: 1, ufCrmTask: [`L_${lead.id}`] },
		]);
		dueNextDay(both[1].deadline, secondAt);
		expect(sandbox.journal.map((f) => `${f.triggerId}:${f.entityType}:${f.entityId}`)).toEqual([`form_submitted:lead:${lead.id}`, `form_submitted:lead:${lead.id}`]);
	});

	/** The ids of the records each finished execution of a polling workflow emitted, oldest first. */
	test('beyond the CRM records: the manager found by e-mail gets a smart-process item and a task; a Custom API Call and the HTTP Request node both read /v1/me', async () => {
		await activate('bx24E2eBeyondCrm');
		const response = await callActivated(`${instance.url}/webhook/beyond-crm`, postJson({ order: 'E-7001', managerEmail: 'olga@sandbox.example' }));
		expect(response.status).toBe(200);
		const output = await nthExecution('bx24E2eBeyondCrm', 1);
		expect(output('Find the manager')).toEqual([expect.objectContaining({ id: 7, email: 'olga@sandbox.example' })]);
		// What VibeCode stores: the order item, in its stage, for Olga (7); the task for her, on deal 5142.
		const [order] = (await vibe('POST', '/v1/items/1038/search', { filter: { ufCrm3OrderNumber: 'E-7001' } })).data;
		expect(order).toMatchObject({ title: 'Order E-7001', stageId: 'DT1038_7:NEW', categoryId: 7, assignedById: 7 });
		expect(output('Create the order')).toEqual([expect.objectContaining({ id: order.id, assignedById: 7 })]);
		const task = (await vibe('GET', `/v1/tasks/${output('Task for the manager')[0].id}`)).data;
		expect(task).toMatchObject({ title: 'Ship order E-7001', responsibleId: 7, ufCrmTask: ['D_5142'] });
		expect(Date.parse(task.deadline)).toBe(Date.parse('2026-12-10T18:00:00+03:00'));
		// Both read the same key's /v1/me: the node through its transport, n8n's own node through the credential.
		expect(output('Custom API Call')).toEqual([expect.objectContaining({ portal: 'sandbox.bitrix24.com', type: 'personal' })]);
		expect(output('HTTP Request')).toEqual([expect.objectContaining({ success: true, data: expect.objectContaining({ portal: 'sandbox.bitrix24.com', type: 'personal' }) })]);
	});

	const emitted = async (workflowId: string): Promise<number[][] | undefined> =>
		(await executions(workflowId))?.map(({ data }) => data.resultData.runData['Bitrix24 Trigger'][0].data.main[0].map((item) => item.json.id as number));

	test('Bitrix24 Trigger: activated, it emits records created afterwards once (a smart-process item entering a stage too), and its cursor survives a restart', async () => {
		sandbox.createRecord('deal', { title: 'Before activation' });
		await activate('bx24E2ePollDeal1');
		await activate('bx24E2ePollOrder');
		// n8n 2.3x activates asynchronously: the trigger's first poll (which marks what already exists) runs
		// after activate returns. Records made before it ends would count as existing.
		await waitFor(async () => (sandbox.requests.some((r) => r.path === '/v1/deals/search') && sandbox.requests.some((r) => r.path === '/v1/items/1038/search') ? true : undefined), 30_000);
		for (let count = -1; count !== sandbox.requests.length; ) {
			count = sandbox.requests.length;
			await new Promise((resolve) => setTimeout(resolve, 1500));
		}
		const first = [sandbox.createRecord('deal', { title: 'Polled 1' }).id, sandbox.createRecord('deal', { title: 'Polled 2' }).id];
		// Order 1 (Orders, a smart process) is delivered: it enters the watched stage.
		sandbox.updateRecord('dynamic_1038', 1, { stageId: 'DT1038_7:SUCCESS' });
		// n8n polls every minute at a random second: wait for that execution.
		const runs = await waitFor(async () => {
			const all = await emitted('bx24E2ePollDeal1');
			return all?.length ? all : undefined;
		}, 90_000);
		expect(runs).toEqual([first]);
		const delivered = await waitFor(async () => {
			const all = await emitted('bx24E2ePollOrder');
			return all?.length ? all : undefined;
		}, 90_000);
		expect(delivered).toEqual([[1]]);

		// Records created while n8n is down arrive at the first poll after the restart, and nothing repeats.
		await instance.stop();
		const second = [sandbox.createRecord('deal', { title: 'While down 1' }).id, sandbox.createRecord('deal', { title: 'While down 2' }).id];
		await start();
		const after = await waitFor(async () => {
			const all = await emitted('bx24E2ePollDeal1');
			return all && all.length >= 2 ? all : undefined;
		}, 90_000);
		expect(after).toEqual([first, second]);
	}, 240_000);
});
