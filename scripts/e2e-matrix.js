'use strict';
/**
 * `npm run test:e2e:matrix [versions…]`: the end-to-end suite (with `--browser`, from n8n 2 on, the browser suite
 * too) against several n8n versions. A version is
 * exact (`2.8.4`) or a major line (`2.x`: the newest release of it that installs from the registry here;
 * newer ones that do not resolve are reported and passed over). Default: the pinned version, `2.x`, `1.x`.
 * Each host is installed (once) by scripts/n8n-host.js. Prints the table: n8n, Node, install, suite result.
 * `--install-only` installs the hosts and runs no suite.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const semver = require('semver');

const host = require('./n8n-host');

const log = (line) => process.stdout.write(`${line}\n`);

/** The newest release of a major line that resolves; notes the newer ones passed over. */
function newestInstallable(major, notes) {
	const all = host.npmView(`n8n@${major}`, 'version');
	const releases = semver.rsort((Array.isArray(all) ? all : [all]).filter((v) => semver.valid(v) && !semver.prerelease(v)));
	for (const version of releases.slice(0, 8)) {
		if (fs.existsSync(path.join(host.hostDir(version), 'host.json'))) return version;
		log(`Checking that n8n ${version} (newest ${major}.x not yet tried) resolves from the registry…`);
		const { problem } = host.resolveTree(version);
		if (!problem) return version;
		notes.push(`n8n ${version} passed over: \`npm install n8n@${version}\` does not resolve (${problem})`);
		log(notes[notes.length - 1]);
	}
	throw new Error(`no recent n8n ${major}.x resolves from the registry`);
}

function runSuite(version, { browser }) {
	return new Promise((resolve) => {
		// The AI agent suite is for n8n 2's agents (the pinned version and the newest 2.x); on 1.x it passed when run by
		// hand (1.123.81: 5 of 5), and is left out of the matrix to keep CI within its time. The browser suite runs on
		// the pinned version in `npm test`; here only with --browser, from n8n 2 on (it is written against n8n 2's
		// editor): on the newest 2.x it took about 5 of CI's 58 minutes, which CI's 60-minute budget no longer had.
		const major2 = semver.major(version) >= 2;
		const suites = major2 ? ['test/e2e', ...(browser ? ['test/browser'] : [])] : ['test/e2e', '--testPathIgnorePatterns', 'test/e2e/aiAgent'];
		const child = spawn('npx', ['jest', ...suites], { cwd: host.ROOT, env: { ...process.env, N8N_E2E_VERSION: version }, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const collect = (chunk) => {
			output += chunk;
			process.stdout.write(chunk);
		};
		child.stdout.on('data', collect);
		child.stderr.on('data', collect);
		child.on('close', (code) => resolve({ code, output }));
	});
}

async function main() {
	const args = process.argv.slice(2);
	// --install-only: get the hosts now (CI does this in the background while `npm test` runs).
	const installOnly = args.includes('--install-only');
	const browser = args.includes('--browser');
	const specs = args.filter((arg) => !arg.startsWith('--'));
	const requested = specs.length ? specs : [host.PINNED_N8N, '2.x', '1.x'];
	const notes = [];
	const versions = [...new Set(requested.map((spec) => (/^\d+\.x$/.test(spec) ? newestInstallable(spec.split('.')[0], notes) : spec)))];
	const rows = versions.map((version) => ({ version, node: '', install: '', tests: 'not run' }));
	const install = async (row) => {
		try {
			const installed = await host.ensureN8n(row.version, { log });
			row.node = installed.runtime.version;
			row.install = installed.installMs ? `installed in ${host.seconds(installed.installMs)}` : 'already installed';
		} catch (error) {
			row.install = `install failed: ${String(error.message).split('\n').slice(0, 2).join(' ').slice(0, 160)}`;
		}
	};
	// One at a time: side by side, 2.41.1 and 1.123.81 took 15½ min together on two cores, no less than one after the other.
	for (const row of rows) {
		await install(row);
		if (installOnly || !row.node) continue;
		const { version } = row;
		log(`\n=== end-to-end suite on n8n ${version} (Node ${row.node}) ===`);
		const started = Date.now();
		const { code, output } = await runSuite(version, { browser });
		const summary = output.match(/Tests:\s+([^\n]+)/);
		row.tests = `${code === 0 ? 'passed' : 'FAILED'}: ${summary ? summary[1].trim() : `exit ${code}`} (${host.seconds(Date.now() - started)})`;
	}
	log(`\n| n8n | Node | install | end-to-end${browser ? ' and browser' : ''} suites |\n|---|---|---|---|`);
	for (const row of rows) log(`| ${row.version} | ${row.node} | ${row.install} | ${row.tests} |`);
	for (const note of notes) log(`\n${note}`);
	process.exitCode = rows.every((row) => (installOnly ? row.node : row.tests.startsWith('passed'))) ? 0 : 1;
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
