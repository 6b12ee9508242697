/**
 * The install mechanics of scripts/n8n-host.js with real processes: a lock between processes, staging then
 * rename, a killed install repaired by the next run, a broken host reinstalled, and the smoke check. A small
 * stand-in install (files written with a pause) replaces npm here; the same ensureInstalled() runs for n8n.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const HOST_MODULE = path.resolve(__dirname, '../../scripts/n8n-host.js');

let root: string;
beforeEach(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-host-test-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const FINAL = () => path.join(root, '1.0.0');

/** A process that ensures the stand-in host; mode "hang" stops halfway through its install and waits. */
function ensureInChild(mode: 'normal' | 'hang' = 'normal') {
	const script = `
		const fs = require('node:fs');
		const path = require('node:path');
		const host = require(${JSON.stringify(HOST_MODULE)});
		const dir = path.join(host.HOST_ROOT, '1.0.0');
		host.ensureInstalled({
			name: 'demo-1.0.0',
			dir,
			check: (d) => (['a', 'b', 'complete'].every((f) => fs.existsSync(path.join(d, f))) ? undefined : 'files missing'),
			install: async (staging) => {
				fs.appendFileSync(path.join(host.HOST_ROOT, 'installs.log'), process.pid + '\\n');
				fs.writeFileSync(path.join(staging, 'a'), '1');
				if (${JSON.stringify(mode)} === 'hang') {
					fs.writeFileSync(path.join(host.HOST_ROOT, 'halfway'), '');
					setInterval(() => {}, 1000);
					await new Promise(() => {});
				}
				await new Promise((resolve) => setTimeout(resolve, 1500));
				fs.writeFileSync(path.join(staging, 'b'), '2');
				fs.writeFileSync(path.join(staging, 'complete'), '');
			},
			log: (line) => process.stdout.write(line + '\\n'),
		}).then((ms) => process.stdout.write('installed ms ' + ms + '\\n'), (error) => { process.stderr.write(String(error.stack)); process.exit(1); });
	`;
	const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, BITRIX24_N8N_HOST_ROOT: root }, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const done = new Promise<{ code: number | null; output: string }>((resolve) => child.on('close', (code) => resolve({ code, output })));
	return { child, done };
}

const installs = () => fs.readFileSync(path.join(root, 'installs.log'), 'utf8').trim().split('\n').length;
const leftovers = () => (fs.existsSync(path.join(root, '.staging')) ? fs.readdirSync(path.join(root, '.staging')) : []);

test('two processes at once: one installs, the other waits and uses its result', async () => {
	const first = ensureInChild();
	await new Promise((resolve) => setTimeout(resolve, 200));
	const second = ensureInChild();
	const [a, b] = await Promise.all([first.done, second.done]);
	expect([a.code, b.code]).toEqual([0, 0]);
	expect(installs()).toBe(1);
	expect(b.output).toContain(`Waiting for process ${first.child.pid}, which is installing demo-1.0.0`);
	expect(b.output).toContain('installed ms 0');
	expect(fs.readdirSync(FINAL()).sort()).toEqual(['a', 'b', 'complete']);
	expect(leftovers()).toEqual([]);
});

test('an install killed halfway leaves no host; the next run takes over the lock and installs', async () => {
	const killed = ensureInChild('hang');
	for (let i = 0; i < 200 && !fs.existsSync(path.join(root, 'halfway')); i++) await new Promise((resolve) => setTimeout(resolve, 50));
	killed.child.kill('SIGKILL');
	await killed.done;
	expect(fs.existsSync(FINAL())).toBe(false);
	expect(leftovers()).toHaveLength(1);

	const next = await ensureInChild().done;
	expect(next.code).toBe(0);
	expect(next.output).toContain(`Taking over the lock on demo-1.0.0: its owner (process ${killed.child.pid}) is gone.`);
	expect(fs.readdirSync(FINAL()).sort()).toEqual(['a', 'b', 'complete']);
	expect(leftovers()).toEqual([]);
	expect(installs()).toBe(2);
});

test('a host that fails its check is reinstalled with one line saying so; a good one is used as it is', async () => {
	expect((await ensureInChild().done).code).toBe(0);
	const again = await ensureInChild().done;
	expect(again.output.trim()).toBe('installed ms 0');
	fs.rmSync(path.join(FINAL(), 'b'));
	const repaired = await ensureInChild().done;
	expect(repaired.code).toBe(0);
	expect(repaired.output).toContain(`demo-1.0.0 in ${path.relative(path.resolve(__dirname, '../..'), FINAL())} is broken (files missing); reinstalling it.`);
	expect(fs.readdirSync(FINAL()).sort()).toEqual(['a', 'b', 'complete']);
	expect(installs()).toBe(2);
});

describe('smokeCheck', () => {
	/** A folder shaped like an n8n host: host.json, n8n's bin and entry point, sqlite3. */
	function fakeHost(version: string, printed = version) {
		const dir = path.join(root, version);
		const n8nDir = path.join(dir, 'node_modules', 'n8n');
		fs.mkdirSync(path.join(n8nDir, 'bin'), { recursive: true });
		fs.mkdirSync(path.join(dir, 'node_modules', 'sqlite3'), { recursive: true });
		fs.writeFileSync(path.join(dir, 'host.json'), JSON.stringify({ n8n: version }));
		fs.writeFileSync(path.join(n8nDir, 'bin', 'n8n'), `process.stdout.write(${JSON.stringify(printed)} + '\\n');`);
		fs.writeFileSync(path.join(n8nDir, 'package.json'), JSON.stringify({ name: 'n8n', main: 'index.js' }));
		fs.writeFileSync(path.join(n8nDir, 'index.js'), "require('sqlite3');");
		fs.writeFileSync(path.join(dir, 'node_modules', 'sqlite3', 'index.js'), '');
		return dir;
	}
	const { smokeCheck } = jest.requireActual(HOST_MODULE);

	test('passes a host whose n8n prints its version and loads', () => {
		expect(smokeCheck(fakeHost('9.9.9'), '9.9.9')).toBeUndefined();
	});

	test('names what is wrong: no host.json, another version, a module that does not load', () => {
		const dir = fakeHost('9.9.9');
		expect(smokeCheck(dir, '9.9.8')).toBe('host.json says n8n 9.9.9, not 9.9.8');
		fs.rmSync(path.join(dir, 'node_modules', 'sqlite3'), { recursive: true });
		expect(smokeCheck(dir, '9.9.9')).toMatch(/^loading n8n failed: .*Cannot find module 'sqlite3'/);
		fs.rmSync(path.join(dir, 'host.json'));
		expect(smokeCheck(dir, '9.9.9')).toMatch(/^host.json is missing or unreadable/);
		expect(smokeCheck(fakeHost('8.0.0', 'Error: Cannot find module'), '8.0.0')).toMatch(/^`n8n --version` printed "Error: Cannot find module"/);
	});
});
