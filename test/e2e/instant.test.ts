/**
 * The Bitrix24 Instant Trigger in real n8n (`n8n start`, the package installed from `npm pack`), with an active
 * workflow that reads each record through the sandbox: a burst as Bitrix24's queue may deliver it — 450 distinct
 * events (outgoing-webhook ONCRMDEALUPDATE and, every ninth, the Webhook robot's call), 50 of them delivered a
 * second time, and 20 calls with a wrong token — starts exactly 450 executions, each with its record. Prints the
 * median time from a call to the start of its execution, in that burst and for single calls one at a time (what one
 * deal change in a quiet portal waits). Then n8n's ordinary stop (SIGTERM) in the middle of a burst with slow reads:
 * after a restart on the same database, with every call not answered 2xx sent again as Bitrix24 does, each event has
 * exactly one execution; beside it, the same burst into n8n's own Webhook node (Respond Immediately) and an HTTP
 * Request read, stopped by the same SIGTERM. Version: N8N_E2E_VERSION or the pinned one.
 */
import fs from 'node:fs';
import path from 'node:path';

import { burst, sendAll, type Answer } from '../sandbox/bitrixEvents';
import { createSandbox, KEYS } from '../sandbox/server';

// Plain JavaScript shared with `npm start`; typed loosely here.
const n8n = require('../../scripts/n8n');

const VERSION: string = process.env.N8N_E2E_VERSION ?? n8n.PINNED_N8N;
const WORKFLOW = 'bx24E2eInstant01';
const WEBHOOK_ID = '3c9e1f0a-5b7d-4e2c-8a6f-1d2b3c4e5f60';
const NODE = 'Bitrix24 Instant Trigger';
const TOKEN = 'e2e-application-token-5f1c0b';
const EVENTS = 450;
const COPIES = 50;
const FORGED = 20;
/** The stop test: n8n's own Webhook node (Respond Immediately) and an HTTP Request read of the same record. */
const BASELINE = 'bx24E2eInstantBase1';
const BASELINE_PATH = 'bx24-e2e-baseline';
const BASELINE_WEBHOOK_ID = '7a1d2c3b-4e5f-4a6b-9c8d-0e1f2a3b4c5d';
/**
 * 60 events, 20 calls at a time, each read taking 400 ms at VibeCode (the node reads 2 at a time per key, so the
 * burst's reads take 12 s and a SIGTERM halfway finds 20 calls in their reads). Small, as CI runs it on three n8n
 * versions: the restart is most of its time.
 */
const STOP = { events: 60, concurrency: 20, latencyMs: 400, singles: 3 };

// Every record read is one request of the key: the sandbox's per-key limit is raised so that the burst measures
// n8n and the node, not VibeCode's 300 a minute (docs/instant-trigger.md says what that limit means for a burst).
const sandbox = createSandbox({ rateLimit: 100_000 });
let dataDir: string;
type Instance = {
	url: string;
	stop: () => Promise<void>;
	terminate: () => Promise<{ code: number | null; signal: string | null; ms: number }>;
	restart: () => Promise<Instance>;
	startMs: number;
};
let instance: Instance;
let call: (method: string, route: string, body?: unknown) => Promise<{ status: number; body: any }>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

beforeAll(async () => {
	await n8n.ensureN8n(VERSION);
	await sandbox.start();
	fs.mkdirSync(path.join(n8n.ROOT, '.n8n-data'), { recursive: true });
	dataDir = fs.mkdtempSync(path.join(n8n.ROOT, '.n8n-data', `e2e-instant-${VERSION}-`));
	const brokerPort = await n8n.freePort();
	const port = await n8n.freePort();
	await n8n.prepareInstance({
		version: VERSION,
		dataDir,
		sandboxUrl: sandbox.url,
		brokerPort,
		workflows: [
			{
				id: WORKFLOW,
				name: 'Deals changed in Bitrix24 (instant)',
				active: false,
				settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
				nodes: [
					{
						id: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
						name: NODE,
						type: `${n8n.NODE_TYPE}InstantTrigger`,
						typeVersion: 1,
						position: [0, 0],
						webhookId: WEBHOOK_ID,
						parameters: { events: ['deal.update', 'robot'], applicationToken: TOKEN, readRecord: true, filters: {}, options: {} },
						credentials: { bitrix24VibeApi: { id: n8n.CREDENTIAL_IDS.personal, name: 'VibeCode sandbox (personal key)' } },
					},
				],
				connections: {},
			},
			{
				// The baseline of the stop test: what n8n's own nodes do with the same calls. The Webhook node answers once
				// the execution has started; the record is read inside the execution.
				id: BASELINE,
				name: 'Baseline: Webhook (Respond Immediately) and an HTTP Request read',
				active: false,
				settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
				nodes: [
					{
						id: '2f6e0d1c-8b7a-4c9d-a1e2-3f4a5b6c7d01',
						name: 'Webhook',
						type: 'n8n-nodes-base.webhook',
						typeVersion: 2,
						position: [0, 0],
						webhookId: BASELINE_WEBHOOK_ID,
						parameters: { httpMethod: 'POST', path: BASELINE_PATH, responseMode: 'onReceived', options: {} },
					},
					{
						id: '2f6e0d1c-8b7a-4c9d-a1e2-3f4a5b6c7d02',
						name: 'Read the deal',
						type: 'n8n-nodes-base.httpRequest',
						typeVersion: 4.2,
						position: [220, 0],
						parameters: {
							url: `=${sandbox.url}/v1/deals/{{ $json.body["data[FIELDS][ID]"] }}`,
							sendHeaders: true,
							headerParameters: { parameters: [{ name: 'x-api-key', value: KEYS.personal }] },
							options: {},
						},
					},
				],
				connections: { Webhook: { main: [[{ node: 'Read the deal', type: 'main', index: 0 }]] } },
			},
		],
	});
	instance = await n8n.startN8n({ version: VERSION, dataDir, port, brokerPort });
	({ call } = await n8n.restClient(instance.url));
}, 30 * 60_000);

afterAll(async () => {
	await instance?.stop();
	await sandbox.stop();
	if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Every execution of the workflow, finished: { id, startedAt (ms), json of the trigger's one item }. */
async function executions(upTo: number, from = 1) {
	const flatted = require(require.resolve('flatted', { paths: [n8n.hostDir(VERSION)] }));
	const found: Array<{ id: number; status: string; startedAt: number; json: Record<string, any> }> = [];
	// Execution IDs count up from 1 in a new instance, and only this workflow runs: read each by its ID.
	for (let id = from, misses = 0; id <= upTo && misses < 50; id++) {
		const execution = (await call('GET', `/rest/executions/${id}`)).body?.data;
		if (!execution) {
			misses++;
			continue;
		}
		misses = 0;
		if (execution.workflowId !== WORKFLOW) continue;
		const data = flatted.parse(execution.data);
		found.push({ id, status: execution.status, startedAt: Date.parse(execution.startedAt), json: data.resultData.runData[NODE]?.[0]?.data?.main?.[0]?.[0]?.json });
	}
	return found;
}

/** How many executions the workflow has (n8n's own count). */
async function count(): Promise<number> {
	const list = await call('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW }))}&limit=1`);
	return Number(list.body?.data?.count ?? -1);
}

test(`n8n ${VERSION}: ${EVENTS} events, ${COPIES} of them twice and ${FORGED} with a wrong token, start exactly ${EVENTS} executions, each with its record`, async () => {
	const deals = Array.from({ length: EVENTS + FORGED }, (_, i) => sandbox.createRecord('deal', { title: `Instant ${i}`, stageId: 'NEW' }));
	const byId = new Map(deals.map((deal) => [deal.id, deal]));

	const { versionId } = (await call('GET', `/rest/workflows/${WORKFLOW}`)).body.data;
	let activation = await call('POST', `/rest/workflows/${WORKFLOW}/activate`, { versionId });
	if (activation.status === 404) activation = await call('PATCH', `/rest/workflows/${WORKFLOW}`, { active: true, versionId }); // n8n 1.x
	expect(activation.status).toBe(200);
	const url = `${instance.url}/webhook/${WEBHOOK_ID}/bitrix24`;
	// n8n 2.3x registers webhooks asynchronously: until then the URL is a 404. A call without a token is refused by the node.
	for (let until = Date.now() + 60_000; ; await sleep(250)) {
		const probe = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'event=ONCRMDEALUPDATE' });
		if (probe.status === 401) break;
		if (Date.now() > until) throw new Error(`the webhook never answered 401 (last ${probe.status})`);
	}

	const calls = burst({
		ids: deals.slice(0, EVENTS).map((deal) => deal.id),
		duplicates: COPIES,
		wrongIds: deals.slice(EVENTS).map((deal) => deal.id),
		robotEvery: 9,
		token: TOKEN,
	});
	expect(calls).toHaveLength(EVENTS + COPIES + FORGED);
	const started = Date.now();
	// A call n8n answers 5xx (n8n 2.4x with SQLite answers every request 503 "Database is not ready!" while its database
	// health ping is slowed down by the burst) is sent again a second later, as Bitrix24's queue does, for up to a
	// minute (Bitrix24 does not document its schedule; with 20 s, once 5 of 520 calls on 2.41.1 beside
	// other suites did not end 'accepted').
	const answers: Answer[] = await sendAll(url, calls, { concurrency: 100, retries: 60, retryMs: 1000 });
	const retried = answers.filter((a) => (a.attempts ?? 1) > 1).length;
	const sendMs = Date.now() - started;

	// Every kind of last answer, counted: a failure names what the odd ones got (a 5xx left after the retries, a 404…).
	const kinds: Record<string, number> = {};
	for (const a of answers) {
		const kind = a.status === 200 ? `200 ${a.body?.status}` : a.status === 401 ? '401' : `${a.status} ${JSON.stringify(a.body).slice(0, 80)}`;
		kinds[kind] = (kinds[kind] ?? 0) + 1;
	}
	expect(kinds).toEqual({ '200 accepted': EVENTS, '200 duplicate': COPIES, '401': FORGED });
	expect(calls.filter((_, i) => answers[i].status === 401).every((c) => c.wrongToken)).toBe(true);

	// Wait for every execution to finish, then a little longer: exactly 450, not one more.
	for (let until = Date.now() + 180_000; (await count()) < EVENTS; await sleep(1000)) {
		if (Date.now() > until) throw new Error(`only ${await count()} executions after 3 minutes`);
	}
	await sleep(3000);
	expect(await count()).toBe(EVENTS);
	let runs = await executions(EVENTS + 60);
	for (let until = Date.now() + 60_000; runs.some((run) => !['success', 'error', 'crashed'].includes(run.status)) && Date.now() < until; await sleep(1000)) {
		runs = await executions(EVENTS + 60);
	}
	expect(runs).toHaveLength(EVENTS);
	expect(runs.filter((run) => run.status !== 'success')).toEqual([]);

	// Each execution carries its own record, read from VibeCode, and the event that started it.
	const ids = runs.map((run) => run.json?.id);
	expect(new Set(ids).size).toBe(EVENTS);
	expect([...ids].sort((a, b) => a - b)).toEqual(deals.slice(0, EVENTS).map((deal) => deal.id).sort((a, b) => a - b));
	for (const run of runs) {
		expect(run.json).toMatchObject({ id: run.json.id, title: byId.get(run.json.id)?.title, stageId: 'NEW', bitrix24Event: { id: run.json.id } });
		expect(JSON.stringify(run.json)).not.toContain(TOKEN);
	}
	const robots = runs.filter((run) => run.json.bitrix24Event.event === 'ROBOT').length;
	expect(robots).toBe(calls.filter((c) => c.kind === 'robot' && !c.copy).length);

	// From the call (the first delivery of its record) to its execution's start.
	const firstSent = new Map<number, number>();
	calls.forEach((c, i) => {
		if (!c.wrongToken && !firstSent.has(c.id)) firstSent.set(c.id, answers[i].sentAt);
	});
	const latencies = runs.map((run) => run.startedAt - firstSent.get(run.json.id)!);
	const answerMs = answers.map((a) => a.ms);
	// Where the time goes: from the call to the record's read reaching VibeCode (the sandbox's log), and on to the start.
	const readAt = new Map(sandbox.requests.filter((r) => /^\/v1\/deals\/\d+$/.test(r.path)).map((r) => [Number(r.path.split('/').pop()), r.at]));
	const toRead = runs.map((run) => readAt.get(run.json.id)! - firstSent.get(run.json.id)!);
	const readToStart = runs.map((run) => run.startedAt - readAt.get(run.json.id)!);
	const line =
		`n8n ${VERSION}: ${calls.length} calls sent in ${(sendMs / 1000).toFixed(1)} s (100 at a time; ${retried} sent again after a 5xx); answered in median ${median(answerMs)} ms (max ${Math.max(...answerMs)} ms); ` +
		`${runs.length} executions (${robots} robot calls); call → execution start: median ${median(latencies)} ms, ` +
		`p90 ${[...latencies].sort((a, b) => a - b)[Math.floor(latencies.length * 0.9)]} ms, max ${Math.max(...latencies)} ms ` +
		`(call → record read: median ${median(toRead)} ms; read → start: median ${median(readToStart)} ms)`;
	process.stderr.write(`\n${line}\n`);
	fs.mkdirSync(path.join(n8n.ROOT, 'test-results'), { recursive: true });
	fs.writeFileSync(path.join(n8n.ROOT, 'test-results', `instant-${VERSION}.txt`), `${line}\n`);
}, 15 * 60_000);

test(`n8n ${VERSION}: single calls one at a time start their execution within a fraction of a second`, async () => {
	const url = `${instance.url}/webhook/${WEBHOOK_ID}/bitrix24`;
	const before = await count();
	const latencies: number[] = [];
	const answerMs: number[] = [];
	for (let i = 0; i < 20; i++) {
		const deal = sandbox.createRecord('deal', { title: `Single ${i}`, stageId: 'WON' });
		const [answer] = await sendAll(url, burst({ ids: [deal.id], token: TOKEN }), { retries: 20 });
		expect(answer).toMatchObject({ status: 200, body: { status: 'accepted' } });
		answerMs.push(answer.ms);
		for (let until = Date.now() + 30_000; (await count()) < before + i + 1; await sleep(50)) {
			if (Date.now() > until) throw new Error(`no execution for deal ${deal.id}`);
		}
		const [run] = await executions(before + i + 40, before + i + 1).then((list) => list.filter((r) => r.json?.id === deal.id));
		expect(run.json).toMatchObject({ id: deal.id, title: `Single ${i}`, stageId: 'WON' });
		latencies.push(run.startedAt - answer.sentAt);
	}
	const line = `n8n ${VERSION}: single calls, one at a time: answered in median ${median(answerMs)} ms; call → execution start: median ${median(latencies)} ms, max ${Math.max(...latencies)} ms`;
	process.stderr.write(`\n${line}\n`);
	fs.appendFileSync(path.join(n8n.ROOT, 'test-results', `instant-${VERSION}.txt`), `${line}\n`);
	expect(median(latencies)).toBeLessThan(2000);
}, 5 * 60_000);

test(`n8n ${VERSION}: the demo workflow — deal 5142 moved to Won, the event sent as Bitrix24 would — fires delivery_confirmed once, and not again for a later edit`, async () => {
	const { SANDBOX_TOKEN, eventPairs, robotPairs, post } = require('../sandbox/bitrixEvents');
	const demo = JSON.parse(fs.readFileSync(path.join(n8n.ROOT, 'demo', 'instant-deal-won.json'), 'utf8'));
	const trigger = demo.nodes.find((node: { type: string }) => node.type.endsWith('InstantTrigger'));
	const { versionId } = (await call('GET', `/rest/workflows/${demo.id}`)).body.data;
	let activation = await call('POST', `/rest/workflows/${demo.id}/activate`, { versionId });
	if (activation.status === 404) activation = await call('PATCH', `/rest/workflows/${demo.id}`, { active: true, versionId }); // n8n 1.x
	expect(activation.status).toBe(200);
	const url = `${instance.url}/webhook/${trigger.webhookId}/bitrix24`;
	for (let until = Date.now() + 60_000; (await post(url, [['event', 'ONCRMDEALUPDATE']])).status !== 401; await sleep(250)) {
		if (Date.now() > until) throw new Error('the demo webhook never answered');
	}
	const fires = () => sandbox.journal.filter((fire) => fire.entityId === 5142 && fire.triggerId === 'delivery_confirmed').length;
	// Not won yet: the filter keeps the workflow from starting.
	sandbox.updateRecord('deal', 5142, { stageId: 'NEW' });
	const reads = () => sandbox.requests.filter((r) => r.path === '/v1/deals/5142').length;
	const before = reads();
	// The node answers once it has read the deal: 'skipped', as the deal is not at WON and nothing starts.
	expect((await post(url, eventPairs({ id: 5142, token: SANDBOX_TOKEN }))).body).toMatchObject({ status: 'skipped' });
	expect(reads()).toBe(before + 1);
	sandbox.updateRecord('deal', 5142, { stageId: 'WON' });
	const won = eventPairs({ id: 5142, token: SANDBOX_TOKEN });
	expect((await post(url, won)).status).toBe(200);
	expect((await post(url, won)).body).toMatchObject({ status: 'duplicate' });
	expect((await post(url, robotPairs({ id: 5142, token: 'wrong' }))).status).toBe(401);
	for (let until = Date.now() + 30_000; fires() < 1; await sleep(200)) {
		if (Date.now() > until) throw new Error('delivery_confirmed was not fired');
	}
	// A later edit of the won deal is a new event, read like the others; Watch Fields (Stage) keeps it from firing.
	sandbox.updateRecord('deal', 5142, { comments: 'Delivered to the customer' });
	const edited = reads();
	expect((await post(url, eventPairs({ id: 5142, token: SANDBOX_TOKEN }))).body).toMatchObject({ status: 'skipped' });
	expect(reads()).toBe(edited + 1);
	await sleep(2000);
	expect(fires()).toBe(1);
}, 3 * 60_000);

const ok = (status: number | undefined) => status !== undefined && status >= 200 && status <= 299;

/**
 * The executions of a workflow with an ID above `afterId`, read one by one by ID (n8n's list API pages differently in
 * every version: 100 at most, by `lastId` in 2.8, by cursor in 2.41), with the record ID that `recordId` finds in
 * its run data. IDs count up in one database; the scan ends after 20 IDs in a row that do not exist.
 */
async function executionsOf(workflowId: string, recordId: (runData: Record<string, any>) => number | undefined, afterId = 0) {
	const flatted = require(require.resolve('flatted', { paths: [n8n.hostDir(VERSION)] }));
	const found: Array<{ id: number; status: string; createdAt: number; startedAt: number; stoppedAt: number; recordId?: number; heldRecordId?: number; error?: string }> = [];
	for (let id = afterId + 1, misses = 0; misses < 20; id++) {
		const execution = (await call('GET', `/rest/executions/${id}`)).body?.data;
		if (!execution) {
			misses++;
			continue;
		}
		misses = 0;
		if (String(execution.workflowId) !== workflowId) continue;
		const data = typeof execution.data === 'string' ? flatted.parse(execution.data) : undefined;
		const runData = data?.resultData?.runData ?? {};
		// What n8n stored when it created the execution: the trigger's item, waiting to run (all a crashed one may have).
		const held = data?.executionData?.nodeExecutionStack?.[0]?.data?.main?.[0]?.[0]?.json;
		found.push({
			id,
			status: execution.status,
			createdAt: Date.parse(execution.createdAt ?? execution.startedAt),
			startedAt: Date.parse(execution.startedAt),
			stoppedAt: Date.parse(execution.stoppedAt),
			recordId: recordId(runData),
			heldRecordId: typeof held?.id === 'number' ? held.id : undefined,
			error: data?.resultData?.error ? String(data.resultData.error.message ?? data.resultData.error.name ?? 'error') : undefined,
		});
	}
	return found;
}
const firstItem = (runData: Record<string, any>, node: string) => runData[node]?.[0]?.data?.main?.[0]?.[0]?.json;
const instantRecord = (runData: Record<string, any>) => firstItem(runData, NODE)?.id;
// The record the HTTP Request read; the ID the call named if the read failed.
const baselineRecord = (runData: Record<string, any>) => firstItem(runData, 'Read the deal')?.id ?? (Number(firstItem(runData, 'Webhook')?.body?.['data[FIELDS][ID]']) || undefined);

/** Activates a workflow (unless it is active) and waits until its webhook answers. */
async function activate(workflowId: string, url: string) {
	const { versionId, active } = (await call('GET', `/rest/workflows/${workflowId}`)).body.data;
	if (!active) {
		let activation = await call('POST', `/rest/workflows/${workflowId}/activate`, { versionId });
		if (activation.status === 404) activation = await call('PATCH', `/rest/workflows/${workflowId}`, { active: true, versionId }); // n8n 1.x
		expect(activation.status).toBe(200);
	}
	// Registered asynchronously in n8n 2.3x: a 404 until then. Each answers an empty call with a 4xx of its own or a 200.
	for (let until = Date.now() + 60_000; ; await sleep(250)) {
		const probe = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'event=ONCRMDEALUPDATE' });
		await probe.text();
		if (probe.status !== 404) return;
		if (Date.now() > until) throw new Error(`${url} was never registered`);
	}
}

test(`n8n ${VERSION}: n8n stopped (SIGTERM) in the middle of a burst with slow reads and started again: every event has exactly one execution once Bitrix24 has sent again what was not answered 2xx; beside n8n's own Webhook and HTTP Request`, async () => {
	const url = `${instance.url}/webhook/${WEBHOOK_ID}/bitrix24`;
	const baselineUrl = `${instance.url}/webhook/${BASELINE_PATH}`;
	// Both active (the first test activated the trigger's workflow, unless this test runs alone).
	await activate(WORKFLOW, url);
	await activate(BASELINE, baselineUrl);
	const newest = await call('GET', '/rest/executions?limit=1');
	const afterId = Number(newest.body?.data?.results?.[0]?.id ?? 0);
	expect(afterId).toBeGreaterThan(0);
	sandbox.configure({ latencyMs: STOP.latencyMs });
	try {
		// One event at a time first: what a quiet portal's event waits, with a read that takes STOP.latencyMs.
		const single = { answered: [] as number[], started: [] as number[] };
		for (let i = 0; i < STOP.singles; i++) {
			const deal = sandbox.createRecord('deal', { title: `Slow single ${i}`, stageId: 'NEW' });
			const [answer] = await sendAll(url, burst({ ids: [deal.id], token: TOKEN }), { retries: 20 });
			expect(answer).toMatchObject({ status: 200, body: { status: 'accepted' } });
			const run = await waitForValue(`the execution of deal ${deal.id}`, async () => (await executionsOf(WORKFLOW, instantRecord, afterId)).find((r) => r.recordId === deal.id), 30_000);
			single.answered.push(answer.ms);
			single.started.push(run.startedAt - answer.sentAt);
		}
		const afterSingles = Math.max(afterId, ...(await executionsOf(WORKFLOW, instantRecord, afterId)).map((r) => r.id));

		const deals = Array.from({ length: STOP.events }, (_, i) => sandbox.createRecord('deal', { title: `Stop ${i}`, stageId: 'NEW' }));
		const ids = deals.map((deal) => deal.id as number);
		const half = STOP.events / 2;
		// Sent as Bitrix24 does: 20 at a time, and every call not answered 2xx (no answer, refused, 404, 5xx) sent
		// again half a second later, for up to 5 minutes.
		// Resends wait until n8n is up again: Bitrix24 sends again minutes later, not every half second, and n8n's own
		// start-up page answers 200 ("n8n is starting up") to a call that meets it, which Bitrix24 takes as delivered
		// (seen on 2.41.1 when resending every 500 ms through the restart: 2 of 60; docs/instant-trigger.md).
		let upAgain!: () => void;
		const restarted = new Promise<void>((resolve) => (upAgain = resolve));
		const sending = { concurrency: STOP.concurrency, retries: 600, retryMs: 500, resend: 'non-2xx' as const, beforeResend: () => (stopAt ? restarted : Promise.resolve()) };
		const answered = { instant: 0, baseline: 0 };
		let stopAt = 0;
		let exited: ReturnType<Instance['terminate']> | undefined;
		let baselineStart = 0;
		let baselineSend: Promise<Answer[]> | undefined;
		// SIGTERM when half of the baseline's calls are answered. The baseline starts when all but 2 of the first half of the instant trigger's
		// are: its calls are answered at once (its reads come after), so the one SIGTERM finds both halfway.
		const stop = () => {
			stopAt = Date.now();
			exited = instance.terminate();
		};
		const startBaseline = () => {
			baselineStart = Date.now();
			baselineSend = sendAll(baselineUrl, burst({ ids, token: TOKEN }), {
				...sending,
				onAttempt: (_, attempt) => {
					if (ok(attempt.status) && ++answered.baseline === half && !stopAt) stop();
				},
			});
		};
		const started = Date.now();
		const instantSend = sendAll(url, burst({ ids, token: TOKEN }), {
			...sending,
			onAttempt: (_, attempt) => {
				if (ok(attempt.status) && ++answered.instant === half - 2 && !baselineSend) startBaseline();
			},
		});
		await waitForValue('the SIGTERM', () => exited, 300_000, 100);
		const exit = await Promise.race([exited!, sleep(90_000).then(() => undefined)]);
		if (!exit) throw new Error('n8n did not exit within 90 s of SIGTERM');
		const exitAt = Date.now();
		const stopped = instance;
		instance = await stopped.restart();
		upAgain();
		({ call } = await n8n.restClient(instance.url));
		const readyAt = Date.now();
		const [instantAnswers, baselineAnswers] = await Promise.all([instantSend, baselineSend!]);
		const allAnsweredAt = Date.now();

		const tally = (answers: Answer[]) => {
			const kinds: Record<string, number> = {};
			for (const a of answers) {
				const kind = `${a.status} ${typeof a.body === 'object' ? JSON.stringify(a.body).slice(0, 60) : String(a.body).slice(0, 60)}`;
				kinds[kind] = (kinds[kind] ?? 0) + 1;
			}
			return kinds;
		};
		// What each workflow got: the executions n8n has, once every one has ended.
		const ended = (r: { status: string }) => !['new', 'running', 'waiting', 'unknown', undefined].includes(r.status);
		const settle = (workflowId: string, recordId: (runData: Record<string, any>) => number | undefined, from: number) =>
			waitForValue(`the executions of ${workflowId} to end`, async () => {
				const runs = await executionsOf(workflowId, recordId, from);
				return runs.length && runs.every(ended) ? runs : undefined;
			}, 120_000);
		const outcome = (answers: Answer[], runs: Array<{ status: string; recordId?: number; heldRecordId?: number; stoppedAt: number }>, from: number) => {
			const byRecord = new Map<number, number>();
			// An event counts as kept when an execution holds it: run with its record, or created and left crashed holding it.
			const kept = (run: (typeof runs)[number]) => run.recordId ?? (run.status === 'crashed' ? run.heldRecordId : undefined);
			for (const run of runs) if (kept(run) !== undefined) byRecord.set(kept(run)!, (byRecord.get(kept(run)!) ?? 0) + 1);
			const statuses: Record<string, number> = {};
			for (const run of runs) statuses[run.status] = (statuses[run.status] ?? 0) + 1;
			const okAt = (a: Answer) => a.history?.find((h) => ok(h.status))?.at ?? Infinity;
			return {
				answeredBeforeStop: answers.filter((a) => okAt(a) <= stopAt).length,
				answeredWhileStopping: answers.filter((a) => okAt(a) > stopAt && okAt(a) <= exitAt).length,
				// Sent before n8n had exited and not answered 2xx: a dropped or refused connection, or a non-2xx answer.
				interrupted: answers.filter((a) => a.history?.some((h) => h.sentAt < exitAt && !ok(h.status))).length,
				// How the attempts sent before the exit and not answered 2xx ended: no answer (the error) or the answer.
				cutOff: answers
					.flatMap((a) => (a.history ?? []).filter((h) => h.sentAt < exitAt && !ok(h.status)))
					.reduce<Record<string, number>>((kinds, h) => {
						const kind = h.error ?? `${h.status}${h.code ? ` ${h.code}` : ''}`;
						return { ...kinds, [kind]: (kinds[kind] ?? 0) + 1 };
					}, {}),
				sentAgain: answers.filter((a) => (a.attempts ?? 1) > 1).length,
				finalAnswers: tally(answers),
				executions: runs.length,
				statuses,
				lost: ids.filter((id) => !byRecord.has(id)).length,
				duplicated: [...byRecord.values()].reduce((sum, n) => sum + n - 1, 0),
				unattributed: runs.filter((run) => kept(run) === undefined).length,
				wallSeconds: Number(((Math.max(...answers.map(okAt)) - from) / 1000).toFixed(1)),
				lastExecutionEndSeconds: Number(((Math.max(...runs.map((run) => run.stoppedAt)) - from) / 1000).toFixed(1)),
			};
		};
		const instantRuns = await settle(WORKFLOW, instantRecord, afterSingles);
		const baselineRuns = await settle(BASELINE, baselineRecord, afterId);
		const instantResult = outcome(instantAnswers, instantRuns, started);
		const baselineResult = outcome(baselineAnswers, baselineRuns, baselineStart);
		const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
		const row = (name: string, r: typeof instantResult) =>
			`| ${name} | ${r.answeredBeforeStop} (+${r.answeredWhileStopping} while stopping) | ${r.interrupted} | ${r.executions} ${JSON.stringify(r.statuses)} | ${r.lost} | ${r.duplicated} | ${r.wallSeconds} s | ${r.lastExecutionEndSeconds} s |`;
		const lines = [
			`n8n ${VERSION}: SIGTERM in a burst of ${STOP.events} events (${STOP.concurrency} calls at a time, reads of ${STOP.latencyMs} ms): SIGTERM ${s(stopAt - started)} after the first call, n8n exited ${s(exitAt - stopAt)} later (code ${exit.code}, signal ${exit.signal}), ready again ${s(readyAt - exitAt)} after that; every call answered 2xx ${s(allAnsweredAt - started)} after the first`,
			'| Workflow | Answered 2xx before SIGTERM | Calls interrupted (sent again) | Executions after the restart | Lost (no execution holds it) | Duplicated | First call → last 2xx | First call → last execution ended |',
			'| --- | --- | --- | --- | --- | --- | --- | --- |',
			row('Bitrix24 Instant Trigger (Read the Record)', instantResult),
			row("n8n's Webhook (Respond Immediately) + HTTP Request", baselineResult),
			`final answers: instant ${JSON.stringify(instantResult.finalAnswers)}; baseline ${JSON.stringify(baselineResult.finalAnswers)}`,
			`attempts sent before the exit and not answered 2xx: instant ${JSON.stringify(instantResult.cutOff)}; baseline ${JSON.stringify(baselineResult.cutOff)}`,
			`instant, ms after the SIGTERM: answered 2xx while stopping ${JSON.stringify(instantAnswers.map((a) => a.history?.find((h) => ok(h.status))?.at ?? 0).filter((at) => at > stopAt && at <= exitAt).map((at) => at - stopAt).sort((a, b) => a - b))}; cut off, sent at ${JSON.stringify(instantAnswers.flatMap((a) => (a.history ?? []).filter((h) => h.sentAt < exitAt && !ok(h.status)).map((h) => h.sentAt - stopAt)).sort((a, b) => a - b))}`,
			`n8n ${VERSION}: single events one at a time, reads of ${STOP.latencyMs} ms: answered in median ${median(single.answered)} ms; call → execution start median ${median(single.started)} ms (max ${Math.max(...single.started)} ms)`,
		];
		process.stderr.write(`\n${lines.join('\n')}\n`);
		fs.mkdirSync(path.join(n8n.ROOT, 'test-results'), { recursive: true });
		fs.appendFileSync(path.join(n8n.ROOT, 'test-results', `instant-${VERSION}.txt`), `${lines.join('\n')}\n`);

		// n8n keeps taking webhook calls and starting their executions while it stops (its server stays open until the
		// exit), and exits once its wait for running executions finds none: an execution created in the moment after
		// that wait is left "crashed" at the exit, holding only the item n8n stored when it created it. n8n 1.x has
		// answered by then (it answers before it creates the execution): in CI 1.123.81 lost 1 of 60 so, the node's
		// code having returned long before. Such an execution must have been created during the stop and hold its
		// event; every other event exactly once, with its record. (The build that answered before the read: 100
		// answered before the SIGTERM, 20 executions, 80 lost without a trace.)
		const crashedAtStop = instantRuns.filter((run) => run.status === 'crashed' && run.recordId === undefined);
		for (const run of crashedAtStop) {
			expect({ createdDuringTheStop: run.createdAt >= stopAt - 100 && run.createdAt <= exitAt + 100, holds: run.heldRecordId }).toEqual({ createdDuringTheStop: true, holds: expect.any(Number) });
		}
		// `outcome` counts an event as kept by the execution that ran it or by a crashed one holding it: none lost, none
		// kept twice (a crashed copy of an event that also ran included), every execution with its event.
		expect({ lost: instantResult.lost, duplicated: instantResult.duplicated, unattributed: instantResult.unattributed }).toEqual({ lost: 0, duplicated: 0, unattributed: 0 });
		const ran = instantRuns.filter((run) => !crashedAtStop.includes(run));
		// The stop came in the middle: calls were answered before it, and others were still in their reads. n8n cuts
		// those off (20 on 2.8.4 and 1.123.81, 6 on 2.41.1, sent again after the restart) or finishes them while it
		// stops (2.41.1 answered 22 then); the table above says which. Either way each event once, held above.
		expect(instantResult.answeredBeforeStop).toBeGreaterThan(0);
		expect(instantResult.answeredBeforeStop).toBeLessThan(STOP.events);
		// Every call ended 'accepted' (a 2xx that is not the node's answer, n8n's start-up page, would end the resending).
		expect(instantResult.finalAnswers).toEqual({ [`200 ${JSON.stringify({ status: 'accepted' })}`]: STOP.events });
		expect([...ran.map((run) => run.recordId!), ...crashedAtStop.map((run) => run.heldRecordId!)].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
		// The workflow is the trigger alone: nothing in it can fail. n8n 1.123.81 in CI ended 2 of 60 executions
		// "error" as it stopped, each with its record, every event once; such an execution must have ended after the
		// SIGTERM. Printed with n8n's message.
		const failed = ran.filter((run) => run.status !== 'success');
		if (failed.length) process.stderr.write(`n8n ${VERSION}: executions not successful: ${JSON.stringify(failed.map(({ id, status, recordId, error, stoppedAt }) => ({ id, status, recordId, error, endedAfterSigtermMs: stoppedAt - stopAt })))}\n`);
		expect(failed.filter((run) => !(run.status === 'error' && run.stoppedAt >= stopAt))).toEqual([]);
	} finally {
		sandbox.configure({ latencyMs: 0 });
	}
}, 10 * 60_000);

async function waitForValue<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 250): Promise<T> {
	for (const until = Date.now() + timeoutMs; ; await sleep(everyMs)) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > until) throw new Error(`${what}: nothing after ${timeoutMs / 1000} s`);
	}
}
