/**
 * `npm run bench` must not write into the user's n8n folder. n8n-core saves an encryption key into
 * N8N_USER_FOLDER, else $HOME/.n8n, when it loads its instance settings; run.js gives every bench process a
 * throwaway folder first. Both checks run with HOME pointed at an empty folder and no N8N_USER_FOLDER.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

let home: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
	home = fs.mkdtempSync(path.join(os.tmpdir(), 'bitrix24-vibecode-home-'));
	env = { ...process.env, HOME: home };
	// jest's setup (test/helpers/env.js) sets both for this process; a user running `npm run bench` has neither.
	delete env.N8N_USER_FOLDER;
	delete env.N8N_ENCRYPTION_KEY;
});

afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

test('the check below can fail: n8n-core loaded with only HOME set writes $HOME/.n8n/config', () => {
	const script = [
		"const core = require.resolve('n8n-core');",
		"const { Container } = require(require.resolve('@n8n/di', { paths: [core] }));",
		'Container.get(require(core).InstanceSettings);',
	].join(' ');
	const result = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
	expect(result.stderr).toBe('');
	expect(fs.existsSync(path.join(home, '.n8n', 'config'))).toBe(true);
});

test("the bench's setup (one item through n8n-core) leaves $HOME alone and removes its own n8n folder", () => {
	const result = spawnSync(process.execPath, [path.join(__dirname, 'run.js'), '--setup'], {
		cwd: ROOT,
		env,
		encoding: 'utf8',
		timeout: 120_000,
	});
	expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
	const report = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}');
	expect(report).toMatchObject({ done: 1, fired: 1 });
	expect(fs.readdirSync(home)).toEqual([]);
	expect(path.dirname(String(report.n8nFolder))).toBe(os.tmpdir());
	expect(fs.existsSync(report.n8nFolder)).toBe(false);
});
