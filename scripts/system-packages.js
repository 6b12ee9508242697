'use strict';
/**
 * Debian packages the tests and the start scripts need (Chromium, Redis, Postgres), installed with apt-get when
 * missing, as root only. One apt-get run installs them all, and it waits for apt's lock instead of failing on it:
 * another apt-get (a second jest worker, the system's own updates) may hold it.
 */
const { execFileSync } = require('node:child_process');

/** How long apt-get waits for another apt-get to finish, in seconds. */
const LOCK_WAIT = 600;

/** Installs the named Debian packages (missing ones only are passed in); a non-root user is told what to run. */
function installDebianPackages(names, { log = (line) => process.stderr.write(`${line}\n`), why = 'the tests' } = {}) {
	if (names.length === 0) return;
	if (process.getuid?.() !== 0) {
		throw new Error(`${why} need ${names.join(' and ')}: install with "sudo apt-get install ${names.join(' ')}"`);
	}
	log(`Installing ${names.join(', ')} with apt-get for ${why} (first run only)…`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const wait = ['-o', `DPkg::Lock::Timeout=${LOCK_WAIT}`];
	execFileSync('apt-get', [...wait, 'update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
	execFileSync('apt-get', [...wait, 'install', '-y', '-qq', ...names], { stdio: ['ignore', 'ignore', 'inherit'], env });
}

module.exports = { installDebianPackages };
