/**
 * The editor's From List loaders (searchEntities, searchTriggers) through n8n-core's LoadOptionsContext,
 * as the editor's REST call runs them, against the sandbox.
 */
import { TRIGGER_LIST_WITH_PERSONAL_KEY } from '../../../nodes/Bitrix24/errors';
import { listSearch } from '../../helpers/engine';
import { fireParameters, oauthApp, personal } from '../../helpers/fixtures';
import { createSandbox } from '../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

describe('searchEntities', () => {
	const search = (entityType: string, filter?: string, paginationToken?: string) =>
		listSearch('searchEntities', { parameters: fireParameters({ entityType }), credentials: personal(sandbox), filter, paginationToken });

	test.each([
		['deal', 'chairs', 'Office chairs for Globex (#5143)', 'https://sandbox.bitrix24.com/crm/deal/details/5143/'],
		['company', 'acme', 'Acme LLC (#301)', 'https://sandbox.bitrix24.com/crm/company/details/301/'],
		['contact', 'Ivan', 'Ivan Petrov (#201)', 'https://sandbox.bitrix24.com/crm/contact/details/201/'],
		['lead', 'pricing', 'Web form: pricing — Oleg Volkov (#102)', 'https://sandbox.bitrix24.com/crm/lead/details/102/'],
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

	test('an entity type that is not one of the six is refused before any request', async () => {
		await expect(search('banana')).rejects.toMatchObject({ name: 'NodeOperationError', message: 'Choose an Entity Type first' });
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('searchTriggers', () => {
	test('an OAuth application sees "Name (CODE)" for every registered trigger', async () => {
		const { results } = await listSearch('searchTriggers', { parameters: fireParameters(), credentials: oauthApp(sandbox) });
		expect(results).toEqual([
			{ name: 'Payment received (payment_received)', value: 'payment_received' },
			{ name: 'Delivery confirmed (delivery_confirmed)', value: 'delivery_confirmed' },
			{ name: 'Contract signed (contract_signed)', value: 'contract_signed' },
			{ name: 'Form submitted (form_submitted)', value: 'form_submitted' },
		]);
	});

	test('the search text filters by name or code', async () => {
		const { results } = await listSearch('searchTriggers', { parameters: fireParameters(), credentials: oauthApp(sandbox), filter: 'DELIVERY' });
		expect(results.map((r) => r.value)).toEqual(['delivery_confirmed']);
	});

	test('a personal key gets an error that points to By Code', async () => {
		const failure = listSearch('searchTriggers', { parameters: fireParameters(), credentials: personal(sandbox) });
		await expect(failure).rejects.toMatchObject({
			name: 'NodeApiError',
			message: `${TRIGGER_LIST_WITH_PERSONAL_KEY.message} [BITRIX_ACCESS_DENIED]`,
			description: expect.stringMatching(/^Switch Trigger to By Code/),
			httpCode: '403',
		});
	});

	test('an application with no triggers is told so, not shown an empty list', async () => {
		const credentials = { ...oauthApp(sandbox, sandbox.keys.emptySession), apiKey: sandbox.keys.emptyApp };
		await expect(listSearch('searchTriggers', { parameters: fireParameters(), credentials })).rejects.toMatchObject({
			name: 'NodeOperationError',
			message: 'No triggers are registered by this application on the portal',
			description: expect.stringContaining('enter a code By Code'),
			context: expect.objectContaining({ vibeCode: 'NO_TRIGGERS' }),
		});
	});

	test('an expired session says to re-authorize', async () => {
		const failure = listSearch('searchTriggers', { parameters: fireParameters(), credentials: oauthApp(sandbox, sandbox.keys.expiredSession) });
		await expect(failure).rejects.toMatchObject({ httpCode: '401', description: expect.stringContaining('/v1/oauth/authorize') });
	});
});
