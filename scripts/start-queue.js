'use strict';
/**
 * `npm run start:queue`: `npm start` in n8n's queue mode. Builds the package, starts the VibeCode sandbox, Redis,
 * Postgres, an n8n main process and 2 workers (scripts/queue.js; Redis and Postgres are installed with apt-get on
 * first use), with the sandbox credentials and the demo workflows imported and an owner account ready. Prints
 * the editor URL, then every fire the sandbox receives and which worker ran each execution. Ctrl-C stops
 * everything it started.
 */
const n8n = require('./n8n');
const { startQueue, stopAll } = require('./queue');
const { createSandbox, KEYS } = require('../test/sandbox/server');

const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT ?? 8787);
const WORKERS = Number(process.env.N8N_WORKERS ?? 2);
const OWNER = { email: 'owner@example.com', firstName: 'Demo', lastName: 'Owner', password: 'Demo-pass-123' };

async function main() {
	const say = (line) => process.stdout.write(`${line}\n`);
	let sandbox;
	let queue;
	let stopping = false;
	let timer;
	const stop = async (code = 0) => {
		if (stopping) return;
		stopping = true;
		clearInterval(timer);
		say('\nStopping the workers, n8n, Postgres, Redis and the sandbox…');
		await stopAll();
		await sandbox?.stop();
		process.exit(code);
	};
	process.on('SIGINT', () => stop());
	process.on('SIGTERM', () => stop());

	try {
		await n8n.withBuild();
		await n8n.ensureN8n(n8n.PINNED_N8N, { log: say });
		sandbox = await createSandbox().start(SANDBOX_PORT);
		say(`VibeCode sandbox on ${sandbox.url}`);
		say(`Starting n8n ${n8n.PINNED_N8N} in queue mode: Redis, Postgres, main and ${WORKERS} workers…`);
		// n8n's warnings and errors, with the process they come from (the rest of their info log is kept, not shown).
		const onLog = (name, text) => {
			if (name === 'redis' || name === 'postgres') return;
			for (const line of text.split('\n')) if (/\b(warn|error)/i.test(line)) process.stderr.write(`${name}: ${line}\n`);
		};
		queue = await startQueue({ sandboxUrl: sandbox.url, port: N8N_PORT, workers: WORKERS, log: say, onLog });
	} catch (error) {
		process.stderr.write(`${error.stack ?? error}\n`);
		return stop(1);
	}
	await n8n.restClient(queue.url, OWNER);

	say('');
	say(`n8n ${n8n.PINNED_N8N} in queue mode is ready: ${queue.url}  (main + ${queue.workers.length} workers)`);
	say(`  Sign in as ${OWNER.email} / ${OWNER.password}`);
	say(`  Redis on 127.0.0.1:${queue.redis.port}, Postgres on 127.0.0.1:${queue.postgres.port} (database n8n, user postgres)`);
	say('  Workflows and credentials: as with `npm start`. Executions, manual ones included, run on the workers.');
	say(`  Sandbox keys: personal ${KEYS.personal}; OAuth ${KEYS.app} + session ${KEYS.session}`);
	say('Fires reaching the sandbox and the executions each worker starts are printed below. Ctrl-C stops everything.');

	let printed = 0;
	const started = new Map(queue.workers.map((worker) => [worker.name, 0]));
	timer = setInterval(() => {
		for (const worker of queue.workers) {
			const ids = worker.executions();
			for (const id of ids.slice(started.get(worker.name))) say(`${worker.name}: started execution ${id}`);
			started.set(worker.name, ids.length);
		}
		for (; printed < sandbox.journal.length; printed++) {
			const { triggerId, entityType, entityId } = sandbox.journal[printed];
			say(`sandbox: fired ${triggerId} on ${entityType} ${entityId}`);
		}
	}, 250);
	for (const child of [queue.main.child, ...queue.workers.map((worker) => worker.child)]) {
		child.on('exit', (code) => {
			if (stopping) return;
			say(`An n8n process exited (code ${code}).`);
			stop(1);
		});
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
