/**
 * The package in n8n's queue mode (scripts/queue.js): Redis, Postgres, an n8n main process and 2 workers, the
 * package installed for each as a user would. Production webhooks run on the workers and fire once each; the
 * Bitrix24 Trigger keeps its cursor in Postgres across a restart of main; 4 executions of 500 items on one key
 * share its limit across the workers (figures printed and written to test-results/queue.json); a worker killed
 * in the middle of a run: what was fired, what n8n records, and that nothing is fired twice afterwards; the main
 * process stopped (SIGTERM) while it holds Bitrix24 Instant Trigger calls in their reads: after its restart, with every
 * call not answered 2xx sent again as Bitrix24 does, each event has exactly one execution.
 * Version: N8N_E2E_VERSION or the pinned one.
 */
import fs from 'node:fs';
import path from 'node:path';

import { portalQueue } from '../bench/portalQueue';
import { burst, sendAll } from '../sandbox/bitrixEvents';
import { createSandbox } from '../sandbox/server';

// Plain JavaScript shared with `npm run start:queue`; typed loosely here.
const n8n = require('../../scripts/n8n');
const { startQueue, stopAll } = require('../../scripts/queue');

const VERSION: string = process.env.N8N_E2E_VERSION ?? n8n.PINNED_N8N;
const NODE_TYPE: string = n8n.NODE_TYPE;
const CREDENTIALS = { bitrix24VibeApi: { id: n8n.CREDENTIAL_IDS.personal, name: 'VibeCode sandbox (personal key)' } };
const FIRE_PATH = '/v1/triggers/fire';

/** The load: 4 executions × 500 items on one key, limit 500 per sliding 10 s (3,000 a minute): floor 40 s. */
const LOAD = { executions: 4, items: 500, rateLimit: 500, windowMs: 10_000, latencyMs: 25 };
const FLOOR_S = ((LOAD.executions * LOAD.items) / LOAD.rateLimit) * (LOAD.windowMs / 1000);

const HOOK = 'bx24QueueHook001';
const BULK = 'bx24QueueBulk001';
const POLL = 'bx24QueuePoll001';
const INSTANT = 'bx24QueueInst001';
const INSTANT_WEBHOOK_ID = '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
const INSTANT_TOKEN = 'queue-application-token-7d2e';

const sandbox = createSandbox();
type Queue = {
	url: string;
	main: { logs: string[]; terminate: () => Promise<{ code: number | null; signal: string | null; ms: number }> };
	workers: Array<{ name: string; pid: number; output: string; executions: () => string[]; stop: (signal?: string, graceMs?: number) => Promise<void> }>;
	stopMain: () => Promise<void>;
	startMain: () => Promise<unknown>;
	stop: () => Promise<void>;
	dataDir: string;
};
let queue: Queue;
let call: (method: string, route: string, body?: unknown) => Promise<{ status: number; body: any; text: string }>;
const suiteStarted = Date.now();
const report: Record<string, unknown> = { n8n: VERSION };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 1000): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > until) throw new Error(`${what}: nothing after ${timeoutMs / 1000} s`);
		await sleep(everyMs);
	}
}

const node = (id: string, name: string, type: string, position: number[], parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	id,
	name,
	type,
	typeVersion: 1,
	position,
	parameters,
	...extra,
});

const fireNode = (entity: string, trigger: string, options: Record<string, unknown> = {}) =>
	node('6b0f3c1e-2d4a-4e5b-8c6d-7e8f9a0b1c03', 'Bitrix24', NODE_TYPE, [440, 0], {
		resource: 'automationTrigger',
		operation: 'fire',
		entityType: 'deal',
		entity: { __rl: true, mode: 'id', value: entity },
		trigger: { __rl: true, mode: 'code', value: trigger },
		options,
	}, { credentials: CREDENTIALS, onError: 'continueRegularOutput' });

const webhook = (webhookPath: string, responseMode: string, webhookId: string) =>
	node('6b0f3c1e-2d4a-4e5b-8c6d-7e8f9a0b1c01', 'Webhook', 'n8n-nodes-base.webhook', [0, 0], { httpMethod: 'POST', path: webhookPath, responseMode, options: {} }, { typeVersion: 2, webhookId });

const WORKFLOWS = [
	{
		// One fire per call. Answered on receipt: with "last node", n8n 1.123's and 2.8's queue mode now and then
		// never relays one of twelve concurrent answers, though its execution succeeded (seen three times; all
		// fires reached the sandbox once). The test reads each execution's output from n8n's API instead.
		id: HOOK,
		name: 'Queue mode: fire from a webhook',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [webhook('queue-fire', 'onReceived', '0e2b9a64-3c1d-4f7e-9a8b-1c2d3e4f5a61'), { ...fireNode('={{ $json.body.dealId }}', '={{ $json.body.code }}'), position: [220, 0] }],
		connections: { Webhook: { main: [[{ node: 'Bitrix24', type: 'main', index: 0 }]] } },
	},
	{
		// A bulk run: the call's `deals` become one item each, every item fires its own code. Answered at once.
		id: BULK,
		name: 'Queue mode: bulk fire',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			webhook('queue-bulk', 'onReceived', '0e2b9a64-3c1d-4f7e-9a8b-1c2d3e4f5a62'),
			node('6b0f3c1e-2d4a-4e5b-8c6d-7e8f9a0b1c02', 'One item per deal', 'n8n-nodes-base.splitOut', [220, 0], { fieldToSplitOut: 'body.deals', options: {} }),
			fireNode('={{ $json.dealId }}', '={{ "bulk_" + $json.run + "_" + $json.n }}', { maxParallel: 2, maxRetries: 10, maxWait: 60 }),
		],
		connections: {
			Webhook: { main: [[{ node: 'One item per deal', type: 'main', index: 0 }]] },
			'One item per deal': { main: [[{ node: 'Bitrix24', type: 'main', index: 0 }]] },
		},
	},
	{
		id: POLL,
		name: 'Queue mode: new deals (polling)',
		active: false,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
		nodes: [
			node('6b0f3c1e-2d4a-4e5b-8c6d-7e8f9a0b1c04', 'Bitrix24 Trigger', `${NODE_TYPE}Trigger`, [0, 0], { pollTimes: { item: [{ mode: 'everyMinute' }] }, event: 'newRecord', entityType: 'deal', filters: {} }, { credentials: CREDENTIALS }),
		],
		connections: {},
	},
	{
		// Lead updates (the polling workflow watches new deals: these leave it alone), each lead read before the answer.
		id: INSTANT,
		name: 'Queue mode: leads changed (instant)',
		active: false,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
		nodes: [
			node('6b0f3c1e-2d4a-4e5b-8c6d-7e8f9a0b1c05', 'Bitrix24 Instant Trigger', `${NODE_TYPE}InstantTrigger`, [0, 0], { events: ['lead.update'], applicationToken: INSTANT_TOKEN, readRecord: true, filters: {}, options: {} }, { credentials: CREDENTIALS, webhookId: INSTANT_WEBHOOK_ID }),
		],
		connections: {},
	},
];

async function login() {
	({ call } = await n8n.restClient(queue.url));
}

async function activate(id: string) {
	const { versionId } = (await call('GET', `/rest/workflows/${id}`)).body.data;
	let activation = await call('POST', `/rest/workflows/${id}/activate`, { versionId });
	if (activation.status === 404) activation = await call('PATCH', `/rest/workflows/${id}`, { active: true, versionId }); // n8n 1.x
	expect(activation.status).toBe(200);
}

/** POSTs to a production webhook; a 404 "not registered" right after activation (asynchronous in 2.x) is retried. */
async function post(webhookPath: string, body: unknown, timeoutMs?: number): Promise<Response> {
	for (let attempt = 0; ; attempt++) {
		const signal = timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined;
		const response = await fetch(`${queue.url}/webhook/${webhookPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
		if (response.status !== 404 || attempt >= 20) return response;
		await response.text();
		await sleep(500);
	}
}

interface Execution {
	id: string;
	status: string;
	startedAt?: string;
	stoppedAt?: string;
}

/** The executions of a workflow, oldest first; undefined while n8n cannot answer (just restarted). */
async function executions(workflowId: string): Promise<Execution[] | undefined> {
	const list = await call('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`).catch(() => undefined);
	if (list?.status !== 200 || !Array.isArray(list.body?.data?.results)) return undefined;
	return (list.body.data.results as Execution[]).slice().sort((a, b) => Number(a.id) - Number(b.id));
}

const ended = (execution: Execution) => !['new', 'running', 'waiting', 'unknown'].includes(execution.status);
const workerOf = (executionId: string) => queue.workers.find((worker) => worker.executions().includes(executionId))?.name ?? 'no worker';

/** Polls that failed (the trigger's error, as n8n records it): they emit nothing and leave the cursor where it was. */
const pollErrors = new Map<string, string>();

/**
 * The deal IDs each finished execution of the polling workflow emitted, oldest first (a failed poll, e.g. one
 * turned away by the rate limit while the load test used the same key, is noted in pollErrors instead);
 * undefined while one is still running.
 */
async function emitted(): Promise<number[][] | undefined> {
	const flatted = require(require.resolve('flatted', { paths: [n8n.hostDir(VERSION)] }));
	const list = await executions(POLL);
	if (!list) return undefined;
	const runs: number[][] = [];
	for (const { id } of list) {
		const execution = (await call('GET', `/rest/executions/${id}`)).body?.data;
		if (!execution || typeof execution.data !== 'string' || !ended(execution)) return undefined;
		const data = flatted.parse(execution.data);
		const output = data.resultData.runData['Bitrix24 Trigger']?.[0]?.data?.main?.[0];
		if (output) runs.push(output.map((item: { json: { id: number } }) => item.json.id));
		else pollErrors.set(id, `${execution.status}: ${data.resultData.error?.message ?? data.resultData.runData['Bitrix24 Trigger']?.[0]?.error?.message ?? 'no output'}`);
	}
	return runs;
}

const searches = () => sandbox.requests.filter((r) => r.path === '/v1/deals/search').length;
/** Waits until the trigger has polled (more searches than `before`) and then sent nothing for a while. */
async function polled(before: number, timeoutMs = 90_000) {
	await waitFor('a poll', () => (searches() > before ? true : undefined), timeoutMs);
	for (let count = -1; count !== sandbox.requests.length; ) {
		count = sandbox.requests.length;
		await sleep(1500);
	}
}

const firesOf = (prefix: string) => sandbox.journal.filter((fire) => fire.triggerId.startsWith(prefix));
const duplicatesOf = (prefix: string) => firesOf(prefix).length - new Set(firesOf(prefix).map((fire) => fire.triggerId)).size;
const deals = (run: string, count: number) => Array.from({ length: count }, (_, n) => ({ run, n, dealId: 5141 + (n % 3) }));

let firstDeals: number[] = [];
let searchesAfterRestart = 0;

beforeAll(async () => {
	await n8n.ensureN8n(VERSION);
	await sandbox.start();
	queue = await startQueue({
		version: VERSION,
		sandboxUrl: sandbox.url,
		workflows: WORKFLOWS,
		// A job whose worker died is noticed after the lock expires (n8n's defaults: 60 s lock, checked every 30 s);
		// shorter here, so the suite sees what n8n records without waiting 90 s.
		env: { QUEUE_WORKER_LOCK_DURATION: '20000', QUEUE_WORKER_LOCK_RENEW_TIME: '5000', QUEUE_WORKER_STALLED_INTERVAL: '10000' },
		log: (line: string) => process.stdout.write(`${line}\n`),
	});
	report.startupSeconds = Math.round((Date.now() - suiteStarted) / 1000);
	await login();
	// The trigger's first poll notes the deals that exist; two created after it are what its next poll emits
	// (n8n polls once a minute: that poll comes while the next tests run).
	await activate(POLL);
	await polled(0, 60_000);
	firstDeals = [sandbox.createRecord('deal', { title: 'Queue 1' }).id as number, sandbox.createRecord('deal', { title: 'Queue 2' }).id as number];
	await activate(HOOK);
	await activate(BULK);
}, 30 * 60_000);

afterAll(async () => {
	// Also a setup still starting when beforeAll gave up.
	await stopAll();
	await sandbox.stop();
	report.failedPolls = Object.fromEntries(pollErrors);
	report.suiteSeconds = Math.round((Date.now() - suiteStarted) / 1000);
	fs.mkdirSync(path.join(n8n.ROOT, 'test-results'), { recursive: true });
	fs.writeFileSync(path.join(n8n.ROOT, 'test-results', 'queue.json'), `${JSON.stringify(report, null, 2)}\n`);
	process.stdout.write(`Queue-mode suite on n8n ${VERSION}: ${report.suiteSeconds} s (start-up ${report.startupSeconds} s); figures in test-results/queue.json\n`);
}, 120_000);

/** What n8n's processes last printed and what the sandbox saw, for a failure to explain itself. */
async function diagnose(what: string) {
	const tail = (text: string) => text.split('\n').slice(-40).join('\n');
	const lines = [`--- ${what}: executions of the webhook workflow ---`, JSON.stringify(await executions(HOOK))];
	lines.push(`--- fires seen by the sandbox: ${firesOf('hook_').map((fire) => fire.triggerId).join(', ')}`);
	lines.push('--- main (last lines) ---', tail(queue.main.logs.join('')));
	for (const worker of queue.workers) lines.push(`--- ${worker.name} (last lines) ---`, tail(worker.output));
	process.stdout.write(`${lines.join('\n')}\n`);
}

test('production webhooks run on the workers and fire each trigger exactly once', async () => {
	const calls = Array.from({ length: 12 }, (_, n) => ({ dealId: 5141 + (n % 3), code: `hook_${n}` }));
	const answers = await Promise.all(calls.map(async (body) => (await post('queue-fire', body, 90_000)).status)).catch(async (error) => {
		await diagnose(`a webhook call failed (${String(error)})`);
		throw error;
	});
	expect(answers).toEqual(calls.map(() => 200));

	const runs = await waitFor('12 finished executions', async () => {
		const list = await executions(HOOK);
		return list && list.length === calls.length && list.every(ended) ? list : undefined;
	}, 60_000);
	// What each execution's Bitrix24 node put out, as n8n recorded it: every call's fire succeeded, each code once.
	const flatted = require(require.resolve('flatted', { paths: [n8n.hostDir(VERSION)] }));
	const outputs: string[] = [];
	for (const { id } of runs) {
		const execution = (await call('GET', `/rest/executions/${id}`)).body?.data;
		const items = flatted.parse(execution.data).resultData.runData.Bitrix24?.[0]?.data?.main?.[0] ?? [];
		outputs.push(...items.map(({ json }: { json: Record<string, unknown> }) => `${json.success}:${json.triggerId}`));
	}
	expect(runs.map((run) => run.status)).toEqual(calls.map(() => 'success'));
	expect(outputs.sort()).toEqual(calls.map((body) => `true:${body.code}`).sort());
	expect(firesOf('hook_').map((fire) => fire.triggerId).sort()).toEqual(calls.map((body) => body.code).sort());

	// Every execution ran on a worker (the main process only enqueued it).
	const placement = runs.map((execution) => workerOf(execution.id));
	expect(placement.filter((worker) => worker === 'no worker')).toEqual([]);
	report.webhooks = { calls: calls.length, fired: firesOf('hook_').length, duplicated: duplicatesOf('hook_'), byWorker: countBy(placement) };
	process.stdout.write(`Webhooks: ${calls.length} calls, ${firesOf('hook_').length} fires, executions by worker ${JSON.stringify(countBy(placement))}\n`);
}, 120_000);

function countBy(values: string[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
	return counts;
}

test(`load: ${LOAD.executions} executions × ${LOAD.items} items at once on one key, across the workers: nothing lost, nothing twice`, async () => {
	sandbox.configure({ rateLimit: LOAD.rateLimit, windowMs: LOAD.windowMs, latencyMs: LOAD.latencyMs });
	const removeQueue = portalQueue(sandbox);
	const firstRequest = sandbox.requests.length;
	const before = (await executions(BULK))?.length ?? 0;
	const started = Date.now();
	try {
		const answers = await Promise.all(Array.from({ length: LOAD.executions }, (_, run) => post('queue-bulk', { deals: deals(`load${run}`, LOAD.items) })));
		expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
		const runs = await waitFor('the load executions', async () => {
			const list = (await executions(BULK))?.slice(before);
			return list && list.length === LOAD.executions && list.every(ended) ? list : undefined;
		}, 300_000);
		const { maxWaiting } = removeQueue();
		const fires = firesOf('bulk_load');
		const distinct = new Set(fires.map((fire) => fire.triggerId)).size;
		const requests = sandbox.requests.slice(firstRequest).filter((r) => r.path === FIRE_PATH);
		const wallSeconds = (Math.max(...runs.map((run) => Date.parse(run.stoppedAt!))) - started) / 1000;
		const figures = {
			executions: LOAD.executions,
			items: LOAD.executions * LOAD.items,
			limit: `${LOAD.rateLimit} per ${LOAD.windowMs / 1000} s (${(LOAD.rateLimit * 60_000) / LOAD.windowMs}/min), latency ${LOAD.latencyMs} ms, portal queue of 2`,
			floorSeconds: FLOOR_S,
			wallSeconds: Number(wallSeconds.toFixed(1)),
			wallToFloor: Number((wallSeconds / FLOOR_S).toFixed(2)),
			firstToLastFireSeconds: Number(((Math.max(...fires.map((f) => f.at)) - Math.min(...fires.map((f) => f.at))) / 1000).toFixed(1)),
			requests: requests.length,
			status429: requests.filter((r) => r.status === 429).length,
			lost: LOAD.executions * LOAD.items - distinct,
			duplicated: fires.length - distinct,
			mostWaitingAtThePortal: maxWaiting,
			statuses: runs.map((run) => run.status),
			byWorker: countBy(runs.map((run) => workerOf(run.id))),
		};
		report.load = figures;
		process.stdout.write(
			[
				'',
				'| Executions | Items | Wall time | Floor | Wall ÷ floor | 429s | Lost | Duplicated | Workers |',
				'| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
				`| ${figures.executions} | ${figures.items} | ${figures.wallSeconds} s | ${FLOOR_S} s | ${figures.wallToFloor} | ${figures.status429} | ${figures.lost} | ${figures.duplicated} | ${Object.entries(figures.byWorker).map(([worker, count]) => `${worker}: ${count}`).join(', ')} |`,
				'',
			].join('\n'),
		);
		expect({ lost: figures.lost, duplicated: figures.duplicated }).toEqual({ lost: 0, duplicated: 0 });
		expect(figures.statuses).toEqual(runs.map(() => 'success'));
		// Both workers took part.
		expect(Object.keys(figures.byWorker).sort()).toEqual(queue.workers.map((worker) => worker.name).sort());
	} finally {
		removeQueue();
		sandbox.configure({ rateLimit: 300, windowMs: 60_000, latencyMs: 0 });
	}
}, 360_000);

test('the Bitrix24 Trigger keeps its cursor in Postgres: after a restart of main it neither repeats nor misses a deal', async () => {
	const first = await waitFor('the poll that emits the first deals', async () => {
		const runs = await emitted();
		return runs?.length ? runs : undefined;
	}, 120_000);
	expect(first).toEqual([firstDeals]);

	await queue.stopMain();
	const whileDown = sandbox.createRecord('deal', { title: 'Created while main is down' }).id as number;
	const restarted = Date.now();
	await queue.startMain();
	await login();
	const after = await waitFor('the first poll after the restart', async () => {
		const runs = await emitted();
		return runs && runs.length >= 2 ? runs : undefined;
	}, 150_000);
	expect(after).toEqual([firstDeals, [whileDown]]);
	searchesAfterRestart = searches();
	report.trigger = { emitted: after, restartToEmitSeconds: Math.round((Date.now() - restarted) / 1000), failedPolls: Object.fromEntries(pollErrors) };
}, 330_000);

test('a worker killed (SIGKILL) in the middle of a 500-item run: what was fired, what n8n records, nothing fired twice', async () => {
	sandbox.configure({ rateLimit: 1e9, latencyMs: 25 });
	const before = (await executions(BULK))?.length ?? 0;
	const seen = new Set(queue.workers.flatMap((worker) => worker.executions()));
	expect((await post('queue-bulk', { deals: deals('kill', 500) })).status).toBe(200);
	const [victim, executionId] = await waitFor('the worker that took the run', () => {
		for (const worker of queue.workers) {
			const id = worker.executions().find((candidate) => !seen.has(candidate));
			if (id) return [worker, id] as const;
		}
		return undefined;
	}, 30_000, 100);
	await waitFor('100 fires', () => (firesOf('bulk_kill_').length >= 100 ? true : undefined), 60_000, 20);
	const killedAt = Date.now();
	const firedAtKill = firesOf('bulk_kill_').length;
	await victim.stop('SIGKILL');
	await sleep(3000);
	const firedAfterKill = firesOf('bulk_kill_').length;
	const statusAfterKill = (await executions(BULK))?.find((execution) => execution.id === executionId)?.status;

	// n8n notices the job's lock has expired, fails the job (a stalled job is not run again) and records it.
	const final = await waitFor('n8n to record the killed execution', async () => {
		const execution = (await executions(BULK))?.find((candidate) => candidate.id === executionId);
		return execution && ended(execution) ? execution : undefined;
	}, 120_000, 2000);
	const detail = (await call('GET', `/rest/executions/${executionId}`)).body?.data;
	const flatted = require(require.resolve('flatted', { paths: [n8n.hostDir(VERSION)] }));
	const error = typeof detail?.data === 'string' ? flatted.parse(detail.data)?.resultData?.error : undefined;
	// Whatever else runs afterwards (the other worker, a new one, main), nothing of this run is sent again.
	await sleep(10_000);
	const fires = firesOf('bulk_kill_');
	const indexes = fires.map((fire) => Number(fire.triggerId.split('_').pop())).sort((a, b) => a - b);
	const contiguous = indexes.every((index, position) => index === position);
	const outcome = {
		worker: victim.name,
		executionId,
		firedBeforeKill: firedAtKill,
		firedInTheNext3s: firedAfterKill - firedAtKill,
		firedInTotal: fires.length,
		firedItems: contiguous ? `0–${indexes[indexes.length - 1]}` : indexes.join(','),
		notFired: 500 - new Set(indexes).size,
		duplicated: duplicatesOf('bulk_kill_'),
		firedLaterThan3sAfterKill: fires.filter((fire) => fire.at > killedAt + 3000).length,
		statusRightAfterKill: statusAfterKill,
		statusRecorded: final.status,
		errorRecorded: error?.message,
		executionsOfTheWorkflowSince: ((await executions(BULK)) ?? []).slice(before).length,
		recordedAfterSeconds: Math.round((Date.parse(final.stoppedAt ?? new Date().toISOString()) - killedAt) / 1000),
	};
	report.workerKill = outcome;
	process.stdout.write(`Worker kill: ${JSON.stringify(outcome, null, 2)}\n`);
	expect(outcome.duplicated).toBe(0);
	expect(outcome.firedLaterThan3sAfterKill).toBe(0);
	expect(outcome.firedInTotal).toBe(firedAfterKill);
	expect(outcome.executionsOfTheWorkflowSince).toBe(1);
	expect(final.status).not.toBe('success');
}, 300_000);

test('the trigger emitted nothing more at the polls since', async () => {
	// Usually a poll has come during the worker test already.
	await polled(searchesAfterRestart, 90_000);
	expect(await waitFor('the polling executions', emitted, 30_000)).toEqual(report.trigger && (report.trigger as { emitted: number[][] }).emitted);
}, 150_000);

test('the main process stopped (SIGTERM) while it holds Bitrix24 Instant Trigger calls in their reads: after its restart each event has exactly one execution', async () => {
	const EVENTS = 40;
	const url = `${queue.url}/webhook/${INSTANT_WEBHOOK_ID}/bitrix24`;
	await activate(INSTANT);
	// Registered asynchronously in n8n 2.3x: a 404 until then; a call without a token is refused by the node.
	await waitFor('the instant webhook', async () => ((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'event=ONCRMLEADUPDATE' })).status === 401 ? true : undefined), 60_000, 250);
	const ids = Array.from({ length: EVENTS }, (_, i) => sandbox.createRecord('lead', { title: `Queue instant ${i}` }).id as number);
	const latencyMs = sandbox.config.latencyMs;
	// Reads of 400 ms, 2 at a time per key: 20 calls are in their reads when main gets its SIGTERM.
	sandbox.configure({ latencyMs: 400 });
	try {
		const ok = (status?: number) => status !== undefined && status >= 200 && status <= 299;
		let answered = 0;
		let stopAt = 0;
		let upAgain!: () => void;
		const restarted = new Promise<void>((resolve) => (upAgain = resolve));
		let exited: ReturnType<Queue['main']['terminate']> | undefined;
		const started = Date.now();
		// 20 at a time; every call not answered 2xx (no answer, refused, 404, 5xx) sent again half a second later.
		const sending = sendAll(url, burst({ ids, event: 'ONCRMLEADUPDATE', token: INSTANT_TOKEN }), {
			concurrency: 20,
			retries: 600,
			retryMs: 500,
			resend: 'non-2xx',
			// Held until main is up again, as in instant.test.ts (n8n's start-up page answers 200).
			beforeResend: () => (stopAt ? restarted : Promise.resolve()),
			onAttempt: (_, attempt) => {
				if (ok(attempt.status) && ++answered === EVENTS / 2 && !stopAt) {
					stopAt = Date.now();
					exited = queue.main.terminate();
				}
			},
		});
		await waitFor('the SIGTERM', () => exited, 120_000, 100);
		const exit = await exited!;
		const exitAt = Date.now();
		await queue.startMain();
		upAgain();
		await login();
		const answers = await sending;
		const answeredAt = Date.now();

		const flatted = require(require.resolve('flatted', { paths: [n8n.hostDir(VERSION)] }));
		let seen: Execution[] = [];
		const runs = await waitFor('the instant executions to end', async () => {
			const list = await call('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: INSTANT }))}&limit=100`).catch(() => undefined);
			const results: Execution[] | undefined = list?.body?.data?.results;
			if (results) seen = results;
			return results && results.length >= EVENTS && results.every(ended) ? results : undefined;
		}, 180_000).catch((error: Error) => {
			// Say what n8n had by then (how many executions, in which states), not only that the wait ran out.
			throw new Error(`${error.message}; ${seen.length} executions listed, by status ${JSON.stringify(countBy(seen.map((run) => run.status)))}`);
		});
		const records: number[] = [];
		for (const { id } of runs) {
			const execution = (await call('GET', `/rest/executions/${id}`)).body?.data;
			records.push(flatted.parse(execution.data).resultData.runData['Bitrix24 Instant Trigger']?.[0]?.data?.main?.[0]?.[0]?.json?.id);
		}
		const okAt = (a: { history?: Array<{ status?: number; at: number }> }) => a.history?.find((h) => ok(h.status))?.at ?? Infinity;
		const kinds: Record<string, number> = {};
		for (const a of answers) kinds[`${a.status} ${JSON.stringify(a.body).slice(0, 60)}`] = (kinds[`${a.status} ${JSON.stringify(a.body).slice(0, 60)}`] ?? 0) + 1;
		const outcome = {
			events: EVENTS,
			answeredBeforeStop: answers.filter((a) => okAt(a) <= stopAt).length,
			interrupted: answers.filter((a) => a.history?.some((h) => h.sentAt < exitAt && !ok(h.status))).length,
			mainExitSeconds: Number(((exitAt - stopAt) / 1000).toFixed(1)),
			exit,
			allAnsweredSeconds: Number(((answeredAt - started) / 1000).toFixed(1)),
			finalAnswers: kinds,
			executions: runs.length,
			statuses: countBy(runs.map((run) => run.status)),
			byWorker: countBy(runs.map((run) => workerOf(run.id))),
			lost: ids.filter((id) => !records.includes(id)).length,
			duplicated: records.length - new Set(records).size,
		};
		report.instantStop = outcome;
		process.stdout.write(`Main stopped during instant-trigger reads: ${JSON.stringify(outcome, null, 2)}\n`);
		// The stop came in the middle: calls were answered before it, and others were still in their reads. Main either
		// cuts those off (0.7 s to exit alone: 20 cut off, sent again) or, slowed down, finishes them during its graceful
		// shutdown (seen in a full run beside the other suites: 32 s to exit, all 20 answered while stopping); both end
		// with each event once, which the lines below hold. The build that answered first had all 40 answered at once.
		expect(outcome.answeredBeforeStop).toBeGreaterThan(0);
		expect(outcome.answeredBeforeStop).toBeLessThan(EVENTS);
		expect(kinds).toEqual({ [`200 ${JSON.stringify({ status: 'accepted' })}`]: EVENTS });
		expect({ lost: outcome.lost, duplicated: outcome.duplicated }).toEqual({ lost: 0, duplicated: 0 });
		expect([...records].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
		expect(outcome.statuses).toEqual({ success: EVENTS });
	} finally {
		sandbox.configure({ latencyMs });
	}
}, 420_000);
