'use strict';
/**
 * `npm start`: builds the package, starts the VibeCode sandbox and a real n8n (installed on first run)
 * with this package installed, the sandbox credentials and the demo workflows imported, and an owner
 * account ready. Prints the editor URL. Ctrl-C stops everything it started.
 */
const path = require('node:path');

const n8n = require('./n8n');
const { createSandbox, KEYS } = require('../test/sandbox/server');
const { SANDBOX_TOKEN } = require('../test/sandbox/bitrixEvents');
const { createScriptedModel, demoScript } = require('../test/sandbox/model');

const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT ?? 8787);
const OWNER = { email: 'owner@example.com', firstName: 'Demo', lastName: 'Owner', password: 'Demo-pass-123' };

/**
 * n8n's output as npm start prints it. n8n 2.x checks for Python at every start and warns at length when it is
 * missing (task-runner-module.js logs it unconditionally; no setting turns the check off in 2.8.4), though the demo
 * uses no Python Code node. One short line says what it means instead.
 */
function startLog(text) {
	return text
		.split(/(?<=\n)/)
		.map((line) => (/Failed to start Python task runner in internal mode/.test(line) ? 'n8n: no python3 here, so Python Code nodes cannot run (the demo uses none; JavaScript Code nodes work).\n' : line))
		.join('');
}

async function main() {
	const say = (line) => process.stdout.write(`${line}\n`);
	await n8n.withBuild();
	await n8n.ensureN8n(n8n.PINNED_N8N, { log: (line) => process.stdout.write(`${line}\n`) });

	const sandbox = await createSandbox().start(SANDBOX_PORT);
	say(`VibeCode sandbox on ${sandbox.url}`);
	const dataDir = path.join(n8n.ROOT, '.n8n-data', 'start');
	const brokerPort = N8N_PORT + 1;
	say(`Preparing n8n ${n8n.PINNED_N8N} (data in ${path.relative(n8n.ROOT, dataDir)})…`);
	// The AI agent demo's model, on this machine: it plays the demo's conversation, so no API key is needed.
	const model = createScriptedModel(demoScript);
	await model.start();
	await n8n.prepareInstance({ dataDir, sandboxUrl: sandbox.url, modelUrl: model.url, brokerPort });
	const instance = await n8n.startN8n({ dataDir, port: N8N_PORT, brokerPort, onLog: (text) => process.stderr.write(startLog(text)) });
	await n8n.restClient(instance.url, OWNER);

	say('');
	say(`n8n ${n8n.PINNED_N8N} is ready: ${instance.url}  (started in ${(instance.startMs / 1000).toFixed(1)} s)`);
	say(`  Sign in as ${OWNER.email} / ${OWNER.password}`);
	// Every demo workflow imported, by the name n8n shows, so the list cannot fall behind the demo folder.
	say('  Workflows:');
	for (const workflow of n8n.demoWorkflows()) say(`    ${workflow.name}`);
	say('  Credentials: "VibeCode sandbox (personal key)" and "VibeCode sandbox (OAuth application)" (lists triggers)');
	say(`  AI agent demo: its model is a local scripted one at ${model.url} (credential "Local scripted model"; no API key)`);
	say(`  Sandbox keys: personal ${KEYS.personal}; OAuth ${KEYS.app} + session ${KEYS.session}`);
	// The Instant Trigger's Application Token for calls sent as the sandbox's Bitrix24 (the demo's node has it already).
	say(`  Instant Trigger application token (sandbox): ${SANDBOX_TOKEN}`);
	say('Fires reaching the sandbox are printed below. Ctrl-C stops n8n and the sandbox.');

	let printed = 0;
	const timer = setInterval(() => {
		for (; printed < sandbox.journal.length; printed++) {
			const { triggerId, entityType, entityId } = sandbox.journal[printed];
			say(`sandbox: fired ${triggerId} on ${entityType} ${entityId}`);
		}
	}, 250);

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		clearInterval(timer);
		say('\nStopping n8n and the sandbox…');
		await instance.stop();
		await sandbox.stop();
		await model.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	instance.child.on('exit', (code) => {
		if (!stopping) {
			say(`n8n exited (code ${code}).`);
			stop();
		}
	});
}

module.exports = { startLog };

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`${error.stack ?? error}\n`);
		process.exit(1);
	});
}
