'use strict';
/**
 * Real n8n for `npm start`, `npm run demo` and the end-to-end tests. n8n is not a dependency of this
 * package: each version lives in its own git-ignored host folder (.n8n-host/<version>) and is installed
 * from the npm registry the first time it is needed. This package is installed into an n8n data folder
 * exactly as a user's `npm install` in ~/.n8n/nodes would install it (from `npm pack`), so n8n loads it
 * through package.json's "n8n" section under its real name.
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const host = require('./n8n-host');

const { ROOT, PINNED_N8N, hostDir, ensureN8n } = host;
const PACKAGE = require(path.join(ROOT, 'package.json'));
const NODE_TYPE = `${PACKAGE.name}.bitrix24`;

/** How to run n8n@version: its bin and the Node it was installed for. The host must be installed. */
function n8nProcess(version) {
	const { bin, runtime } = host.describeHost(hostDir(version));
	return { node: runtime.node, bin, pathPrefix: runtime.bin };
}

/**
 * Builds dist/ and, with the same lock held, runs then(): two `npm run demo` (or `npm test` beside
 * `npm start`) at once must not pack a build the other one is writing.
 */
function withBuild(then = () => undefined, { quiet = false } = {}) {
	return host.withLock(
		'build',
		async () => {
			execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: quiet ? 'ignore' : 'inherit' });
			return await then();
		},
		{ activity: 'building this package', log: quiet ? () => undefined : undefined },
	);
}

/** Packs this package (npm pack, as published) and unpacks it into <dataDir>/.n8n/nodes/node_modules. */
function installPackageInto(dataDir) {
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'Bitrix24', 'Bitrix24.node.js'))) {
		throw new Error('dist/ is missing: run `npm run build` first');
	}
	const packDir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'bitrix24-pack-'));
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop();
	const target = path.join(dataDir, '.n8n', 'nodes', 'node_modules', PACKAGE.name);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', path.join(packDir, tarball), '-C', target, '--strip-components=1']);
	fs.rmSync(packDir, { recursive: true, force: true });
	const nodesPackage = path.join(dataDir, '.n8n', 'nodes', 'package.json');
	if (!fs.existsSync(nodesPackage)) {
		fs.writeFileSync(nodesPackage, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE.name]: PACKAGE.version } }, null, 2));
	}
	return target;
}

/** n8n's environment for one process; `env` adds or overrides variables (queue mode: Redis, Postgres, …). */
function n8nEnv({ version = PINNED_N8N, dataDir, port = 5678, brokerPort = 5679, env = {} }) {
	const { JEST_WORKER_ID: _jest, ...inherited } = process.env;
	return {
		...inherited,
		// The host's Node first, for anything n8n starts by name (task runners).
		PATH: `${n8nProcess(version).pathPrefix}${path.delimiter}${process.env.PATH}`,
		// Under jest NODE_ENV is "test", in which n8n refuses to load nodes.
		NODE_ENV: 'production',
		N8N_USER_FOLDER: dataDir,
		DB_TYPE: 'sqlite',
		N8N_ENCRYPTION_KEY: 'bitrix24-vibecode-local-encryption-key',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_HIDE_USAGE_PAGE: 'true',
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'warn',
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`,
		WEBHOOK_URL: `http://127.0.0.1:${port}/`, // n8n < 2.34
		N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		// Lets n8n's AI agents use community nodes as tools.
		N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: 'true',
		NODE_OPTIONS: '',
		...env,
	};
}

/** Runs an n8n CLI command to completion; resolves { code, stdout, stderr }. */
function cli(args, { version = PINNED_N8N, dataDir, brokerPort, env: extra }) {
	// `n8n execute` prints the run data through its logger, at level info.
	const env = { ...n8nEnv({ version, dataDir, brokerPort, env: extra }), ...(args[0] === 'execute' ? { N8N_LOG_LEVEL: 'info' } : {}) };
	const { node, bin } = n8nProcess(version);
	return new Promise((resolve) => {
		const child = spawn(node, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		// A signal (code null) says what ended it: a run that died tells it apart from one that failed.
		child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
	});
}

/** `n8n import:credentials` / `n8n import:workflow` of a list, through a file as the CLI wants. */
async function importInto(command, list, options) {
	const file = path.join(options.dataDir, `${command.replace(':', '-')}.json`);
	fs.writeFileSync(file, JSON.stringify(list, null, 2));
	const result = await cli([command, `--input=${file}`], options);
	fs.rmSync(file, { force: true });
	if (result.code !== 0) throw new Error(`${command} failed: ${result.stdout}${result.stderr}`);
}

const importCredentials = (credentials, options) => importInto('import:credentials', credentials, options);
const importWorkflows = (workflows, options) => importInto('import:workflow', workflows, options);

/** Parses the run data JSON that `n8n execute --rawOutput` prints after its log lines. */
function parseExecuteOutput(stdout) {
	const start = stdout.indexOf('{');
	if (start < 0) return undefined;
	try {
		return JSON.parse(stdout.slice(start));
	} catch {
		return undefined;
	}
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/**
 * Starts `n8n start` and waits until its REST API answers JSON (/healthz/readiness turns 200 seconds before
 * the editor's routes are mounted). Resolves { url, child, logs, startMs, stop(), exit, terminate(), restart() }.
 */
async function startN8n({ version = PINNED_N8N, dataDir, port, brokerPort, timeoutMs = 180_000, onLog, env }) {
	const { node, bin } = n8nProcess(version);
	const child = spawn(node, [bin, 'start'], {
		env: n8nEnv({ version, dataDir, port, brokerPort, env }),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const logs = [];
	const collect = (chunk) => {
		const text = String(chunk);
		logs.push(text);
		onLog?.(text);
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	let exited = false;
	child.on('exit', () => (exited = true));
	const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	const url = `http://127.0.0.1:${port}`;
	const started = Date.now();
	for (;;) {
		if (exited) throw new Error(`n8n exited during start-up:\n${logs.join('')}`);
		if (Date.now() - started > timeoutMs) {
			child.kill('SIGKILL');
			throw new Error(`n8n did not become ready in ${timeoutMs / 1000} s:\n${logs.join('')}`);
		}
		try {
			// While starting, n8n 2.3x answers every path with 200 text/html "n8n is starting up", then 404s:
			// ready means the REST API answers JSON.
			const response = await fetch(`${url}/rest/settings`);
			if (response.ok && (response.headers.get('content-type') ?? '').includes('application/json')) {
				await response.json();
				break;
			}
		} catch {
			// not listening yet, or not JSON yet
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	const stop = () =>
		new Promise((resolve) => {
			if (exited) return resolve();
			child.once('exit', () => resolve());
			child.kill('SIGTERM');
			setTimeout(() => !exited && child.kill('SIGKILL'), 15_000).unref();
		});
	/**
	 * n8n's ordinary stop: sends `signal` once (SIGTERM by default; n8n then waits for its running executions) and
	 * resolves { code, signal, ms } when n8n has exited. Unlike stop(), no SIGKILL follows: a second signal would
	 * not be what a service manager sends.
	 */
	const terminate = (signal = 'SIGTERM') => {
		const sent = Date.now();
		if (!exited) child.kill(signal);
		return exit.then((result) => ({ ...result, ms: Date.now() - sent }));
	};
	/** The same n8n started again on the same data folder, port and broker port (after stop() or terminate()). */
	const restart = (more = {}) => startN8n({ version, dataDir, port, brokerPort, timeoutMs, onLog, env, ...more });
	return { url, child, logs, startMs: Date.now() - started, stop, exit, terminate, restart };
}

/** A logged-in REST client for n8n's own API (what the editor calls), with the owner account set up. */
async function restClient(url, owner = { email: 'owner@example.com', firstName: 'Demo', lastName: 'Owner', password: 'Demo-pass-123' }) {
	let cookie = '';
	const call = async (method, route, body) => {
		const response = await fetch(`${url}${route}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': 'bitrix24-e2e', ...(cookie ? { cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) cookie = setCookie.split(';')[0];
		const text = await response.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: response.status, body: json, text };
	};
	const setup = await call('POST', '/rest/owner/setup', owner);
	if (setup.status !== 200) {
		const login = await call('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		if (login.status !== 200) throw new Error(`cannot log in to n8n: ${setup.text} / ${login.text}`);
	}
	return { call, owner };
}

const CREDENTIAL_IDS = { personal: 'bx24SandboxPers01', oauthApp: 'bx24SandboxOApp01', model: 'bx24LocalModel01' };

/** The sandbox credentials imported into n8n: one personal key, one OAuth application with a session. */
function sandboxCredentials(sandboxUrl, keys = require('../test/sandbox/server').KEYS) {
	return [
		{
			id: CREDENTIAL_IDS.personal,
			name: 'VibeCode sandbox (personal key)',
			type: 'bitrix24VibeApi',
			data: { keyType: 'personal', apiKey: keys.personal, baseUrl: sandboxUrl },
		},
		{
			id: CREDENTIAL_IDS.oauthApp,
			name: 'VibeCode sandbox (OAuth application)',
			type: 'bitrix24VibeApi',
			data: { keyType: 'oauthApp', apiKey: keys.app, sessionToken: keys.session, baseUrl: sandboxUrl },
		},
	];
}

/** The AI agent demo's OpenAI credential, pointed at the local scripted model (test/sandbox/model.js): no API key. */
function modelCredential(modelUrl) {
	return { id: CREDENTIAL_IDS.model, name: 'Local scripted model', type: 'openAiApi', data: { apiKey: 'sk-local-scripted-model', url: modelUrl } };
}

function demoWorkflows() {
	const dir = path.join(ROOT, 'demo');
	return fs
		.readdirSync(dir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
}

/**
 * A data folder with this package installed and the sandbox credentials and demo workflows imported (into the
 * database `env` names, SQLite in the folder by default).
 */
async function prepareInstance({ version = PINNED_N8N, dataDir, sandboxUrl, modelUrl, workflows = [], brokerPort, env }) {
	fs.mkdirSync(dataDir, { recursive: true });
	await host.withLock('build', () => installPackageInto(dataDir), { activity: 'building this package' });
	// With `modelUrl`, the AI agent demo's model credential too, in the same import (each import starts n8n's CLI).
	await importCredentials([...sandboxCredentials(sandboxUrl), ...(modelUrl ? [modelCredential(modelUrl)] : [])], { version, dataDir, brokerPort, env });
	// A suite's own workflows with the demos, in one import: each import starts n8n's CLI (10–30 s, more on n8n 2.41).
	await importWorkflows([...demoWorkflows(), ...workflows], { version, dataDir, brokerPort, env });
}

module.exports = {
	CREDENTIAL_IDS,
	sandboxCredentials,
	modelCredential,
	demoWorkflows,
	prepareInstance,
	ROOT,
	PINNED_N8N,
	PACKAGE,
	NODE_TYPE,
	hostDir,
	n8nProcess,
	ensureN8n,
	installPackageInto,
	withBuild,
	n8nEnv,
	cli,
	importCredentials,
	importWorkflows,
	parseExecuteOutput,
	freePort,
	startN8n,
	restClient,
};

// `node scripts/n8n.js install [version]`: get the host for n8n@version now (pinned by default).
if (require.main === module && process.argv[2] === 'install') {
	const version = process.argv[3] ?? PINNED_N8N;
	const log = (line) => process.stdout.write(`${line}\n`);
	ensureN8n(version, { log }).then(
		(installed) => {
			log(`n8n ${version} is ready in ${path.relative(ROOT, installed.dir)} (Node ${installed.runtime.version})`);
		},
		(error) => {
			process.stderr.write(`${error.message}\n`);
			process.exit(1);
		},
	);
}
