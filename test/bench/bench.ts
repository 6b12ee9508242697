/**
 * `npm run bench`: figures, not assertions. Every run goes through n8n-core's WorkflowExecute against the
 * sandbox over real HTTP on 127.0.0.1. Prints a markdown table (pasted into docs/benchmark.md).
 */
import os from 'node:os';

import type { IDataObject, INodeType, IVersionedNodeType } from 'n8n-workflow';

import { runNode } from '../helpers/engine';
import { fireParameters, personal, recordParameters } from '../helpers/fixtures';
import { spawnSync } from 'node:child_process';

import { Pacer } from '../../nodes/Bitrix24/transport/pacer';
import { sharedPacers } from '../../nodes/Bitrix24/transport/sharedPacers';
import { createSandbox, KEYS, type Sandbox } from '../sandbox/server';
import { LegacyPacer } from './legacyPacer';
import { portalQueue } from './portalQueue';

const n8n = require('../../scripts/n8n');

const N = Number(process.env.BENCH_ITEMS ?? 500);
const RATE = 600; // requests per minute
const WINDOW_MS = 10_000; // the sandbox's sliding window, scaled down from VibeCode's 60 s to keep the run short
const LATENCY_MS = 25;
const MEMORY_ITEMS = 10_000;
/**
 * The queue-mode load (test/e2e/queue.test.ts runs the same against real n8n workers): 4 executions of 500 items
 * started together on one key, against a limit of 3,000 a minute (a sliding 10-second window of 500), so the floor
 * for the 2,000 fires is 40 s. That limit is 10 × VibeCode's, to keep the run short; the last scenario keeps the
 * benchmark's 600 a minute with fewer items.
 */
const CONCURRENT = [
	{ executions: 4, items: 500, rate: 3000, windowMs: 10_000, queue: false },
	{ executions: 4, items: 500, rate: 3000, windowMs: 10_000, queue: true },
	{ executions: 4, items: 125, rate: RATE, windowMs: WINDOW_MS, queue: true },
];

const rows: string[][] = [];
const row = (...cells: Array<string | number>) => {
	rows.push(cells.map(String));
	process.stderr.write(`${cells.join(' | ')}\n`);
};

const deals = (count: number) => Array.from({ length: count }, (_, i) => ({ dealId: 5141 + (i % 3), n: i }));

/** Each input item carries its own trigger code (bench_<n>), so a repeated code in the journal is a repeated fire. */
const distinctFires = (sandbox: Sandbox) => new Set(sandbox.journal.map((fire) => fire.triggerId)).size;
const duplicates = (sandbox: Sandbox) => sandbox.journal.length - distinctFires(sandbox);

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
	const started = process.hrtime.bigint();
	const result = await work();
	return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

const count429 = (sandbox: Sandbox) => sandbox.requests.filter((r) => r.status === 429).length;

async function ourNode(sandbox: Sandbox, items: number, maxParallel: number) {
	const parameters = fireParameters({
		entity: '={{ $json.dealId }}',
		trigger: '={{ "bench_" + $json.n }}',
		options: { maxParallel, maxRetries: 10, maxWait: 60 },
	});
	const { result, seconds } = await timed(() =>
		runNode({ parameters, credentials: personal(sandbox), input: deals(items), continueOnFail: true }),
	);
	const failed = (result.items ?? []).filter((item) => item.json.error).length + (result.error ? items : 0);
	return { seconds, failed, done: (result.items ?? []).length - failed };
}

type Pacing = 'legacy' | 'per-execution' | 'shared';

/**
 * Runs work with the node's pacers handed out as before pacing was shared (`legacy`: the 0.1.0 pacer, one per
 * execution), as today's pacer but one per execution (`per-execution`), or shared per key (`shared`, what the
 * node does).
 */
async function withPacing<T>(pacing: Pacing, work: () => Promise<T>): Promise<T> {
	const original = sharedPacers.pacerFor;
	if (pacing === 'legacy') sharedPacers.pacerFor = () => new LegacyPacer() as unknown as Pacer;
	if (pacing === 'per-execution') sharedPacers.pacerFor = (_credentials, timeoutMs) => new Pacer(undefined, timeoutMs);
	try {
		return await work();
	} finally {
		sharedPacers.pacerFor = original;
	}
}

/** `executions` runs of `items` items each, started together on one key; each item fires its own code. */
async function concurrentRuns(sandbox: Sandbox, pacing: Pacing, { executions, items }: { executions: number; items: number }) {
	const parameters = fireParameters({
		entity: '={{ $json.dealId }}',
		trigger: '={{ "bench_" + $json.run + "_" + $json.n }}',
		options: { maxParallel: 2, maxRetries: 10, maxWait: 60 },
	});
	const input = (run: number) => deals(items).map((item) => ({ ...item, run }));
	const { result: results, seconds } = await timed(() =>
		withPacing(pacing, () =>
			Promise.all(
				Array.from({ length: executions }, (_, run) =>
					runNode({ parameters, credentials: personal(sandbox), input: input(run), continueOnFail: true }),
				),
			),
		),
	);
	let done = 0;
	let failed = 0;
	for (const result of results) {
		const itemFailures = (result.items ?? []).filter((item) => item.json.error).length + (result.error ? items : 0);
		failed += itemFailures;
		done += (result.items ?? []).length - itemFailures;
	}
	return { seconds, done, failed, lost: executions * items - distinctFires(sandbox) };
}

const PACING_LABEL: Record<Pacing, string> = {
	legacy: 'per-execution pacing (before)',
	'per-execution': "per-execution pacing (today's pacer, unshared)",
	shared: 'shared pacing per key (now)',
};

/**
 * The queue-mode load in one process, before and after shared pacing, against the sandbox as it is (no limit on
 * requests at a time) and with VibeCode's portal queue of 2 in front of it (what the real API does).
 */
async function concurrentRows(sandbox: Sandbox) {
	const pacings: Pacing[] = process.env.BENCH_PACING ? (process.env.BENCH_PACING.split(',') as Pacing[]) : ['legacy', 'shared'];
	for (const scenario of CONCURRENT) {
		const { executions, items, rate, windowMs, queue } = scenario;
		const floor = ((executions * items) / rate) * 60;
		for (const pacing of pacings) {
			sandbox.reset().configure({ rateLimit: (rate * windowMs) / 60_000, windowMs, latencyMs: LATENCY_MS });
			const removeQueue = queue ? portalQueue(sandbox) : undefined;
			const run = await concurrentRuns(sandbox, pacing, scenario);
			const waited = removeQueue?.().maxWaiting;
			row(
				`${executions} executions × ${items} at once, one key, ${rate}/min${queue ? `, portal queue of 2 (up to ${waited} waiting)` : ''}: ${PACING_LABEL[pacing]}`,
				run.seconds.toFixed(1),
				`${(run.seconds / floor).toFixed(2)} (floor ${floor.toFixed(0)} s)`,
				count429(sandbox),
				run.done,
				run.failed + (run.lost > 0 ? ` (${run.lost} never fired)` : ''),
				duplicates(sandbox),
			);
		}
	}
}

async function httpRequestNodeType(): Promise<INodeType | IVersionedNodeType> {
	await n8n.ensureN8n();
	// n8n's own HTTP Request node, from the pinned n8n install (n8n-nodes-base cannot be a devDependency:
	// it needs an npm override, which a community package may not carry).
	const modulePath = require.resolve('n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js', {
		paths: [n8n.hostDir(n8n.PINNED_N8N)],
	});
	const { HttpRequest } = require(modulePath);
	return new HttpRequest();
}

async function httpRequestNode(sandbox: Sandbox, items: number, retryOnFail: boolean, type: INodeType | IVersionedNodeType) {
	const parameters: IDataObject = {
		method: 'POST',
		url: `${sandbox.url}/v1/triggers/fire`,
		sendHeaders: true,
		headerParameters: { parameters: [{ name: 'X-Api-Key', value: sandbox.keys.personal }] },
		sendBody: true,
		specifyBody: 'json',
		jsonBody: '={{ JSON.stringify({ entityType: "deal", entityId: $json.dealId, triggerId: "bench_" + $json.n }) }}',
		options: {},
	};
	const { result, seconds } = await timed(() =>
		runNode({
			parameters,
			credentials: {},
			input: deals(items),
			node: {
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				credentials: undefined,
				...(retryOnFail ? { retryOnFail: true } : {}),
			},
			extraTypes: { 'n8n-nodes-base.httpRequest': type },
		}),
	);
	// When the node fails, the items it had already sent still fired: count them in the journal.
	const done = distinctFires(sandbox);
	return { seconds, done, failed: items - done, nodeFailed: Boolean(result.error) };
}

async function plainFetch(sandbox: Sandbox, items: number, parallel: number) {
	let next = 0;
	const worker = async () => {
		while (next < items) {
			const i = next++;
			const response = await fetch(`${sandbox.url}/v1/triggers/fire`, {
				method: 'POST',
				headers: { 'X-Api-Key': sandbox.keys.personal, 'Content-Type': 'application/json' },
				body: JSON.stringify({ entityType: 'deal', entityId: 5141 + (i % 3), triggerId: `bench_${i}` }),
			});
			await response.json();
		}
	};
	return (await timed(() => Promise.all(Array.from({ length: parallel }, worker)))).seconds;
}

/**
 * The bulk section: 10,000 lead creates and 10,000 deal updates through the engine, this node batched (Batch Size 500
 * and 50), one request per item (Batch Size 1), and n8n's HTTP Request node per item (defaults, Retry On Fail). The
 * sandbox runs ten times faster than VibeCode is assumed to (docs/vibecode-contract.md, "Batches"): 3,000 requests
 * a minute as a sliding 6-second window of 300 (VibeCode: 300 in 60 s), 25 ms a request, 50 ms more per 50 records
 * of a batch (assumed: 0.5 s per Bitrix24 batch of 50). Floors: the requests (units) needed ÷ the rate, and the
 * time the sandbox took to answer the run's requests (its latency and its own work, from its log) with 2 at a time
 * (VibeCode's portal queue); the ratio is to the larger. The sandbox runs in a process of its own.
 */
const BULK = { items: Number(process.env.BENCH_BULK_ITEMS ?? 10_000), rate: 3000, windowMs: 6000, latencyMs: 25, batchLatencyMs: 50 };

interface BulkCase {
	label: string;
	operation: 'create' | 'update';
	batchSize?: number;
	http?: { retryOnFail: boolean };
}

// Batch Size 1 first, so that the batched rows can say how much faster they are under the same limit.
const BULK_CASES: BulkCase[] = (['create', 'update'] as const).flatMap((operation) => [
	{ label: 'this node, Batch Size 1 (one request per item)', operation, batchSize: 1 },
	{ label: 'this node, Batch Size 500 (default)', operation, batchSize: 500 },
	{ label: 'this node, Batch Size 50', operation, batchSize: 50 },
	{ label: "n8n's HTTP Request node per item, defaults", operation, http: { retryOnFail: false } },
	{ label: "n8n's HTTP Request node per item, Retry On Fail (3 tries, 1 s)", operation, http: { retryOnFail: true } },
]);

/**
 * The floor of a case: the units of the rate limit its writes need ÷ the rate, and the time the sandbox spent
 * answering (every answered request's `ms`) with 2 requests at a time.
 */
function bulkFloor(items: number, batchSize: number, answered: Array<{ path: string; status: number | string; ms?: number }>) {
	const requests = Math.ceil(items / batchSize);
	const units = batchSize === 1 ? items : requests * Math.ceil(Math.min(batchSize, items) / 50);
	const rateFloor = (units / BULK.rate) * 60;
	const latencyFloor = answered.filter((r) => r.status !== 429 && !r.path.startsWith('/__sandbox/')).reduce((sum, r) => sum + (r.ms ?? 0), 0) / 2 / 1000;
	return { rateFloor, latencyFloor, floor: Math.max(rateFloor, latencyFloor) };
}

/** The bulk section's sandbox, in a process of its own so that its work is not counted as the node's. */
interface RemoteSandbox {
	url: string;
	control: (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<IDataObject>;
}

async function remoteSandbox(url: string): Promise<RemoteSandbox> {
	const control = async (method: 'GET' | 'POST', path: string, body?: unknown) =>
		(await (await fetch(`${url}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })).json()) as IDataObject;
	return { url, control };
}

async function bulkRun(remote: RemoteSandbox, bulk: BulkCase, httpType: INodeType | IVersionedNodeType) {
	await remote.control('POST', '/__sandbox/reset');
	await remote.control('POST', '/__sandbox/config', { rateLimit: (BULK.rate * BULK.windowMs) / 60_000, windowMs: BULK.windowMs, latencyMs: BULK.latencyMs, batchLatencyMs: BULK.batchLatencyMs });
	const items = BULK.items;
	let input: IDataObject[];
	if (bulk.operation === 'create') {
		input = Array.from({ length: items }, (_, i) => ({ title: `Bulk lead ${i}` }));
	} else {
		const { ids } = await remote.control('POST', '/__sandbox/records/deal', Array.from({ length: items }, (_, i) => ({ title: `Bulk deal ${i}`, amount: 1 })));
		input = (ids as number[]).map((id, i) => ({ id, amount: 1000 + i }));
	}
	const sandbox = { url: remote.url, keys: KEYS } as Sandbox;
	global.gc?.();
	const rssBefore = process.memoryUsage().rss;
	let peak = rssBefore;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
	const { result, seconds } = await timed(async () => {
		if (bulk.http) {
			const create = bulk.operation === 'create';
			return await runNode({
				parameters: {
					method: create ? 'POST' : 'PATCH',
					url: create ? `${sandbox.url}/v1/leads` : `={{ "${sandbox.url}/v1/deals/" + $json.id }}`,
					sendHeaders: true,
					headerParameters: { parameters: [{ name: 'X-Api-Key', value: sandbox.keys.personal }] },
					sendBody: true,
					specifyBody: 'json',
					jsonBody: create ? '={{ JSON.stringify({ title: $json.title }) }}' : '={{ JSON.stringify({ amount: $json.amount }) }}',
					options: {},
				},
				credentials: {},
				input,
				node: { type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, credentials: undefined, ...(bulk.http.retryOnFail ? { retryOnFail: true } : {}) },
				extraTypes: { 'n8n-nodes-base.httpRequest': httpType },
			});
		}
		// The input's keys are the fields (Map Automatically), as a spreadsheet's rows would be.
		return await runNode({
			parameters: recordParameters({
				resource: bulk.operation === 'create' ? 'lead' : 'deal',
				operation: bulk.operation,
				entity: bulk.operation === 'update' ? '={{ $json.id }}' : undefined,
				values: 'auto',
				options: { batchSize: bulk.batchSize, maxRetries: 10, maxWait: 60 },
			}),
			credentials: personal(sandbox),
			input,
			continueOnFail: true,
		});
	});
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage().rss);
	const failedItems = (result.items ?? []).filter((item) => item.json.error).length + (result.error ? items - (result.items?.length ?? 0) : 0);
	let written: number;
	let duplicated: number;
	if (bulk.operation === 'create') {
		const { records } = await remote.control('GET', '/__sandbox/records/lead');
		const titles = (records as IDataObject[]).map((lead) => String(lead.title)).filter((title) => title.startsWith('Bulk lead '));
		written = new Set(titles).size;
		duplicated = titles.length - written;
	} else {
		const { records } = await remote.control('GET', '/__sandbox/records/deal');
		const wanted = new Map(input.map((item) => [item.id, item.amount]));
		written = (records as IDataObject[]).filter((deal) => wanted.has(deal.id) && Number(deal.amount) === wanted.get(deal.id)).length;
		duplicated = 0;
	}
	const { requests } = await remote.control('GET', '/__sandbox/requests');
	const log = requests as Array<{ path: string; status: number | string; ms?: number }>;
	const refused = log.filter((r) => r.status === 429).length;
	const floor = bulkFloor(items, bulk.batchSize ?? 1, log);
	return { seconds, floor, refused, written, failed: bulk.http ? items - written : failedItems, duplicated, peakMb: (peak - rssBefore) / 2 ** 20, nodeFailed: Boolean(result.error) };
}

async function bulkRows() {
	const httpType = await httpRequestNodeType();
	const external = await startExternalSandbox();
	const remote = await remoteSandbox(external.url);
	try {
		await bulkTable(remote, httpType);
	} finally {
		external.child.kill();
	}
}

async function bulkTable(remote: RemoteSandbox, httpType: INodeType | IVersionedNodeType) {
	const only = process.env.BENCH_BULK_CASES ? new Set(process.env.BENCH_BULK_CASES.split(',').map(Number)) : undefined;
	const seconds: Record<string, number> = {};
	for (const [index, bulk] of BULK_CASES.entries()) {
		if (only && !only.has(index)) continue;
		const run = await bulkRun(remote, bulk, httpType);
		const { rateFloor, latencyFloor, floor } = run.floor;
		seconds[`${bulk.operation} ${bulk.batchSize ?? 'http'}`] = run.seconds;
		const speedup = bulk.batchSize && bulk.batchSize > 1 && seconds[`${bulk.operation} 1`] ? ` (${(seconds[`${bulk.operation} 1`] / run.seconds).toFixed(0)}× Batch Size 1)` : '';
		row(
			`Bulk: ${BULK.items} ${bulk.operation === 'create' ? 'lead creates' : 'deal updates'}, ${bulk.label}${run.nodeFailed ? ' (node failed)' : ''}`,
			run.seconds.toFixed(1),
			`${(run.seconds / floor).toFixed(2)} (floor ${floor.toFixed(1)} s: rate ${rateFloor.toFixed(1)} s, latency ${latencyFloor.toFixed(1)} s)${speedup}`,
			run.refused,
			`${run.written} written, peak RSS +${run.peakMb.toFixed(0)} MB`,
			run.failed,
			run.duplicated,
		);
	}
}

async function startExternalSandbox(): Promise<{ url: string; child: import('node:child_process').ChildProcess }> {
	const port = await n8n.freePort();
	const { spawn } = await import('node:child_process');
	const child = spawn(process.execPath, [require.resolve('../sandbox/cli.js')], {
		env: { ...process.env, SANDBOX_PORT: String(port), SANDBOX_RATE_LIMIT: '1000000000' },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
	child.stdout!.resume();
	return { url: `http://127.0.0.1:${port}`, child };
}

/** `run.js --memory`: 10,000 items in this fresh process; the sandbox runs in another, so only the engine and the node count. */
async function memoryOnly() {
	const external = await startExternalSandbox();
	try {
		const remote = { url: external.url, keys: KEYS } as Sandbox;
		global.gc?.();
		const before = process.memoryUsage().rss;
		const heapBefore = process.memoryUsage().heapUsed;
		let peak = before;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
		const bare = process.argv.includes('--bare-fetch');
		const memoryRun = bare
			? { seconds: await plainFetch(remote, MEMORY_ITEMS, 2), done: MEMORY_ITEMS, failed: 0 }
			: await ourNode(remote, MEMORY_ITEMS, 2);
		clearInterval(sampler);
		peak = Math.max(peak, process.memoryUsage().rss);
		global.gc?.();
		const retained = process.memoryUsage().heapUsed - heapBefore;
		const { journal } = (await (await fetch(`${external.url}/__sandbox/journal`)).json()) as { journal: Array<{ triggerId: string }> };
		const fired = new Set(journal.map((fire) => fire.triggerId)).size;
		process.stdout.write(
			`${JSON.stringify([
				`Memory, ${MEMORY_ITEMS} items, fresh process, ${bare ? 'plain fetch loop for reference' : 'this node'} (no limit, no latency)`,
				memoryRun.seconds.toFixed(1),
				`peak RSS +${((peak - before) / 2 ** 20).toFixed(0)} MB (${(before / 2 ** 20).toFixed(0)} → ${(peak / 2 ** 20).toFixed(0)}); heap kept after GC +${(retained / 2 ** 20).toFixed(1)} MB`,
				'0',
				String(memoryRun.done),
				String(memoryRun.failed),
				String(journal.length - fired),
			])}\n`,
		);
	} finally {
		external.child.kill();
	}
	process.exit(0);
}

/** `run.js --setup`: one item through the engine, as every scenario starts (n8n-core loads its instance settings). */
async function setupOnly() {
	const sandbox = await createSandbox().start();
	const run = await ourNode(sandbox, 1, 1);
	await sandbox.stop();
	process.stdout.write(`${JSON.stringify({ n8nFolder: process.env.N8N_USER_FOLDER, done: run.done, fired: sandbox.fires() })}\n`);
	process.exit(0);
}

async function main() {
	const sandbox = await createSandbox().start();
	const limited = () => sandbox.reset().configure({ rateLimit: (RATE * WINDOW_MS) / 60_000, windowMs: WINDOW_MS, latencyMs: LATENCY_MS });
	const unlimited = () => sandbox.reset().configure({ rateLimit: 1e9, latencyMs: LATENCY_MS });
	const floor = (N / RATE) * 60;

	process.stderr.write(`Benchmark: ${N} items, limit ${RATE}/min (sliding ${WINDOW_MS / 1000} s window), latency ${LATENCY_MS} ms\n`);
	const bulkOnly = process.argv.includes('--bulk');
	row('Scenario', 'Wall time (s)', 'Ratio to floor / overhead', '429s', bulkOnly ? 'Written, peak RSS' : 'Done', 'Failed', bulkOnly ? 'Duplicated' : 'Duplicate fires');
	row('---', '---', '---', '---', '---', '---', '---');

	// `npm run bench -- --bulk`: only the bulk rows.
	if (bulkOnly) {
		await bulkRows();
		return finish(sandbox);
	}

	// `npm run bench -- --concurrent`: only the rows of several executions on one key.
	if (process.argv.includes('--concurrent')) {
		await concurrentRows(sandbox);
		return finish(sandbox);
	}

	for (const parallel of [1, 2, 4]) {
		limited();
		const run = await ourNode(sandbox, N, parallel);
		row(`This node, rate-limited, Max Parallel ${parallel}`, run.seconds.toFixed(1), `${(run.seconds / floor).toFixed(2)} (floor ${floor.toFixed(0)} s)`, count429(sandbox), run.done, run.failed, duplicates(sandbox));
	}

	const httpType = await httpRequestNodeType();
	for (const retryOnFail of [false, true]) {
		limited();
		const run = await httpRequestNode(sandbox, N, retryOnFail, httpType);
		row(`HTTP Request node, ${retryOnFail ? 'Retry On Fail on (3 tries, 1 s)' : 'defaults'}${run.nodeFailed ? ' (node failed)' : ''}`, run.seconds.toFixed(1), `${(run.seconds / floor).toFixed(2)}`, count429(sandbox), run.done, run.failed, duplicates(sandbox));
	}

	await concurrentRows(sandbox);

	await bulkRows();

	for (const parallel of [1, 2, 4]) {
		unlimited();
		const fetchSeconds = await plainFetch(sandbox, N, parallel);
		unlimited();
		const run = await ourNode(sandbox, N, parallel);
		row(`No rate limit, parallel ${parallel}: this node vs plain fetch (${fetchSeconds.toFixed(1)} s)`, run.seconds.toFixed(1), `${(run.seconds / fetchSeconds).toFixed(2)}×`, count429(sandbox), run.done, run.failed, duplicates(sandbox));
	}

	// Memory is measured in fresh processes (a warm heap from the runs above would hide growth).
	for (const extra of [[], ['--bare-fetch']]) {
		const memory = spawnSync(process.execPath, ['--expose-gc', require.resolve('./run.js'), '--memory', ...extra], { encoding: 'utf8' });
		const memoryRow = memory.stdout.trim().split('\n').pop() ?? '';
		if (memory.status !== 0 || !memoryRow.startsWith('[')) throw new Error(`memory run failed: ${memory.stderr}`);
		row(...(JSON.parse(memoryRow) as string[]));
	}

	await finish(sandbox);
}

async function finish(sandbox: Sandbox) {
	await sandbox.stop();
	const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
	process.stdout.write(`\nMachine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()}\n\n`);
	process.stdout.write(`${rows.map((cells) => `| ${cells.join(' | ')} |`).join('\n')}\n`);
	process.exit(0);
}

const mode = process.argv.includes('--memory') ? memoryOnly : process.argv.includes('--setup') ? setupOnly : main;
mode().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
