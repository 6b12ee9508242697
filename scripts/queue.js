'use strict';
/**
 * n8n in queue mode, for `npm run start:queue` and test/e2e/queue.test.ts: a main process, Redis as the queue,
 * Postgres as the database and workers (`n8n worker`) that run the executions, as n8n's own scaling guide sets it up.
 *
 * - Redis and Postgres are Debian's packages (`redis-server`, `postgresql`), installed with apt-get when missing
 *   (as root; otherwise the error says what to install). Each run starts its own on free ports on 127.0.0.1, with
 *   its data in a git-ignored folder (`.n8n-data/queue-…`), removed when it stops. Postgres refuses to run as
 *   root: its cluster is created and run as the `postgres` user, in a temporary folder of its own outside the
 *   checkout (which that user may not be able to enter), removed with the rest.
 * - Every n8n process gets its own n8n folder with this package installed from `npm pack`, as a user's
 *   `npm install` in ~/.n8n/nodes would, and the same encryption key. The sandbox credentials and the demo
 *   workflows are imported once, into Postgres.
 * - stop() ends everything it started, in order (workers, main, Postgres, Redis); if the process exits without
 *   it (an error, Ctrl-C), whatever is still running is killed on the way out.
 */
const { execFileSync, spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const n8n = require('./n8n');
const host = require('./n8n-host');
const { installDebianPackages } = require('./system-packages');

const DATA_ROOT = path.join(n8n.ROOT, '.n8n-data');

// ---------------------------------------------------------------------------------------------------------
// Redis and Postgres from Debian's packages

function postgresBin() {
	const base = '/usr/lib/postgresql';
	const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'postgres'))) : [];
	versions.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

function redisBin() {
	return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((file) => fs.existsSync(file));
}

/** Where redis-server and Postgres' binaries are; installs the Debian packages that are missing (root only). */
/** The Debian packages queue mode lacks. */
const missingServices = () => [...(redisBin() ? [] : ['redis-server']), ...(postgresBin() ? [] : ['postgresql'])];

function ensureServices({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
	installDebianPackages(missingServices(), { log, why: 'queue mode' });
	const redis = redisBin();
	const postgres = postgresBin();
	if (!redis || !postgres) throw new Error('redis-server or postgresql is still missing after apt-get install');
	return { redis, postgres };
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what, check, { timeoutMs = 60_000, process: child } = {}) {
	const until = Date.now() + timeoutMs;
	for (;;) {
		if (await check()) return;
		if (child && child.exitCode !== null) throw new Error(`${what} exited (code ${child.exitCode}) before it was ready`);
		if (Date.now() > until) throw new Error(`${what} was not ready after ${timeoutMs / 1000} s`);
		await delay(200);
	}
}

/** Whether a Redis server answers PING on port. */
function redisAnswers(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		const done = (ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.once('error', () => done(false));
		socket.once('data', (data) => done(String(data).startsWith('+PONG')));
		socket.once('connect', () => socket.write('PING\r\n'));
	});
}

/**
 * A child process started in a process group of its own (so Ctrl-C in a terminal does not reach it, and a kill
 * reaches its children too: n8n's task runners, Postgres' backends), with its output kept (the last 2 MB).
 */
function startProcess(name, command, args, { env, uid, gid, onLog } = {}) {
	const child = spawn(command, args, { env, uid, gid, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	const entry = { name, child, pid: child.pid, output: '', exited: false };
	const collect = (chunk) => {
		const text = String(chunk);
		entry.output = (entry.output + text).slice(-2_000_000);
		onLog?.(name, text);
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	entry.exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	child.on('exit', () => (entry.exited = true));
	child.on('error', (error) => collect(`${name}: ${error.message}\n`));
	running.add(entry);
	entry.exit.then(() => running.delete(entry));
	/** Sends signal to the process group; resolves when the process has exited (SIGKILL after graceMs). */
	entry.stop = async (signal = 'SIGTERM', graceMs = 20_000) => {
		if (entry.exited) return;
		killGroup(entry, signal);
		const timer = setTimeout(() => killGroup(entry, 'SIGKILL'), graceMs);
		await entry.exit;
		clearTimeout(timer);
		// Whatever it started and left behind (a task runner) goes too.
		killGroup(entry, 'SIGKILL');
	};
	return entry;
}

function killGroup(entry, signal) {
	try {
		process.kill(-entry.pid, signal);
	} catch {
		// already gone
	}
}

/** Every process started here and still running: killed if this process exits without stopping them. */
const running = new Set();
const mains = new Set();
process.on('exit', () => {
	for (const entry of running) killGroup(entry, 'SIGKILL');
	for (const { pid } of mains) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
});

async function startRedis({ bin, dir, onLog }) {
	const port = await n8n.freePort();
	fs.mkdirSync(dir, { recursive: true });
	const redis = startProcess('redis', bin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { onLog });
	await waitFor('redis-server', () => redisAnswers(port), { process: redis.child });
	return Object.assign(redis, { port });
}

function postgresUser() {
	const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
	const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
	return { uid, gid };
}

async function startPostgres({ bin, dir, onLog }) {
	const port = await n8n.freePort();
	const asRoot = process.getuid?.() === 0;
	// Postgres refuses to run as root: the cluster belongs to the postgres user, who must be able to reach it.
	const user = asRoot ? postgresUser() : {};
	fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
	if (asRoot) fs.chownSync(dir, user.uid, user.gid);
	const env = { PATH: process.env.PATH, LANG: 'C', LC_ALL: 'C' };
	const init = spawnSync(path.join(bin, 'initdb'), ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C'], { ...user, env, encoding: 'utf8' });
	if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout || init.error}`);
	const postgres = startProcess(
		'postgres',
		path.join(bin, 'postgres'),
		['-D', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'max_connections=100'],
		{ env, ...user, onLog },
	);
	const ready = () => spawnSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q']).status === 0;
	await waitFor('postgres', ready, { process: postgres.child });
	const created = spawnSync(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-qc', 'CREATE DATABASE n8n'], { env, encoding: 'utf8' });
	if (created.status !== 0) throw new Error(`creating the n8n database failed: ${created.stderr}`);
	// Fast shutdown: SIGINT.
	const stopGroup = postgres.stop;
	return Object.assign(postgres, { port, stop: (signal = 'SIGINT', graceMs) => stopGroup(signal, graceMs) });
}

// ---------------------------------------------------------------------------------------------------------
// n8n main and workers

/** What every n8n process of the setup shares: queue mode, Redis, Postgres, where manual runs go. */
function queueEnv({ redisPort, postgresPort, extra = {} }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgresPort),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: '',
		// The editor's "Execute workflow" runs on the workers too, as n8n recommends for queue mode.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// A job whose worker died is failed, never run again from its start (which would fire its first items a
		// second time): n8n 2.x always does this; 1.x runs it again unless this is 0 (docs/queue-mode.md).
		QUEUE_WORKER_MAX_STALLED_COUNT: '0',
		// "Worker started execution …" and "Enqueued execution …" are info lines: they tell which worker ran what.
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'info',
		...extra,
	};
}

/** Starts `n8n worker` and waits until its health endpoint says it is connected to Redis and Postgres. */
async function startWorker({ name, version, dataDir, env, concurrency, onLog, timeoutMs = 180_000 }) {
	const healthPort = await n8n.freePort();
	const brokerPort = await n8n.freePort();
	const { node, bin } = n8n.n8nProcess(version);
	const workerEnv = n8n.n8nEnv({ version, dataDir, brokerPort, env: { ...env, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort) } });
	const worker = startProcess(name, node, [bin, 'worker', `--concurrency=${concurrency}`], { env: workerEnv, onLog });
	const ready = async () => {
		try {
			return (await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`)).ok;
		} catch {
			return false;
		}
	};
	await waitFor(`n8n worker ${name}`, ready, { timeoutMs, process: worker.child }).catch((error) => {
		throw new Error(`${error.message}:\n${worker.output}`);
	});
	return Object.assign(worker, {
		healthPort,
		/** The execution IDs this worker has started, from its log. */
		executions: () => [...worker.output.matchAll(/Worker started execution (\d+)/g)].map((match) => match[1]),
	});
}

/**
 * Starts Redis, Postgres, n8n main and `workers` workers. Resolves a handle:
 * { url, main, workers, redis, postgres, dataDir, env, stopMain(), startMain(), stop() }.
 * workflows: more workflows to import (besides the demos); env: more n8n variables for every process.
 */
async function startQueue({
	version = n8n.PINNED_N8N,
	sandboxUrl,
	workers: workerCount = 2,
	concurrency = 2,
	workflows = [],
	env: extra = {},
	port,
	log = (line) => process.stderr.write(`${line}\n`),
	onLog,
	keepData = false,
}) {
	const bins = ensureServices({ log });
	fs.mkdirSync(DATA_ROOT, { recursive: true });
	const dataDir = fs.mkdtempSync(path.join(DATA_ROOT, 'queue-'));
	// Run as root, Postgres runs as the postgres user, who may not be able to enter the checkout (a clone in a
	// private folder, mode 700, as mktemp -d makes and as /root is): its cluster lives in a temporary folder of its
	// own instead, removed with the rest.
	const postgresDir = process.getuid?.() === 0 ? fs.mkdtempSync(path.join(os.tmpdir(), 'bx24-queue-postgres-')) : path.join(dataDir, 'postgres');
	const handle = { dataDir, postgresDir, workers: [] };
	let stopped;
	const stop = () => {
		stopped ??= (async () => {
			handles.delete(handle);
			for (const worker of handle.workers) await worker.stop();
			await handle.main?.stop();
			await handle.postgres?.stop();
			await handle.redis?.stop();
			if (!keepData) {
				fs.rmSync(dataDir, { recursive: true, force: true });
				fs.rmSync(postgresDir, { recursive: true, force: true });
			}
		})();
		return stopped;
	};
	handle.stop = stop;
	handles.add(handle);
	try {
		handle.redis = await startRedis({ bin: bins.redis, dir: path.join(dataDir, 'redis'), onLog });
		handle.postgres = await startPostgres({ bin: bins.postgres, dir: postgresDir, onLog });
		log(`Redis on port ${handle.redis.port}, Postgres on port ${handle.postgres.port} (data in ${path.relative(n8n.ROOT, dataDir)})`);
		const env = queueEnv({ redisPort: handle.redis.port, postgresPort: handle.postgres.port, extra });
		handle.env = env;

		const mainDir = path.join(dataDir, 'main');
		const mainPort = port ?? (await n8n.freePort());
		const brokerPort = await n8n.freePort();
		// Imports run the database migrations and fill Postgres once; every process then reads from it.
		await n8n.prepareInstance({ version, dataDir: mainDir, sandboxUrl, workflows, brokerPort, env });

		const mainOnLog = onLog && ((text) => onLog('main', text));
		handle.startMain = async () => {
			handle.main = await n8n.startN8n({ version, dataDir: mainDir, port: mainPort, brokerPort, env, onLog: mainOnLog });
			handle.url = handle.main.url;
			// Not in a process group of its own (startN8n is shared with `npm start`): killed by pid on the way out.
			const entry = { pid: handle.main.child.pid };
			const forget = () => mains.delete(entry);
			mains.add(entry);
			handle.main.child.once('exit', forget);
			return handle.main;
		};
		handle.stopMain = async () => {
			await handle.main?.stop();
		};
		const workerDirs = Array.from({ length: workerCount }, (_, i) => path.join(dataDir, `worker-${i + 1}`));
		for (const dir of workerDirs) {
			fs.mkdirSync(dir, { recursive: true });
			await host.withLock('build', () => n8n.installPackageInto(dir), { activity: 'building this package' });
		}
		await Promise.all([
			...workerDirs.map(async (dir, i) => {
				const worker = await startWorker({ name: `worker-${i + 1}`, version, dataDir: dir, env, concurrency, onLog });
				handle.workers[i] = worker;
			}),
			handle.startMain(),
		]);
		if (stopped) throw new Error('stopped while starting');
		return handle;
	} catch (error) {
		await stop().catch(() => undefined);
		throw error;
	}
}

/** Every setup started and not yet stopped (also one still starting). */
const handles = new Set();

/** Stops every setup this process started, also one still starting (Ctrl-C during start-up). */
async function stopAll() {
	await Promise.all([...handles].map((handle) => handle.stop()));
}

module.exports = { startQueue, stopAll, ensureServices, missingServices, queueEnv, DATA_ROOT };
