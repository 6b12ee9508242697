/**
 * scripts/release-check.js, the guard of .github/workflows/publish.yml: a package.json without a public GitHub
 * repository, homepage or bugs, or a tag that is not its version, is refused with the reason; a complete one passes.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { releaseProblems, githubRepository } = require('../../scripts/release-check.js') as {
	releaseProblems: (pkg: object, tag?: string) => string[];
	githubRepository: (repository: unknown) => { owner: string; name: string } | undefined;
};

const SCRIPT = path.resolve(__dirname, '../../scripts/release-check.js');

const GOOD = {
	name: 'n8n-nodes-example',
	version: '0.2.0',
	homepage: 'https://www.npmjs.com/package/n8n-nodes-example#readme',
	repository: { type: 'git', url: 'git+https://github.com/example/n8n-nodes-example.git' },
	bugs: { url: 'https://github.com/example/n8n-nodes-example/issues' },
	author: { name: 'Example maintainers', email: 'maintainers@nodes-example.dev' },
};

test('a package with a GitHub repository, homepage and bugs, tagged with its version, passes', () => {
	expect(releaseProblems(GOOD, 'v0.2.0')).toEqual([]);
});

test('every form of a GitHub repository npm accepts is read; anything else is not one', () => {
	const expected = { owner: 'example', name: 'n8n-nodes-example' };
	expect(githubRepository('https://github.com/example/n8n-nodes-example')).toEqual(expected);
	expect(githubRepository('https://github.com/example/n8n-nodes-example.git')).toEqual(expected);
	expect(githubRepository({ type: 'git', url: 'git+https://github.com/example/n8n-nodes-example.git' })).toEqual(expected);
	expect(githubRepository('github:example/n8n-nodes-example')).toEqual(expected);
	for (const other of [
		undefined,
		'',
		'https://gitlab.com/example/n8n-nodes-example',
		'https://github.com/example',
		'https://github.com/example/n8n-nodes-example/tree/main',
		'git+ssh://git@github.com/example/n8n-nodes-example.git',
		{ type: 'git' },
	]) {
		expect(githubRepository(other)).toBeUndefined();
	}
});

test("an author without a reachable e-mail is refused: none, or one on a domain that receives no mail (this package's own until set)", () => {
	const own = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { author: unknown };
	for (const author of [own.author, { name: 'x' }, 'Name <a@b.invalid>', { name: 'x', email: 'x@example.com' }, { name: 'x', email: 'not-an-address' }]) {
		expect(releaseProblems({ ...GOOD, author }, 'v0.2.0')).toEqual([expect.stringMatching(/^package\.json's "author" has no reachable e-mail address/)]);
	}
	expect(releaseProblems({ ...GOOD, author: 'Example <maintainers@nodes-example.dev>' }, 'v0.2.0')).toEqual([]);
});

test('a missing repository is refused, saying what to set', () => {
	const { repository: _repository, ...withoutRepository } = GOOD;
	const problems = releaseProblems(withoutRepository, 'v0.2.0');
	expect(problems).toHaveLength(1);
	expect(problems[0]).toMatch(/^package\.json has no "repository" pointing at a public GitHub repository \(none set\)/);
	expect(problems[0]).toContain('"https://github.com/<owner>/<name>"');
});

test('a repository outside GitHub is refused, naming it', () => {
	expect(releaseProblems({ ...GOOD, repository: 'https://gitlab.com/example/n8n-nodes-example' }, 'v0.2.0')).toEqual([
		expect.stringContaining('(got "https://gitlab.com/example/n8n-nodes-example")'),
	]);
});

test('a missing homepage or bugs is refused', () => {
	const { homepage: _homepage, bugs: _bugs, ...bare } = GOOD;
	expect(releaseProblems(bare, 'v0.2.0')).toEqual([
		expect.stringMatching(/^package\.json has no "homepage"/),
		expect.stringMatching(/^package\.json has no "bugs"/),
	]);
	expect(releaseProblems({ ...GOOD, bugs: { url: '' } }, 'v0.2.0')).toEqual([expect.stringMatching(/^package\.json has no "bugs"/)]);
});

test('a tag that is not v + version is refused, naming both; so is no tag', () => {
	expect(releaseProblems(GOOD, 'v0.2.1')).toEqual(["the tag v0.2.1 does not match package.json's version 0.2.0: tag the release v0.2.0, or set \"version\" to 0.2.1."]);
	expect(releaseProblems(GOOD, '0.2.0')).toEqual([expect.stringContaining("the tag 0.2.0 does not match package.json's version 0.2.0")]);
	expect(releaseProblems(GOOD, undefined)).toEqual([expect.stringMatching(/^no tag given/)]);
});

test('the command reads package.json in its folder: exit 1 and the reasons on stderr, exit 0 when ready', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-check-'));
	try {
		const run = (pkg: object, tag: string) => {
			fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
			return spawnSync(process.execPath, [SCRIPT, tag], { cwd: dir, encoding: 'utf8' });
		};
		const { repository: _repository, ...withoutRepository } = GOOD;
		const refused = run(withoutRepository, 'v0.2.1');
		expect(refused.status).toBe(1);
		expect(refused.stderr).toContain('n8n-nodes-example@0.2.0 cannot be released as v0.2.1:');
		expect(refused.stderr).toContain('- package.json has no "repository" pointing at a public GitHub repository');
		expect(refused.stderr).toContain("- the tag v0.2.1 does not match package.json's version 0.2.0");
		expect(refused.stderr).toContain('See docs/releasing.md.');

		const ready = run(GOOD, 'v0.2.0');
		expect(ready.stderr).toBe('');
		expect(ready.status).toBe(0);
		expect(ready.stdout).toContain('n8n-nodes-example@0.2.0: ready to release as v0.2.0 (repository github.com/example/n8n-nodes-example)');
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
