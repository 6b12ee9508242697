'use strict';
/**
 * `npm run demo`: the demo workflows headless in real n8n against the VibeCode sandbox. First "fire triggers for
 * several deals" through n8n's CLI (`n8n execute`); then, under `n8n start` with the form and the payment webhook
 * workflows active, the form is submitted twice with one email and the webhook is called with an order and its line
 * items. For each step it prints what the sandbox stores afterwards, read back through the API (the lead, the deal, its
 * rows and amount, the timeline entries) or from the sandbox's store (`GET /__sandbox/store/{name}`: the tasks and
 * their links, the notifications, which VibeCode gives no way to read back): what was written, not only what the
 * node says it sent.
 */
const fs = require('node:fs');
const path = require('node:path');

const n8n = require('./n8n');
const { createSandbox } = require('../test/sandbox/server');

const say = (line = '') => process.stdout.write(`${line}\n`);
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const FORM_EMAIL = 'nina.orlova@example.com';

/** A record's fields as a user reads them: lists of phones and emails by their values, empty fields left out. */
function describe(record, names) {
	return names
		.filter((name) => record[name] !== undefined && record[name] !== null && record[name] !== '')
		.map((name) => {
			const value = record[name];
			const shown = Array.isArray(value) ? `[${value.map((entry) => (entry && typeof entry === 'object' ? `${entry.value} (${entry.typeId})` : entry)).join(', ')}]` : JSON.stringify(value);
			return `${name} ${shown}`;
		})
		.join(', ');
}

async function manualDemo({ sandbox, dataDir, brokerPort }) {
	say('1. "Bitrix24: fire triggers for several deals (continue on fail)" with n8n execute');
	const result = await n8n.cli(['execute', '--id=bx24DemoManual01', '--rawOutput'], { dataDir, brokerPort });
	const run = n8n.parseExecuteOutput(result.stdout);
	const task = run?.data?.resultData?.runData?.['Fire trigger in Bitrix24']?.[0];
	if (!task) throw new Error(`n8n did not run the workflow (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
	say('   Bitrix24 node output:');
	for (const item of task.data.main[0]) say(`     ${JSON.stringify(item.json)}`);
	say('   Sandbox journal (triggers Bitrix24 would have run):');
	for (const fire of sandbox.journal) say(`     ${fire.triggerId} on ${fire.entityType} ${fire.entityId}`);
	say(`   n8n execute exit code ${result.code}; ${sandbox.journal.length} triggers fired.`);
	return result.code === 0;
}

/** The chains that need a running n8n (a form, a production webhook): n8n start, the two workflows activated. */
async function chainDemos({ sandbox, dataDir, brokerPort }) {
	// What VibeCode answers any client: the demo shows the records as stored, through the API the node uses.
	const vibe = async (method, route, body) => {
		const response = await fetch(`${sandbox.url}${route}`, {
			method,
			headers: { 'X-Api-Key': sandbox.keys.personal, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return await response.json();
	};
	/** What a sandbox family stores (tasks, timeline, im): the same data its tests read. */
	const store = async (name) => await (await fetch(`${sandbox.url}/__sandbox/store/${name}`)).json();
	const port = await n8n.freePort();
	say(`\nStarting n8n ${n8n.PINNED_N8N} for the form and the webhook…`);
	const instance = await n8n.startN8n({ dataDir, port, brokerPort });
	let ok = true;
	try {
		const { call } = await n8n.restClient(instance.url);
		const flatted = require(require.resolve('flatted', { paths: [n8n.hostDir(n8n.PINNED_N8N)] }));
		const activate = async (id) => {
			const { versionId } = (await call('GET', `/rest/workflows/${id}`)).body.data;
			const activation = await call('POST', `/rest/workflows/${id}/activate`, { versionId });
			if (activation.status !== 200) throw new Error(`n8n did not activate ${id}: ${activation.text}`);
		};
		// n8n registers a production URL a moment after activation (404 "not registered" until then; nothing ran).
		const callActivated = async (url, init) => {
			for (let attempt = 0; ; attempt++) {
				const response = await fetch(url, init());
				if (response.status !== 404 || attempt >= 20) return response;
				const text = await response.text();
				if (!/not registered|could not be found|Problem loading form/i.test(text)) return new Response(text, { status: 404 });
				await delay(500);
			}
		};
		/** The workflow's nth execution once it ended: its status, n8n's error, and each node's output items. */
		const execution = async (workflowId, nth) => {
			for (const until = Date.now() + 30_000; Date.now() < until; await delay(500)) {
				const list = await call('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
				const results = (list.body?.data?.results ?? []).slice().sort((a, b) => Number(a.id) - Number(b.id));
				if (results.length < nth) continue;
				const found = (await call('GET', `/rest/executions/${results[nth - 1].id}`)).body?.data;
				if (!found || typeof found.data !== 'string' || !['success', 'error', 'crashed', 'canceled'].includes(found.status)) continue;
				const { resultData } = flatted.parse(found.data);
				const output = (node) => resultData.runData[node]?.[0]?.data?.main?.[0]?.map((item) => item.json) ?? [];
				return { status: found.status, error: resultData.error, output };
			}
			throw new Error(`execution ${nth} of ${workflowId} did not end within 30 s`);
		};
		const failed = (run) => {
			if (run.status === 'success' && !run.error) return false;
			say(`   The execution ended "${run.status}": ${run.error?.message ?? ''}`);
			for (const line of String(run.error?.description ?? '').split('\n').filter(Boolean)) say(`     ${line}`);
			return true;
		};

		await activate('bx24DemoFormLead');
		await activate('bx24DemoWebhook1');

		say('\n2. "Bitrix24: form → create or update the lead by email → the message on its timeline → a follow-up task → fire form_submitted"');
		const submissions = [
			{ name: 'Nina Orlova', phone: '+7 900 000-00-01', comment: 'Please call me' },
			{ name: 'Nina Orlova-Petrova', phone: '+7 900 000-00-01', comment: 'Second message: after 5 pm, please' },
		];
		const leadFields = ['id', 'title', 'name', 'email', 'phone', 'comments', 'statusId', 'assignedById', 'createdTime', 'updatedTime'];
		for (const [index, entry] of submissions.entries()) {
			say(`   Form submitted: Name "${entry.name}", Email "${FORM_EMAIL}", Phone "${entry.phone}", Comment "${entry.comment}"`);
			const journalBefore = sandbox.journal.length;
			const response = await callActivated(`${instance.url}/form/lead-form`, () => {
				const form = new FormData();
				form.append('field-0', entry.name);
				form.append('field-1', FORM_EMAIL);
				form.append('field-2', entry.phone);
				form.append('field-3', entry.comment);
				return { method: 'POST', body: form };
			});
			if (response.status !== 200) throw new Error(`the form answered ${response.status}: ${await response.text()}`);
			const run = await execution('bx24DemoFormLead', index + 1);
			if (failed(run)) {
				ok = false;
				break;
			}
			for (const lead of run.output('Create or update the lead')) {
				say(`   Create or Update → ${lead.action} lead ${lead.id}; the lead as the sandbox stores it now:`);
				say(`     ${describe((await vibe('GET', `/v1/leads/${lead.id}`)).data ?? {}, leadFields)}`);
			}
			for (const lead of run.output('Create or update the lead')) {
				const comments = (await vibe('GET', `/v1/timelines?filter[entityType]=lead&filter[entityId]=${lead.id}`)).data ?? [];
				say(`   Timeline → the lead's comments as stored (${comments.length}):`);
				for (const entry of comments) say(`     #${entry.id} by user ${entry.authorId}: ${JSON.stringify(entry.comment)}`);
				const tasks = (await store('tasks')).tasks.filter((task) => task.ufCrmTask?.includes(`L_${lead.id}`));
				say(`   Task → the tasks linked to lead ${lead.id} as stored (${tasks.length}):`);
				for (const task of tasks) say(`     #${task.id} ${JSON.stringify(task.title)}, responsible ${task.responsibleId}, deadline ${task.deadline}, CRM items ${JSON.stringify(task.ufCrmTask)}`);
				if (tasks.length !== index + 1 || comments.length !== index + 1 || tasks.some((task) => task.responsibleId !== lead.assignedById)) {
					say(`   Expected ${index + 1} comment(s) and ${index + 1} task(s) for the lead's responsible person (${lead.assignedById}).`);
					ok = false;
				}
			}
			for (const fire of sandbox.journal.slice(journalBefore)) say(`   Fire → ${fire.triggerId} on ${fire.entityType} ${fire.entityId}`);
		}
		const leads = (await vibe('POST', '/v1/leads/search', { filter: { email: FORM_EMAIL } })).data ?? [];
		say(`   Leads with ${FORM_EMAIL} in the sandbox: ${leads.length} (${leads.map((lead) => lead.id).join(', ')})`);
		const last = submissions[submissions.length - 1];
		if (leads.length !== 1 || leads[0].name !== last.name || leads[0].comments !== last.comment) {
			say(`   Expected one lead holding the last submission (name "${last.name}", comment "${last.comment}").`);
			ok = false;
		}

		say('\n3. "Bitrix24: payment (webhook) → the deal by order number → its product rows → fire payment_received → log it → Won → notify"');
		const dealFields = ['id', 'title', 'UF_CRM_ORDER_NUMBER', 'categoryId', 'stageId', 'amount', 'currency', 'assignedById', 'updatedAt'];
		const showRows = async (when) => {
			const rows = (await vibe('GET', '/v1/deals/5142/products')).data ?? [];
			say(`   Deal 5142's rows ${when}: ${rows.map((row) => `${row.quantity} × ${row.productName} (product ${row.productId}) at ${row.price}`).join('; ') || '(none)'}`);
			return rows;
		};
		const before = (await vibe('GET', '/v1/deals/5142')).data;
		say(`   Deal 5142 before: ${describe(before, dealFields)}`);
		await showRows('before');
		const logsBefore = (await store('timeline')).logs.length;
		const notificationsBefore = (await store('im')).notifications.length;
		const journalBefore = sandbox.journal.length;
		const payment = {
			email: 'buyer@example.com',
			orderNumber: 'ORD-1002',
			lineItems: [
				{ sku: 'SUP-HOUR', name: 'Support hour', price: 120, quantity: 50 },
				{ sku: 'WEB-001', name: 'Website redesign package', price: 12000, quantity: 1 },
			],
		};
		const paid = await callActivated(`${instance.url}/webhook/payment-received`, () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payment) }));
		say(`   POST /webhook/payment-received ${JSON.stringify(payment)} → HTTP ${paid.status} ${await paid.text()}`);
		const run = await execution('bx24DemoWebhook1', 1);
		if (failed(run)) ok = false;
		for (const deal of run.output('Find the deal by order number')) say(`   Get Many → deal ${deal.id ?? '(none)'}`);
		for (const set of run.output('Set the product rows from the order')) say(`   Product Row Set → ${set.rows?.length ?? 0} rows, amount ${set.amount} ${set.currency ?? ''}`);
		const rows = await showRows('after, as stored');
		for (const fire of sandbox.journal.slice(journalBefore)) say(`   Fire → ${fire.triggerId} on ${fire.entityType} ${fire.entityId}`);
		const logs = (await store('timeline')).logs.slice(logsBefore);
		say(`   Timeline → log entries stored (${logs.length}):`);
		for (const entry of logs) say(`     #${entry.id} ${JSON.stringify(entry.title)}: ${JSON.stringify(entry.text)} on ${entry.bindings.map((b) => `type ${b.entityTypeId} #${b.entityId}`).join(', ')}`);
		for (const deal of run.output('Move the deal to Won')) say(`   Update → deal ${deal.id} answered with stageId ${JSON.stringify(deal.stageId)}`);
		const notifications = (await store('im')).notifications.slice(notificationsBefore);
		say(`   Notification → stored (${notifications.length}):`);
		for (const note of notifications) say(`     #${note.id} to user ${note.userId}: ${JSON.stringify(note.message)}`);
		const after = (await vibe('GET', '/v1/deals/5142')).data;
		say(`   Deal 5142 after:  ${describe(after, dealFields)}`);
		const amount = payment.lineItems.reduce((sum, line) => sum + line.price * line.quantity, 0);
		if (after.stageId !== 'WON' || after.amount !== amount || rows.length !== payment.lineItems.length || logs.length !== 1 || notifications.length !== 1 || notifications[0].userId !== after.assignedById) {
			say(`   Expected the deal at WON with the order's ${payment.lineItems.length} rows and amount ${amount}, one log entry, and one notification to its responsible person (${after.assignedById}).`);
			ok = false;
		}
		const unknown = { email: 'buyer@example.com', orderNumber: 'ORD-404' };
		const missing = await callActivated(`${instance.url}/webhook/payment-received`, () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(unknown) }));
		say(`   POST /webhook/payment-received ${JSON.stringify(unknown)} → HTTP ${missing.status} ${await missing.text()}`);
	} finally {
		await instance.stop();
	}
	return ok;
}

async function main() {
	await n8n.withBuild();
	await n8n.ensureN8n(n8n.PINNED_N8N, { log: (line) => process.stdout.write(`${line}\n`) });
	const sandbox = await createSandbox().start();
	// A data folder of its own per run: two demos at once must not share one n8n database.
	fs.mkdirSync(path.join(n8n.ROOT, '.n8n-data'), { recursive: true });
	const dataDir = fs.mkdtempSync(path.join(n8n.ROOT, '.n8n-data', 'demo-'));
	const brokerPort = await n8n.freePort();
	try {
		say(`VibeCode sandbox on ${sandbox.url}\nPreparing n8n ${n8n.PINNED_N8N} in ${path.relative(n8n.ROOT, dataDir)}…\n`);
		await n8n.prepareInstance({ dataDir, sandboxUrl: sandbox.url, brokerPort });
		const manual = await manualDemo({ sandbox, dataDir, brokerPort });
		const chains = await chainDemos({ sandbox, dataDir, brokerPort });
		say(`\n${manual && chains ? 'Every demo did what it shows.' : 'A demo did not do what it shows: see above.'} ${sandbox.journal.length} triggers fired in all.`);
		process.exitCode = manual && chains ? 0 : 1;
	} finally {
		await sandbox.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
