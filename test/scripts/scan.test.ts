/**
 * scripts/scan.js: n8n's scanner (the pinned @n8n/scan-community-package, installed into .lint-tools/ on first use)
 * on a tiny community package written here. A node calling the deprecated `this.helpers.request` is reported with
 * file, rule and message; so is a warning n8n itself lets pass (no homepage); the same package without them is
 * clean. The scanner is an ES module, which jest cannot import: each analysis runs in a child Node process.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCAN = path.resolve(__dirname, '../../scripts/scan.js');
const TOOLS = path.resolve(__dirname, '../../scripts/lint-tools.js');

interface Finding {
	file: string;
	line: number;
	rule: string;
	severity: 'error' | 'warning';
	message: string;
}
interface Result {
	passed: boolean;
	findings: Finding[];
	files: number;
}

const PACKAGE = {
	name: 'n8n-nodes-tiny',
	version: '0.1.0',
	description: 'A tiny n8n community node for the scanner test',
	keywords: ['n8n-community-node-package'],
	license: 'MIT',
	homepage: 'https://www.npmjs.com/package/n8n-nodes-tiny',
	author: { name: 'Tiny', email: 'tiny@example.com' },
	files: ['dist'],
	n8n: { n8nNodesApiVersion: 1, credentials: [], nodes: ['dist/nodes/Tiny/Tiny.node.js'] },
	peerDependencies: { 'n8n-workflow': '*' },
};

const node = (execute: string) => `import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

export class Tiny implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tiny',
		name: 'tiny',
		icon: { light: 'file:tiny.svg', dark: 'file:tiny.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: 'Returns its input',
		description: 'Returns its input',
		defaults: { name: 'Tiny' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
${execute}
		return [items.map((item, index) => ({ json: item.json, pairedItem: { item: index } }))];
	}
}
`;

let root: string;

/** Writes the tiny package into root/<name>: package.json (with changes) and nodes/Tiny/ with its icons. */
function tinyPackage(name: string, { execute = '', pkg = {} }: { execute?: string; pkg?: object } = {}) {
	const dir = path.join(root, name);
	fs.mkdirSync(path.join(dir, 'nodes', 'Tiny'), { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...PACKAGE, ...pkg }, null, 2));
	fs.writeFileSync(path.join(dir, 'nodes', 'Tiny', 'Tiny.node.ts'), node(execute));
	const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>';
	fs.writeFileSync(path.join(dir, 'nodes', 'Tiny', 'tiny.svg'), svg);
	fs.writeFileSync(path.join(dir, 'nodes', 'Tiny', 'tiny.dark.svg'), svg);
	return dir;
}

/** scan.analyze() with the scanner's source patterns on each folder, in one child process. */
function analyze(...dirs: string[]): Result[] {
	const script = `
		const scan = require(${JSON.stringify(SCAN)});
		(async () => {
			const results = [];
			for (const dir of JSON.parse(process.argv[1])) results.push(await scan.analyze(dir));
			process.stdout.write(JSON.stringify(results));
		})().catch((error) => { process.stderr.write(String(error.stack)); process.exit(1); });
	`;
	return JSON.parse(execFileSync(process.execPath, ['-e', script, JSON.stringify(dirs)], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }));
}

beforeAll(() => {
	// The scanner's first install takes a minute or two; later runs find it in .lint-tools/.
	execFileSync(process.execPath, ['-e', `require(${JSON.stringify(TOOLS)}).ensureTools().catch((e) => { console.error(e); process.exit(1); })`], {
		stdio: ['ignore', 'ignore', 'inherit'],
	});
}, 600_000);

beforeEach(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-test-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test('a deprecated this.helpers.request is reported with its file, rule and message; the same package without it is clean', () => {
	const clean = tinyPackage('clean');
	const violating = tinyPackage('violating', { execute: "\t\tawait this.helpers.request('https://example.com');" });

	const [cleanResult, violatingResult] = analyze(clean, violating);

	expect(cleanResult).toEqual({ passed: true, findings: [], files: 2 });
	expect(violatingResult.passed).toBe(false);
	expect(violatingResult.findings).toEqual([
		expect.objectContaining({
			file: path.join('nodes', 'Tiny', 'Tiny.node.ts'),
			rule: '@n8n/community-nodes/no-deprecated-workflow-functions',
			severity: 'error',
			message: expect.stringContaining("'request' is deprecated"),
		}),
	]);
});

test('a warning fails too, though n8n would let it pass: a package.json without homepage', () => {
	const { homepage: _homepage, ...withoutHomepage } = PACKAGE;
	const dir = tinyPackage('no-homepage');
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(withoutHomepage, null, 2));

	const [result] = analyze(dir);

	expect(result.passed).toBe(false);
	expect(result.findings).toEqual([
		expect.objectContaining({ file: 'package.json', rule: '@n8n/community-nodes/require-homepage', severity: 'warning' }),
	]);
});
