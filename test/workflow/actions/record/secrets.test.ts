/**
 * Neither the API key nor the session token appears in any output item, error or error item of the record
 * operations, even when a broken proxy echoes the request headers back in its error.
 */
import type { IDataObject, ResourceMapperField } from 'n8n-workflow';

import { mapperSchema, runNode, type RunResult } from '../../../helpers/engine';
import { KEY_TYPES, personal, recordParameters, serialise, type RecordOperation } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';

const sandbox = createSandbox();
const schemas: Record<string, ResourceMapperField[]> = {};
beforeAll(async () => {
	await sandbox.start();
	for (const operation of ['create', 'upsert', 'update'] as const) schemas[operation] = await mapperSchema(personal(sandbox), 'lead', operation);
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

/** Each operation on a lead, with the request a fault hits. */
const OPERATIONS: Array<[RecordOperation, IDataObject, { method: string; path: string }]> = [
	['create', { values: { title: 'Secret test', email: 'secret@mail.example' } }, { method: 'POST', path: '/v1/leads' }],
	['upsert', { values: { email: 'anna.smirnova@mail.example', comments: 'x' }, match: ['email'] }, { method: 'POST', path: '/v1/leads/search' }],
	['get', { entity: 101 }, { method: 'GET', path: '/v1/leads/101' }],
	['getMany', { filters: [{ field: 'email', value: 'anna.smirnova@mail.example' }] }, { method: 'POST', path: '/v1/leads/search' }],
	['update', { entity: 101, values: { comments: 'y' } }, { method: 'PATCH', path: '/v1/leads/101' }],
	['delete', { entity: 102 }, { method: 'DELETE', path: '/v1/leads/102' }],
];

describe.each(KEY_TYPES)('with %s', (_label, credentials) => {
	test.each(OPERATIONS)('%s: no secret in outputs, errors or error items', async (operation, input, target) => {
		const creds = credentials(sandbox);
		const parameters = recordParameters({ resource: 'lead', operation, schema: schemas[operation], ...input, options: { maxRetries: 0 } });
		const runs: RunResult[] = [];
		runs.push(await runNode({ parameters, credentials: creds }));
		sandbox.reset();
		sandbox.addFault({ kind: 'echo', ...target, status: 500, times: 5 });
		runs.push(await runNode({ parameters, credentials: creds }));
		sandbox.addFault({ kind: 'echo', ...target, status: 500, times: 5 });
		runs.push(await runNode({ parameters, credentials: creds, continueOnFail: true }));
		runs.push(await runNode({ parameters, credentials: { ...creds, baseUrl: 'http://127.0.0.1:9' } }));
		expect(runs[0].error).toBeUndefined();
		expect(runs[1].error!.context!.vibeCode).toBe('INTERNAL_ERROR');
		expect(runs[2].items![0].json.code).toBe('INTERNAL_ERROR');
		const text = serialise(runs.map(({ items, error }) => ({ items, error })));
		expect(text).toContain('Upstream failed'); // the echoing error was captured...
		for (const secret of [creds.apiKey as string, sandbox.keys.session]) expect(text).not.toContain(secret); // ...without what it echoed
	});
});

test('credential errors and an expired session name no secret either', async () => {
	const runs = [
		await runNode({ parameters: recordParameters({ resource: 'lead', operation: 'get', entity: 101 }), credentials: { keyType: 'oauthApp', apiKey: sandbox.keys.app, sessionToken: sandbox.keys.expiredSession, baseUrl: sandbox.url } }),
		await runNode({ parameters: recordParameters({ resource: 'deal', operation: 'getMany' }), credentials: { ...personal(sandbox), apiKey: 'vibe_api_with space inside' } }),
		await runNode({ parameters: recordParameters({ resource: 'deal', operation: 'delete', entity: 5141 }), credentials: { ...personal(sandbox), apiKey: sandbox.keys.readonly }, continueOnFail: true }),
	];
	expect(runs[0].error!.context!.vibeCode).toBe('TOKEN_EXPIRED');
	expect(runs[1].error!.context!.vibeCode).toBe('INVALID_CREDENTIAL');
	expect(runs[2].items![0].json.code).toBe('WRITE_BLOCKED_READONLY_KEY');
	const text = serialise(runs.map(({ items, error }) => ({ items, error })));
	for (const secret of [sandbox.keys.app, sandbox.keys.expiredSession, 'with space inside', sandbox.keys.readonly]) expect(text).not.toContain(secret);
});
