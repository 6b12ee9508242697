'use strict';
// `npm run sandbox`: starts the VibeCode sandbox and prints its URL and demo keys. Ctrl-C stops it.
const { createSandbox, KEYS } = require('./server');

const port = Number(process.env.SANDBOX_PORT ?? 8787);
const sandbox = createSandbox({
	rateLimit: Number(process.env.SANDBOX_RATE_LIMIT ?? 300),
	latencyMs: Number(process.env.SANDBOX_LATENCY_MS ?? 0),
	// `wrapped` or `either` to try a client that still sends `{ fields: { … } }` (docs/sandbox.md, "CRM records").
	bodyShape: process.env.SANDBOX_BODY_SHAPE ?? 'documented',
});

sandbox.start(port).then(() => {
	process.stdout.write(
		[
			`VibeCode sandbox listening on ${sandbox.url} (create and update bodies read as ${sandbox.config.bodyShape})`,
			'Use it as the credential Base URL. Demo keys:',
			`  Personal key:             ${KEYS.personal}`,
			`  OAuth application key:    ${KEYS.app}`,
			`  Session token:            ${KEYS.session}`,
			`  Expired session token:    ${KEYS.expiredSession}`,
			`  Key without crm scope:    ${KEYS.noCrm}`,
			`  Management key:           ${KEYS.management}`,
			`Journal of fires: GET ${sandbox.url}/__sandbox/journal`,
			'',
		].join('\n'),
	);
	let printed = 0;
	setInterval(() => {
		for (; printed < sandbox.journal.length; printed++) {
			const { entityType, entityId, triggerId } = sandbox.journal[printed];
			process.stdout.write(`fired ${triggerId} on ${entityType} ${entityId}\n`);
		}
	}, 250).unref();
});

const stop = () => sandbox.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
