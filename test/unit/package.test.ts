/**
 * What `npm pack` would publish, read from `npm pack --dry-run --json` in the repository root (jest's
 * globalSetup has just run `npm run build`): the files n8n loads are there, nothing of the repository's
 * own tooling is, and no source map points n8n's stack traces at a .ts file that is not shipped.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

interface PackResult {
	files: Array<{ path: string }>;
}

const packed: string[] = (() => {
	const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], { cwd: ROOT, encoding: 'utf8' });
	const [result] = JSON.parse(output) as PackResult[];
	return result.files.map((file) => file.path);
})();

test('the tarball holds what n8n loads: both nodes, the credential, the icons beside the nodes, index.js, package.json', () => {
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const declared: string[] = [...pkg.n8n.nodes, ...pkg.n8n.credentials];
	expect(declared).toEqual(
		expect.arrayContaining(['dist/nodes/Bitrix24/Bitrix24.node.js', 'dist/credentials/Bitrix24VibeApi.credentials.js']),
	);
	expect(packed).toEqual(
		expect.arrayContaining([
			...declared,
			'dist/nodes/Bitrix24/bitrix24.svg',
			'dist/nodes/Bitrix24/bitrix24.dark.svg',
			'index.js',
			'package.json',
		]),
	);
});

test('nothing of the repository tooling is shipped: tests, scripts, docs, the n8n host', () => {
	const tooling = packed.filter((file) => /^(test|scripts|docs|\.n8n-host|\.n8n-data|demo|\.ci)\//.test(file));
	expect(tooling).toEqual([]);
	// No sources and no type declarations: n8n loads the .js, and its scanner takes a credential's .d.ts for a credential file.
	expect(packed.filter((file) => file.endsWith('.ts'))).toEqual([]);
});

test('every shipped source map carries its sources, or none is shipped', () => {
	const maps = packed.filter((file) => file.endsWith('.map'));
	const withoutSources = maps.filter((file) => {
		const map = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as { sources?: string[]; sourcesContent?: unknown[] };
		const sources = map.sources ?? [];
		const content = map.sourcesContent ?? [];
		return content.length !== sources.length || content.some((text) => typeof text !== 'string');
	});
	expect(withoutSources).toEqual([]);
});

test('every sourceMappingURL in a shipped file names a map that is shipped too', () => {
	const dangling = packed
		.filter((file) => file.endsWith('.js'))
		.flatMap((file) => {
			const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
			const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
			if (!url || url.startsWith('data:')) return [];
			const map = path.posix.join(path.posix.dirname(file), url);
			return packed.includes(map) ? [] : [`${file} → ${map}`];
		});
	expect(dangling).toEqual([]);
});
