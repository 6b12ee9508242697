/**
 * Phone, email and website on Update and Create or Update (actions/record/listEntries.ts), run by n8n-core's engine
 * against the sandbox over real HTTP: Add (the default) and Replace, what each sends and what the record ends with.
 */
import type { IDataObject } from 'n8n-workflow';

import { personal, startProxy } from '../../../helpers/fixtures';
import { recordSuite } from '../../../helpers/recordSuite';

const suite = recordSuite('update', 'upsert');
const { sandbox, write: run, stored, writes } = suite;

describe('phone, email and website: Add or Replace', () => {
	const values = (list: unknown, name: string) => (Array.isArray(list) ? (list as IDataObject[]).map((entry) => entry[name]) : []);

	test('Add (the default): new entries are added, those the record has stay and are not sent again', async () => {
		const { items, error } = await run({ resource: 'contact', operation: 'update', entity: 202, values: { email: 'MARIA@home.example, maria@new.example' } });
		expect(error).toBeUndefined();
		expect(values(items![0].json.email, 'value')).toEqual(['maria.ivanova@globex.example', 'maria@home.example', 'maria@new.example']);
	});

	test('Replace: the record ends with exactly the entries sent; a kept one untouched, another changed by its ID, the rest removed', async () => {
		const proxy = await startProxy(sandbox.url);
		try {
			const before = (await stored('contact', 202)).email as IDataObject[];
			const { items, error } = await run(
				{ resource: 'contact', operation: 'update', entity: 202, values: { email: 'maria@new.example' }, options: { listEntries: 'replace' } },
				{ ...personal(sandbox), baseUrl: proxy.url },
			);
			expect(error).toBeUndefined();
			expect(proxy.sent.find((r) => r.method === 'PATCH')!.body).toEqual({
				email: [
					{ id: before[0].id, value: 'maria@new.example', typeId: 'WORK' },
					{ id: before[1].id, value: '' },
				],
			});
			expect(values(items![0].json.email, 'value')).toEqual(['maria@new.example']);
		} finally {
			await proxy.stop();
		}
	});

	test('Replace keeps an entry sent again, and adds what is beyond the entries there were', async () => {
		const { items, error } = await run({
			resource: 'contact',
			operation: 'update',
			entity: 201,
			values: { phone: '+1 555 010 0299, +15550100777, +15550100888' },
			options: { listEntries: 'replace' },
		});
		expect(error).toBeUndefined();
		expect(values(items![0].json.phone, 'value').sort()).toEqual(['+15550100299', '+15550100777', '+15550100888']);
	});

	test('Replace with the entries the record has: nothing is sent', async () => {
		const { error } = await run({ resource: 'company', operation: 'update', entity: 301, values: { web: 'https://ACME.example/' }, options: { listEntries: 'replace' } });
		expect(error).toBeUndefined();
		expect(writes()).toEqual([]);
	});

	test('Create or Update with Replace: the matched company\'s website list becomes the one sent', async () => {
		const { items, error } = await run({
			resource: 'company',
			operation: 'upsert',
			values: { title: 'Acme LLC', web: 'https://shop.acme.example, https://acme.example/blog' },
			match: ['title'],
			options: { listEntries: 'replace' },
		});
		expect(error).toBeUndefined();
		expect(items![0].json).toMatchObject({ id: 301, action: 'updated' });
		expect(values((await stored('company', 301)).web, 'value')).toEqual(['https://shop.acme.example', 'https://acme.example/blog']);
	});

	test('a Replace that Bitrix24 did not apply (the list left as it was) fails the item', async () => {
		sandbox.configure({ dropOnWrite: ['email'] });
		const { error } = await run({ resource: 'contact', operation: 'update', entity: 202, values: { email: 'maria@new.example' }, options: { listEntries: 'replace' } });
		expect(error!.message).toBe('Contact 202 was saved, but Email (email) does not hold the value sent [WRITE_NOT_APPLIED]');
		expect(error!.description).toContain('Email (email): sent ["maria@new.example"], stored ["maria.ivanova@globex.example", "maria@home.example"].');
	});
});
