'use strict';
/**
 * `npm run demo`: runs the demo workflow "fire triggers for several deals" headless through real n8n's CLI
 * (`n8n execute`) against the VibeCode sandbox, then prints the node's output and the sandbox's journal.
 */
const fs = require('node:fs');
const path = require('node:path');

const n8n = require('./n8n');
const { createSandbox } = require('../test/sandbox/server');

async function main() {
	await n8n.withBuild();
	await n8n.ensureN8n(n8n.PINNED_N8N, { log: (line) => process.stdout.write(`${line}\n`) });
	const sandbox = await createSandbox().start();
	// A data folder of its own per run: two demos at once must not share one n8n database.
	fs.mkdirSync(path.join(n8n.ROOT, '.n8n-data'), { recursive: true });
	const dataDir = fs.mkdtempSync(path.join(n8n.ROOT, '.n8n-data', 'demo-'));
	const brokerPort = await n8n.freePort();
	try {
		process.stdout.write(`VibeCode sandbox on ${sandbox.url}\nPreparing n8n ${n8n.PINNED_N8N} in ${path.relative(n8n.ROOT, dataDir)}…\n`);
		await n8n.prepareInstance({ dataDir, sandboxUrl: sandbox.url, brokerPort });
		process.stdout.write('Running "Bitrix24: fire triggers for several deals (continue on fail)" with n8n execute…\n\n');
		const result = await n8n.cli(['execute', '--id=bx24DemoManual01', '--rawOutput'], { dataDir, brokerPort });
		const run = n8n.parseExecuteOutput(result.stdout);
		const task = run?.data?.resultData?.runData?.['Fire trigger in Bitrix24']?.[0];
		if (!task) throw new Error(`n8n did not run the workflow (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
		process.stdout.write('Bitrix24 node output:\n');
		for (const item of task.data.main[0]) process.stdout.write(`  ${JSON.stringify(item.json)}\n`);
		process.stdout.write('\nSandbox journal (triggers Bitrix24 would have run):\n');
		for (const fire of sandbox.journal) process.stdout.write(`  ${fire.triggerId} on ${fire.entityType} ${fire.entityId}\n`);
		process.stdout.write(`\nn8n execute exit code ${result.code}; ${sandbox.journal.length} triggers fired.\n`);
		process.exitCode = result.code;
	} finally {
		await sandbox.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
