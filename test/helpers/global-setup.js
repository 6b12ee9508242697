// Once per `jest` run, before any test file: build dist/ (the real-n8n suites install the package from
// `npm pack` of dist/, and two suites building at once could pack a half-written file), and get the real n8n
// host those suites need (installed on the first run, checked on later ones), so suites running in parallel
// never install it themselves.
const path = require('node:path');

const host = require('../../scripts/n8n-host');
const { withBuild } = require('../../scripts/n8n');
const { missingChromium } = require('../../scripts/chromium');
const { missingServices } = require('../../scripts/queue');
const { installDebianPackages } = require('../../scripts/system-packages');

const REAL_N8N_SUITES = ['test/e2e/n8n.test.ts', 'test/browser/editor.test.ts'];

/** Whether this run includes one of these suites (jest's path arguments, or everything). */
function runs(globalConfig, suites) {
	const pattern = globalConfig.testPathPattern;
	if (!pattern) return true;
	const matcher = new RegExp(pattern, 'i');
	return suites.some((suite) => matcher.test(path.join(host.ROOT, suite)));
}

module.exports = async (globalConfig) => {
	await withBuild(undefined, { quiet: true });
	// The Debian packages of the suites in this run, in one apt-get before any suite starts: two suites installing
	// their own at once (jest runs two workers) would fail on apt's lock.
	installDebianPackages([
		...(runs(globalConfig, ['test/browser/editor.test.ts']) ? missingChromium() : []),
		...(runs(globalConfig, ['test/e2e/queue.test.ts']) ? missingServices() : []),
	]);
	if (!runs(globalConfig, REAL_N8N_SUITES)) return;
	const version = process.env.N8N_E2E_VERSION ?? host.PINNED_N8N;
	const log = (line) => process.stderr.write(`${line}\n`);
	log('');
	await host.ensureN8n(version, { log });
	// Workers inherit this: they use the host without checking it again.
	process.env[host.CHECKED_ENV] = version;
};
