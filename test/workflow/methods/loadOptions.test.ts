/** The Bitrix24 Trigger's pickers (pipelines, stages, statuses, users) through n8n-core's LoadOptionsContext. */
import type { IDataObject } from 'n8n-workflow';

import { loadTriggerOptions } from '../../helpers/engine';
import { personal } from '../../helpers/fixtures';
import { createSandbox } from '../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const load = (method: Parameters<typeof loadTriggerOptions>[0], parameters: IDataObject) =>
	loadTriggerOptions(method, { parameters, credentials: personal(sandbox) });

test('pipelines from /v1/deal-categories, the default one first', async () => {
	expect(await load('getPipelinesOptional', { entityType: 'deal' })).toEqual([
		{ name: '(Not Set)', value: '' },
		{ name: 'General', value: 0 },
		{ name: 'Wholesale', value: 1 },
	]);
	expect(sandbox.requests.map((r) => r.path)).toEqual(['/v1/deal-categories']);
});

test('deal stages follow the chosen pipeline; without one, every pipeline\'s stages by name', async () => {
	const wholesale = await load('getStages', { entityType: 'deal', filters: { categoryId: 1 } });
	expect(wholesale.map((o) => o.value)).toEqual(['C1:NEW', 'C1:NEGOTIATION', 'C1:WON', 'C1:LOSE']);
	const general = await load('getStages', { entityType: 'deal', event: 'enteredStage', pipeline: 0, filters: {} });
	expect(general[3]).toEqual({ name: 'Deal won (WON)', value: 'WON' });
	const all = await load('getStages', { entityType: 'deal', filters: {} });
	expect(all.map((o) => o.name)).toEqual(expect.arrayContaining(['General: Deal won (WON)', 'Wholesale: Won (C1:WON)']));
	expect(all).toHaveLength(9);
});

test('leads get statuses, quotes quote statuses, invoices invoice stages', async () => {
	expect((await load('getStages', { entityType: 'lead', filters: {} })).map((o) => o.value)).toEqual(['NEW', 'IN_PROCESS', 'CONVERTED', 'JUNK']);
	expect((await load('getStages', { entityType: 'quote', filters: {} })).map((o) => o.value)).toEqual(['DRAFT', 'SENT', 'APPROVED', 'DECLAINED']);
	expect((await load('getStages', { entityType: 'invoice', filters: {} })).map((o) => o.value)).toEqual(['DT31_2:N', 'DT31_2:S', 'DT31_2:P', 'DT31_2:D']);
});

test('active users from /v1/users (upper-case fields), by name and email', async () => {
	expect(await load('getUsersOptional', { entityType: 'deal' })).toEqual([
		{ name: '(Not Set)', value: '' },
		{ name: 'Sandbox Owner (owner@sandbox.example)', value: 1 },
		{ name: 'Olga Sales (olga@sandbox.example)', value: 7 },
	]);
});

test('optional dropdowns (filters, From Stage, the Pipeline that narrows the list) start with "(Not Set)", the watched Stage does not', async () => {
	const optional = await load('getStagesOptional', { entityType: 'lead', filters: {} });
	expect(optional.map((o) => o.value)).toEqual(['', 'NEW', 'IN_PROCESS', 'CONVERTED', 'JUNK']);
	expect(optional[0]).toEqual({ name: '(Not Set)', value: '' });
	expect((await load('getStages', { entityType: 'lead', filters: {} }))[0]).toEqual({ name: 'Unassigned (NEW)', value: 'NEW' });
});

test('a loader error says why', async () => {
	const failing = loadTriggerOptions('getUsersOptional', { parameters: { entityType: 'deal' }, credentials: { ...personal(sandbox), apiKey: sandbox.keys.noCrm } });
	await expect(failing).rejects.toMatchObject({ message: expect.stringContaining('SCOPE_DENIED') });
});
