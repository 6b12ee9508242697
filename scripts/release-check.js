'use strict';
/**
 * The guard before a release (`.github/workflows/publish.yml`, docs/releasing.md):
 * `node scripts/release-check.js <tag>`, in the package's folder, exits 1 with the reasons when its package.json
 * cannot be published as n8n verifies it, 0 when it can:
 *
 * - `repository` points at a public GitHub repository (`https://github.com/<owner>/<name>`,
 *   `git+https://github.com/<owner>/<name>.git` or `github:<owner>/<name>`): n8n's scanner lints the source that
 *   npm's provenance names, and fetches it from GitHub only;
 * - `homepage` and `bugs` are set;
 * - `author` has an e-mail address on a real domain: n8n's lint requires one, so package.json carries the address
 *   the project's commits are made under until the maintainer sets a reachable one, and that one's domain is
 *   reserved (RFC 2606: .example, .invalid, .test, .localhost, example.com/net/org), so it is never published;
 * - the tag (`v0.2.0`) is `v` followed by package.json's `version`.
 */
const fs = require('node:fs');
const path = require('node:path');

const NAME = '[A-Za-z0-9_.-]+';
const GITHUB_FORMS = [
	new RegExp(`^https://github\\.com/(${NAME})/(${NAME}?)(?:\\.git)?/?$`),
	new RegExp(`^git\\+https://github\\.com/(${NAME})/(${NAME}?)\\.git$`),
	new RegExp(`^github:(${NAME})/(${NAME})$`),
];

/** The GitHub owner and name of package.json's `repository` (a string or { url }), or undefined. */
function githubRepository(repository) {
	const url = typeof repository === 'string' ? repository : repository?.url;
	if (typeof url !== 'string') return undefined;
	for (const form of GITHUB_FORMS) {
		const match = form.exec(url.trim());
		if (match) return { owner: match[1], name: match[2] };
	}
	return undefined;
}

/** Domains that never receive mail (RFC 2606 and RFC 6761). */
const RESERVED_DOMAIN = /(^|\.)(example|invalid|test|localhost)$|(^|\.)example\.(com|net|org)$/i;

/** The e-mail of package.json's `author` ("Name <email>" or { email }), or undefined. */
function authorEmail(author) {
	const email = typeof author === 'string' ? /<([^>]+)>/.exec(author)?.[1] : author?.email;
	return typeof email === 'string' && email.trim() !== '' ? email.trim() : undefined;
}

const isSet = (value) => (typeof value === 'string' ? value.trim() !== '' : typeof value === 'object' && value !== null && Object.values(value).some((v) => typeof v === 'string' && v.trim() !== ''));

/** Why `pkg` (package.json's content) may not be released under `tag`: a list of reasons, empty when it may. */
function releaseProblems(pkg, tag) {
	const problems = [];
	if (!githubRepository(pkg.repository)) {
		problems.push(
			`package.json has no "repository" pointing at a public GitHub repository (${pkg.repository === undefined ? 'none set' : `got ${JSON.stringify(pkg.repository)}`}): ` +
				'set it to "https://github.com/<owner>/<name>", "git+https://github.com/<owner>/<name>.git" or "github:<owner>/<name>". ' +
				"n8n's scanner lints the source npm's provenance names, and fetches it from GitHub only.",
		);
	}
	if (!isSet(pkg.homepage)) problems.push('package.json has no "homepage": set it to the page that documents this package.');
	if (!isSet(pkg.bugs)) problems.push('package.json has no "bugs": set it to where users report issues (e.g. "https://github.com/<owner>/<name>/issues").');
	const email = authorEmail(pkg.author);
	if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) || RESERVED_DOMAIN.test(email.split('@')[1])) {
		problems.push(
			`package.json's "author" has no reachable e-mail address (${email ? `got ${email}, on a domain that receives no mail` : 'none set'}): set the maintainers' address, which n8n shows to users and reviewers.`,
		);
	}
	if (typeof tag !== 'string' || tag === '') {
		problems.push('no tag given: run it as `node scripts/release-check.js v<version>` (the workflow passes $GITHUB_REF_NAME).');
	} else if (tag !== `v${pkg.version}`) {
		problems.push(`the tag ${tag} does not match package.json's version ${pkg.version}: tag the release v${pkg.version}, or set "version" to ${tag.replace(/^v/, '')}.`);
	}
	return problems;
}

module.exports = { releaseProblems, githubRepository, authorEmail };

if (require.main === module) {
	const tag = process.argv[2];
	const pkg = JSON.parse(fs.readFileSync(path.resolve('package.json'), 'utf8'));
	const problems = releaseProblems(pkg, tag);
	if (problems.length > 0) {
		process.stderr.write(`${pkg.name}@${pkg.version} cannot be released${tag ? ` as ${tag}` : ''}:\n${problems.map((problem) => `- ${problem}\n`).join('')}See docs/releasing.md.\n`);
		process.exit(1);
	}
	process.stdout.write(`${pkg.name}@${pkg.version}: ready to release as ${tag} (repository github.com/${Object.values(githubRepository(pkg.repository)).join('/')})\n`);
}
