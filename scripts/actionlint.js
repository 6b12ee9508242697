'use strict';
/**
 * actionlint (the pinned WebAssembly build from npm, installed with the scanner by `scripts/lint-tools.js`) on every
 * GitHub workflow in `.github/workflows/`, for `npm run lint`. `node scripts/actionlint.js`: one line per finding
 * and exit 1, or one line naming the files checked and exit 0.
 */
const fs = require('node:fs');
const path = require('node:path');

const tools = require('./lint-tools');

const ROOT = path.resolve(__dirname, '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');

/** Lints each workflow { file, text }; returns every finding as { file, line, column, kind, message }. */
async function lintWorkflows(workflows, { log } = {}) {
	const dir = await tools.ensureTools({ log });
	const { createLinter } = require(tools.packageDir(dir, 'actionlint'));
	const lint = await createLinter();
	return workflows.flatMap(({ file, text }) => lint(text, file).map(({ line, column, kind, message }) => ({ file, line, column, kind, message })));
}

/** The workflow files of this repository, as { file (relative to the root), text }. */
function workflowFiles(dir = WORKFLOWS) {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((name) => /\.ya?ml$/.test(name))
		.sort()
		.map((name) => ({ file: path.relative(ROOT, path.join(dir, name)), text: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

const version = () => tools.PINNED.actionlint;

async function main() {
	const workflows = workflowFiles();
	if (workflows.length === 0) {
		process.stdout.write(`actionlint ${version()}: no workflow in ${path.relative(ROOT, WORKFLOWS)}\n`);
		return 1;
	}
	const findings = await lintWorkflows(workflows);
	for (const finding of findings) {
		process.stdout.write(`  ${finding.file}:${finding.line}:${finding.column}  ${finding.kind}  ${finding.message}\n`);
	}
	const names = workflows.map(({ file }) => path.basename(file)).join(', ');
	process.stdout.write(`actionlint ${version()}: ${findings.length === 0 ? `${names} clean` : `${findings.length} finding${findings.length === 1 ? '' : 's'} in ${names}`}\n`);
	return findings.length === 0 ? 0 : 1;
}

module.exports = { lintWorkflows, workflowFiles };

if (require.main === module) {
	main().then(
		(code) => process.exit(code),
		(error) => {
			process.stderr.write(`actionlint ${version()}: ${error.stack ?? error}\n`);
			process.exit(1);
		},
	);
}
