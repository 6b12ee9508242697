/**
 * The Bitrix24 Trigger's Entered Stage in real n8n (`n8n start`, the package installed from `npm pack`): an
 * active workflow emits once when the sandbox moves a deal into the stage, and after a restart neither emits it
 * again nor misses a move made while n8n was stopped; a deal that left the stage (seen by a poll that emitted
 * nothing, whose static data n8n does not write) and came back across a restart arrives again. Version: N8N_E2E_VERSION or the pinned one.
 */
import fs from 'node:fs';
import path from 'node:path';

import { createSandbox } from '../sandbox/server';

// Plain JavaScript shared with `npm start`; typed loosely here.
const n8n = require('../../scripts/n8n');

const VERSION: string = process.env.N8N_E2E_VERSION ?? n8n.PINNED_N8N;
const WORKFLOW = 'bx24E2eWonDeals1';

const sandbox = createSandbox();
let dataDir: string;
let brokerPort: number;
let port: number;
let instance: { url: string; stop: () => Promise<void> };
let call: (method: string, route: string, body?: unknown) => Promise<{ status: number; body: any }>;

const start = async () => {
	instance = await n8n.startN8n({ version: VERSION, dataDir, port, brokerPort });
	({ call } = await n8n.restClient(instance.url));
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const searches = () => sandbox.requests.filter((r) => r.path === '/v1/deals/search').length;

async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > until) throw new Error(`nothing after ${timeoutMs / 1000} s`);
		await sleep(1000);
	}
}

/** Waits until the trigger has polled and then sent nothing for a while (its poll has ended). */
async function polled(before: number) {
	await waitFor(async () => (searches() > before ? true : undefined), 90_000);
	for (let count = -1; count !== sandbox.requests.length; ) {
		count = sandbox.requests.length;
		await sleep(1500);
	}
}

/** The deal IDs each finished execution emitted, oldest first; undefined while one is still running. */
async function emitted(): Promise<number[][] | undefined> {
	const flatted = require(require.resolve('flatted', { paths: [n8n.hostDir(VERSION)] }));
	const list = await call('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW }))}`);
	if (list.status !== 200 || !Array.isArray(list.body?.data?.results)) return undefined;
	const runs: number[][] = [];
	for (const { id } of (list.body.data.results as Array<{ id: string }>).slice().sort((a, b) => Number(a.id) - Number(b.id))) {
		const execution = (await call('GET', `/rest/executions/${id}`)).body?.data;
		if (!execution || typeof execution.data !== 'string' || !['success', 'error', 'crashed'].includes(execution.status)) return undefined;
		const data = flatted.parse(execution.data);
		runs.push(data.resultData.runData['Bitrix24 Trigger'][0].data.main[0].map((item: { json: { id: number } }) => item.json.id));
	}
	return runs;
}

beforeAll(async () => {
	await n8n.ensureN8n(VERSION);
	await sandbox.start();
	fs.mkdirSync(path.join(n8n.ROOT, '.n8n-data'), { recursive: true });
	dataDir = fs.mkdtempSync(path.join(n8n.ROOT, '.n8n-data', `e2e-trigger-${VERSION}-`));
	brokerPort = await n8n.freePort();
	port = await n8n.freePort();
	await n8n.prepareInstance({
		version: VERSION,
		dataDir,
		sandboxUrl: sandbox.url,
		brokerPort,
		workflows: [
			{
				id: WORKFLOW,
				name: 'Deals entering Won (polling)',
				active: false,
				settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
				nodes: [
					{
						id: '5e0c1d2a-7b8f-4c3e-9a1d-2f4b6c8e0a01',
						name: 'Bitrix24 Trigger',
						type: `${n8n.NODE_TYPE}Trigger`,
						typeVersion: 1,
						position: [0, 0],
						parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, entityType: 'deal', event: 'enteredStage', stage: 'WON', filters: {} },
						credentials: { bitrix24VibeApi: { id: n8n.CREDENTIAL_IDS.personal, name: 'VibeCode sandbox (personal key)' } },
					},
				],
				connections: {},
			},
		],
	});
	await start();
}, 30 * 60_000);

afterAll(async () => {
	await instance?.stop();
	await sandbox.stop();
	if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test(`n8n ${VERSION}: Entered Stage emits a move into the stage once, and a move made while n8n was stopped once after it starts; a leave and a return across a restart is an arrival`, async () => {
	const mover = sandbox.createRecord('deal', { title: 'Mover', stageId: 'EXECUTING' });
	const later = sandbox.createRecord('deal', { title: 'Moved while n8n is down', stageId: 'NEW' });
	sandbox.createRecord('deal', { title: 'Won before activation', stageId: 'WON' });

	const { versionId } = (await call('GET', `/rest/workflows/${WORKFLOW}`)).body.data;
	let activation = await call('POST', `/rest/workflows/${WORKFLOW}/activate`, { versionId });
	if (activation.status === 404) activation = await call('PATCH', `/rest/workflows/${WORKFLOW}`, { active: true, versionId }); // n8n 1.x
	expect(activation.status).toBe(200);
	// n8n 2.3x activates asynchronously: wait for the first poll (which notes what is at the stage already).
	await polled(0);

	sandbox.updateRecord('deal', mover.id, { stageId: 'WON' });
	const first = await waitFor(async () => {
		const runs = await emitted();
		return runs?.length ? runs : undefined;
	}, 90_000);
	expect(first).toEqual([[mover.id]]);

	await instance.stop();
	await sleep(1100);
	sandbox.updateRecord('deal', later.id, { stageId: 'WON' });
	sandbox.updateRecord('deal', mover.id, { title: 'Still won, edited while n8n is down' });
	const before = searches();
	await start();
	const after = await waitFor(async () => {
		const runs = await emitted();
		return runs && runs.length >= 2 ? runs : undefined;
	}, 90_000);
	expect(after).toEqual([[mover.id], [later.id]]);

	// The next scheduled poll emits nothing again.
	const polls = searches();
	await polled(Math.max(polls, before + 1));
	expect(await waitFor(emitted, 30_000)).toEqual([[mover.id], [later.id]]);

	// A leave: a poll sees it and emits nothing, so n8n does not write that poll's static data. After a restart
	// the deal's return to the stage is still a new arrival (the deal's move time says so, not a memory n8n lost).
	sandbox.updateRecord('deal', mover.id, { stageId: 'LOSE' });
	await polled(searches());
	expect(await waitFor(emitted, 30_000)).toEqual([[mover.id], [later.id]]);
	await instance.stop();
	await sleep(1100);
	sandbox.updateRecord('deal', mover.id, { stageId: 'WON' });
	await start();
	const returned = await waitFor(async () => {
		const runs = await emitted();
		return runs && runs.length >= 3 ? runs : undefined;
	}, 90_000);
	expect(returned).toEqual([[mover.id], [later.id], [mover.id]]);
}, 10 * 60_000);
