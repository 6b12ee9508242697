'use strict';
/** Debian's Chromium for the browser test: installed with apt-get when missing (root only), never downloaded by a test tool. */
const fs = require('node:fs');

const { installDebianPackages } = require('./system-packages');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The Debian package to install when Chromium is missing (none when it is there). */
const missingChromium = () => (fs.existsSync(CHROMIUM) ? [] : ['chromium']);

function ensureChromium() {
	installDebianPackages(missingChromium(), { why: `the browser test (or set CHROMIUM_PATH; looked for ${CHROMIUM})` });
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

module.exports = { ensureChromium, missingChromium, CHROMIUM_ARGS };
