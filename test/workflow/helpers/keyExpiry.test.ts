/**
 * The key-expiry warning a manual run gives (the connection test's old warning, which a declarative rule cannot
 * give): n8n-core's engine against the sandbox, as the editor's Execute step runs the node.
 */
import type { IDataObject } from 'n8n-workflow';

import { EXPIRY_WARNING_DAYS, expiryWarning } from '../../../nodes/Bitrix24/helpers/keyExpiry';
import { runNode } from '../../helpers/engine';
import { personal, recordParameters } from '../../helpers/fixtures';
import { createSandbox } from '../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const get = recordParameters({ resource: 'deal', operation: 'get', entity: 5141 });
const hints = (run: Awaited<ReturnType<typeof runNode>>['run']) =>
	(run.data.resultData.runData.Bitrix24?.[0] as { hints?: IDataObject[] } | undefined)?.hints ?? [];
const meReads = () => sandbox.requests.filter((r) => r.path === '/v1/me').length;

test('a manual run with a key expiring within 7 days warns under the output, once a day per key', async () => {
	const credentials = { ...personal(sandbox), apiKey: sandbox.keys.expiringSoon };
	const first = await runNode({ parameters: get, credentials, mode: 'manual' });
	expect(first.error).toBeUndefined();
	expect(hints(first.run)).toEqual([
		{
			message: expect.stringMatching(/^The VibeCode key expires on \d{4}-\d\d-\d\d \(in 3 days\)\. Create a new key in the VibeCode dashboard before then/),
			type: 'warning',
			location: 'outputPane',
		},
	]);
	expect(meReads()).toBe(1);
	const again = await runNode({ parameters: get, credentials, mode: 'manual' });
	expect(hints(again.run)).toEqual([]);
	expect(meReads()).toBe(1);
});

test('production runs never read the key, and a key far from expiry gives no warning', async () => {
	const credentials = { ...personal(sandbox), apiKey: sandbox.keys.expiringSoon };
	const production = await runNode({ parameters: get, credentials, mode: 'trigger' });
	expect(hints(production.run)).toEqual([]);
	expect(meReads()).toBe(0);
	const calm = await runNode({ parameters: get, credentials: personal(sandbox), mode: 'manual' });
	expect(calm.error).toBeUndefined();
	expect(hints(calm.run)).toEqual([]);
	expect(meReads()).toBe(1);
});

test('a run whose items all failed sends nothing more', async () => {
	// A key this file has not used yet, so no day's check stands in the way.
	const credentials = { ...personal(sandbox), apiKey: sandbox.keys.readonly };
	// Continue On Fail: the run ends normally with an error item.
	const failed = await runNode({ parameters: recordParameters({ resource: 'deal', operation: 'get', entity: 999999 }), credentials, mode: 'manual', continueOnFail: true });
	expect(failed.items![0].json.error).toBeDefined();
	expect(meReads()).toBe(0);
});

test('the warning: days rounded up, singular for one, none when far off, expired or never', () => {
	const now = Date.parse('2026-12-03T12:00:00Z');
	const day = 86_400_000;
	expect(expiryWarning(now + 2.5 * day, now)).toMatch(/^The VibeCode key expires on 2026-12-06 \(in 3 days\)/);
	expect(expiryWarning(now + day, now)).toMatch(/\(in 1 day\)/);
	expect(expiryWarning(now + EXPIRY_WARNING_DAYS * day, now)).toBeUndefined();
	expect(expiryWarning(now - 1, now)).toBeUndefined();
	expect(expiryWarning(NaN, now)).toBeUndefined();
});
