'use strict';
/**
 * `npm run test:e2e:matrix [versions…]`: the end-to-end suite against several n8n versions — by default the
 * pinned one, the newest 1.x and the newest 2.x on the registry. Each version is installed into its own
 * host folder; a version that cannot be installed here is reported, not hidden. Prints a summary table.
 */
const { execFileSync, spawnSync } = require('node:child_process');

const n8n = require('./n8n');

function newest(major) {
	const versions = JSON.parse(execFileSync('npm', ['view', `n8n@${major}`, 'version', '--json'], { encoding: 'utf8' }));
	const list = Array.isArray(versions) ? versions : [versions];
	const key = (v) => v.split('.').map((part) => part.padStart(6, '0')).join('.');
	return list.filter((v) => /^\d+\.\d+\.\d+$/.test(v)).sort((a, b) => (key(a) < key(b) ? -1 : 1)).pop();
}

function engines(version) {
	try {
		return execFileSync('npm', ['view', `n8n@${version}`, 'engines.node'], { encoding: 'utf8' }).trim();
	} catch {
		return '?';
	}
}

const versions = process.argv.slice(2).length ? process.argv.slice(2) : [...new Set([n8n.PINNED_N8N, newest(1), newest(2)])];
const rows = [];
for (const version of versions) {
	const row = { version, node: engines(version), install: '', tests: '' };
	try {
		const took = n8n.ensureN8n(version);
		row.install = took ? `installed in ${Math.round(took / 1000)} s` : 'already installed';
	} catch (error) {
		row.install = `install failed (${String(error.message).split('\n')[0].slice(0, 80)})`;
		row.tests = 'not run';
		rows.push(row);
		continue;
	}
	const result = spawnSync('npx', ['jest', 'test/e2e'], {
		cwd: n8n.ROOT,
		env: { ...process.env, N8N_E2E_VERSION: version },
		encoding: 'utf8',
	});
	const summary = `${result.stdout}\n${result.stderr}`.match(/Tests:\s+([^\n]+)/);
	row.tests = `${result.status === 0 ? 'passed' : 'FAILED'}: ${summary ? summary[1] : `exit ${result.status}`}`;
	if (result.status !== 0) process.stderr.write(`\n--- n8n ${version}: end-to-end output ---\n${result.stderr.slice(-6000)}\n`);
	rows.push(row);
}

process.stdout.write(`\nNode ${process.version}\n\n| n8n | engines.node | install | end-to-end |\n|---|---|---|---|\n`);
for (const row of rows) process.stdout.write(`| ${row.version} | ${row.node} | ${row.install} | ${row.tests} |\n`);
process.exitCode = rows.every((row) => row.tests.startsWith('passed')) ? 0 : 1;
