'use strict';
/**
 * n8n's verification scanner (`@n8n/scan-community-package`, pinned in `scripts/lint-tools.js`) on this package, as
 * n8n runs it before it verifies a community package, for `npm run lint`:
 *
 * - the published tarball: `npm run build`, `npm pack`, extracted; linted with the patterns n8n uses for the tarball
 *   (`**\/*.js` and `package.json`: compiled code and the published package.json);
 * - the source: the checkout with the scanner's own `SOURCE_FILE_PATTERNS` (package.json, nodes/ and credentials/).
 *
 * Both go through the scanner's `analyzePackage`, which gives n8n's verdict (errors only, as text). To print each
 * finding on its own line, the same files are linted once more with the scanner's own eslint and its exported
 * `buildScanConfig` (the config `analyzePackage` uses), which also shows warnings. Every finding, error or
 * warning, fails the lint; so does a failed verdict with no finding behind it.
 *
 * `node scripts/scan.js`: exit 0 and one line when both are clean, else every finding and exit 1.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const { createRequire } = require('node:module');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const host = require('./n8n-host');
const tools = require('./lint-tools');

const ROOT = host.ROOT;
/** The tarball leg of the scanner's analyzePackageByName (scanner/scanner.mjs): compiled code and package.json. */
const TARBALL_PATTERNS = ['**/*.js', 'package.json'];
/** What analyzePackage leaves out of every glob. */
const GLOB_IGNORE = ['node_modules/**', '**/package-lock.json'];

let loaded;

/** The scanner module and, from the scanner's own dependencies, the eslint and fast-glob it lints with. */
async function loadScanner({ log } = {}) {
	if (!loaded) {
		loaded = (async () => {
			const dir = await tools.ensureTools({ log });
			// eslint-plugin-n8n-nodes-base reads NODE_ENV when it loads: under "test" (jest sets it, and a child
			// inherits it) it takes every file for a trigger node named Test.node.ts and reports what n8n never would.
			if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;
			const scannerFile = path.join(tools.packageDir(dir, '@n8n/scan-community-package'), 'scanner', 'scanner.mjs');
			const scanner = await import(pathToFileURL(scannerFile).href);
			const requireFromScanner = createRequire(scannerFile);
			// The scanner makes a temporary folder when it loads; have it removed when this process exits.
			requireFromScanner('tmp').setGracefulCleanup();
			return { scanner, ESLint: requireFromScanner('eslint').ESLint, glob: requireFromScanner('fast-glob') };
		})();
	}
	return loaded;
}

/**
 * Runs the scanner's analyzePackage on `dir` with `patterns` (the scanner's SOURCE_FILE_PATTERNS when omitted).
 * Returns { passed, message, findings: [{ file, line, column, rule, severity, message }], files }: passed only when
 * n8n's verdict passed and nothing, not even a warning, was found. File names are relative to dir.
 */
async function analyze(dir, patterns, { log } = {}) {
	const { scanner, ESLint, glob } = await loadScanner({ log });
	const filePatterns = patterns ?? scanner.SOURCE_FILE_PATTERNS;
	const verdict = await scanner.analyzePackage(dir, filePatterns);

	const files = glob.sync(filePatterns, { cwd: dir, absolute: true, ignore: GLOB_IGNORE });
	const findings = [];
	if (files.length > 0) {
		const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await scanner.buildScanConfig() });
		for (const result of await eslint.lintFiles(files)) {
			for (const message of result.messages) {
				findings.push({
					file: path.relative(dir, result.filePath),
					line: message.line ?? 0,
					column: message.column ?? 0,
					rule: message.ruleId ?? (message.fatal ? 'parse error' : 'eslint'),
					severity: message.severity === 2 ? 'error' : 'warning',
					message: message.message,
				});
			}
		}
	}
	if (!verdict.passed && !findings.some((finding) => finding.severity === 'error')) {
		// n8n failed it for a reason the second pass did not see (the analysis itself failed): that is a finding too.
		findings.push({ file: '.', line: 0, column: 0, rule: 'scanner', severity: 'error', message: [verdict.message, verdict.details].filter(Boolean).join('\n') });
	}
	return { passed: verdict.passed && findings.length === 0, message: verdict.message, findings, files: files.length };
}

/** One finding as a line: `file:line:column  rule  message (warning)`. */
function formatFinding(finding) {
	const where = finding.line ? `${finding.file}:${finding.line}:${finding.column}` : finding.file;
	return `${where}  ${finding.rule}  ${finding.message}${finding.severity === 'warning' ? ' (warning)' : ''}`;
}

/** `npm run build`, under the build lock jest's globalSetup takes too, then `npm pack` of that build into packDir. */
async function buildAndPack(packDir) {
	return host.withLock(
		'build',
		async () => {
			const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
			if (build.status !== 0) throw new Error(`npm run build failed:\n${`${build.stdout}\n${build.stderr}`.trim()}`);
			const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8' });
			if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr.trim()}`);
			return path.join(packDir, pack.stdout.trim().split('\n').pop());
		},
		{ activity: 'building this package' },
	);
}

/** Builds, packs and extracts this package, then scans the tarball and the source. */
async function scanPackage({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
	await loadScanner({ log });
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bitrix24-scan-'));
	try {
		const tarball = await buildAndPack(work);
		const extracted = path.join(work, 'package');
		fs.mkdirSync(extracted);
		const tar = spawnSync('tar', ['-xzf', tarball, '-C', extracted, '--strip-components=1'], { encoding: 'utf8' });
		if (tar.status !== 0) throw new Error(`tar could not extract ${path.basename(tarball)}: ${tar.stderr.trim()}`);
		const tarballResult = await analyze(extracted, TARBALL_PATTERNS, { log });
		const sourceResult = await analyze(ROOT, undefined, { log });
		return { tarball: { name: path.basename(tarball), ...tarballResult }, source: sourceResult };
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

async function main() {
	const { tarball, source } = await scanPackage();
	const label = (result) => (result.passed ? 'clean' : `${result.findings.length} finding${result.findings.length === 1 ? '' : 's'}`);
	const out = (line) => process.stdout.write(`${line}\n`);
	for (const [leg, result, where] of [
		['tarball', tarball, tarball.name],
		['source', source, 'package.json, nodes/, credentials/'],
	]) {
		if (result.passed) continue;
		out(`scanner ${tools.SCANNER_VERSION}, ${leg} (${where}, ${result.files} files): ${result.message ?? 'findings'}`);
		for (const finding of result.findings) out(`  ${formatFinding(finding)}`);
	}
	out(`scanner ${tools.SCANNER_VERSION}: tarball ${label(tarball)}, source ${label(source)}`);
	return tarball.passed && source.passed ? 0 : 1;
}

module.exports = { analyze, scanPackage, formatFinding, loadScanner, TARBALL_PATTERNS };

if (require.main === module) {
	main().then(
		(code) => process.exit(code),
		(error) => {
			process.stderr.write(`scanner ${tools.SCANNER_VERSION}: ${error.stack ?? error}\n`);
			process.exit(1);
		},
	);
}
