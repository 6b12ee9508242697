/** The Entity From List loader (searchEntities) through n8n-core's LoadOptionsContext against the sandbox. */
import { listSearch } from '../helpers/engine';
import { fireParameters, personal } from '../helpers/fixtures';
import { createSandbox } from '../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const search = (entityType: string, filter?: string, paginationToken?: string) =>
	listSearch('searchEntities', { parameters: fireParameters({ entityType }), credentials: personal(sandbox), filter, paginationToken });

test.each([
	['deal', 'chairs', 'Office chairs for Globex (#5143)', 'https://sandbox.bitrix24.com/crm/deal/details/5143/'],
	['company', 'acme', 'Acme LLC (#301)', 'https://sandbox.bitrix24.com/crm/company/details/301/'],
	['contact', 'Ivan', 'Ivan Petrov (#201)', 'https://sandbox.bitrix24.com/crm/contact/details/201/'],
	['lead', 'Oleg', 'Oleg Volkov (#102)', 'https://sandbox.bitrix24.com/crm/lead/details/102/'],
	['quote', 'redesign', 'Quote for Acme: redesign (#401)', 'https://sandbox.bitrix24.com/crm/type/7/details/401/'],
	['invoice', 'globex', 'Invoice 501 for Globex (#501)', 'https://sandbox.bitrix24.com/crm/type/31/details/501/'],
])('finds a %s by its title or name', async (entityType, filter, name, url) => {
	const { results } = await search(entityType, filter);
	expect(results).toEqual([{ name, value: name.replace(/.*\(#(\d+)\)$/, '$1'), url }]);
});

test('lists newest first and pages with the pagination token', async () => {
	sandbox.seedRecords('deal', 120);
	const first = await search('deal');
	expect(first.results).toHaveLength(50);
	expect(first.paginationToken).toBe('50');
	const second = await search('deal', undefined, first.paginationToken as string);
	const third = await search('deal', undefined, second.paginationToken as string);
	expect(third.paginationToken).toBeUndefined();
	const ids = [...first.results, ...second.results, ...third.results].map((r) => Number(r.value));
	expect(ids).toHaveLength(123);
	expect(new Set(ids).size).toBe(123);
	expect(ids).toEqual([...ids].sort((a, b) => b - a));
});
