'use strict';
/** Debian's Chromium for the browser test: installed with apt-get when missing (root only), never downloaded by a test tool. */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function ensureChromium() {
	if (fs.existsSync(CHROMIUM)) return CHROMIUM;
	if (process.getuid?.() !== 0) {
		throw new Error(`Chromium is missing at ${CHROMIUM}: install it with "sudo apt-get install chromium" (or set CHROMIUM_PATH)`);
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
	execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
	return CHROMIUM;
}

// Flags for a closed network: without the background-networking ones Chromium keeps calling out.
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
];

module.exports = { ensureChromium, CHROMIUM_ARGS };
