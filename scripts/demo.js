'use strict';
/**
 * `npm run demo`: runs the demo workflow "fire triggers for several deals" headless through real n8n's CLI
 * (`n8n execute`) against the VibeCode sandbox, then prints the node's output and the sandbox's journal.
 */
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const n8n = require('./n8n');
const { createSandbox } = require('../test/sandbox/server');

async function main() {
	execFileSync('npm', ['run', '--silent', 'build'], { cwd: n8n.ROOT, stdio: 'inherit' });
	await n8n.ensureN8n(n8n.PINNED_N8N, { log: (line) => process.stdout.write(`${line}\n`) });
	const sandbox = await createSandbox().start();
	const dataDir = path.join(n8n.ROOT, '.n8n-data', 'demo');
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
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
