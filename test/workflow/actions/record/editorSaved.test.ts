/**
 * Writes from workflows as n8n's editor saves them, not as a test would write them by hand: the field mapper's value
 * carries `matchingColumns` with every operation (the editor fills it from the schema's default match, `email` for
 * leads and contacts, also for Create), the schema holds every portal field with `removed` for the ones not shown,
 * and a refreshed field list shows new fields without values. Create has no match field, and an empty mapper value
 * is never sent.
 */
import type { IDataObject, ResourceMapperField } from 'n8n-workflow';

import { loadMapperFields, runNode } from '../../../helpers/engine';
import { askSandbox, personal } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const schemaOf = async (resource: string, operation: string) => (await loadMapperFields({ parameters: { resource, operation }, credentials: personal(sandbox) })).fields;

/**
 * The `columns` value the editor saves (ResourceMapper.vue): the schema with `removed` on every field not shown
 * (addAllFields off shows the required ones and those the user added), the values of the fields shown, and
 * `matchingColumns` as the editor of an earlier release of this package saved it with Create too (`['email']`).
 */
function editorColumns(schema: ResourceMapperField[], value: IDataObject | null, { matchingColumns = ['email'], auto = false } = {}): IDataObject {
	const shown = new Set(Object.keys(value ?? {}));
	return {
		mappingMode: auto ? 'autoMapInputData' : 'defineBelow',
		value,
		matchingColumns,
		schema: schema.map((field) => ({ ...field, removed: !(field.required || shown.has(field.id)) })) as unknown as IDataObject[],
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	};
}

const run = async (parameters: IDataObject, input?: IDataObject[]) => await runNode({ parameters: { options: {}, ...parameters }, credentials: personal(sandbox), input });
const stored = async (path: string, id: unknown) => (await askSandbox(sandbox, 'GET', `/v1/${path}/${id}`)).data as IDataObject;

describe('Create ignores the match field the editor saves with it', () => {
	test.each([
		['lead', 'leads', { title: 'Walk-in customer' }],
		['contact', 'contacts', { name: 'Walk-in', lastName: 'Customer' }],
	])('a %s with no e-mail, only what the user filled in, is created', async (resource, path, value) => {
		const columns = editorColumns(await schemaOf(resource, 'create'), value);
		const { items, error } = await run({ resource, operation: 'create', columns });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const record = await stored(path, items![0].json.id);
		expect(record).toMatchObject(value);
		expect(record.email ?? []).toEqual([]);
	});

	test('Map Automatically: a phone-only lead from the input item is created', async () => {
		const columns = editorColumns(await schemaOf('lead', 'create'), null, { auto: true });
		const { items, error } = await run({ resource: 'lead', operation: 'create', columns }, [{ title: 'Phone lead', phone: '+1 555 0100' }]);
		expect(error).toBeUndefined();
		expect(await stored('leads', items![0].json.id)).toMatchObject({ title: 'Phone lead', phone: [expect.objectContaining({ value: '+1 555 0100' })] });
	});

	test('Update ignores it too: a lead without e-mail is updated', async () => {
		const lead = sandbox.createRecord('lead', { title: 'Old title' });
		const columns = editorColumns(await schemaOf('lead', 'update'), { title: 'New title' });
		const { items, error } = await run({ resource: 'lead', operation: 'update', entity: { __rl: true, mode: 'id', value: String(lead.id) }, columns });
		expect(error).toBeUndefined();
		expect(items![0].json).toMatchObject({ id: lead.id, title: 'New title' });
	});

	test('the mapper offers a default match field only to Create or Update, so a new Create node saves none', async () => {
		expect((await schemaOf('lead', 'create')).filter((field) => field.defaultMatch)).toEqual([]);
		expect((await schemaOf('contact', 'update')).filter((field) => field.defaultMatch)).toEqual([]);
		expect((await schemaOf('lead', 'upsert')).filter((field) => field.defaultMatch).map(({ id }) => id)).toEqual(['email']);
	});

	test('Create or Update still refuses an item without a value for its match field, before any request', async () => {
		const columns = editorColumns(await schemaOf('lead', 'upsert'), { title: 'No e-mail' });
		const before = sandbox.requests.length;
		const { error } = await run({ resource: 'lead', operation: 'upsert', columns });
		expect(error?.message).toMatch(/matches on email, but the item has no value for it/);
		expect(sandbox.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
	});
});

describe('a refreshed field list writes nothing the user did not fill in', () => {
	test('the mapper shows no number box (n8n fills one in with 0): number fields are text, converted by the node', async () => {
		for (const resource of ['company', 'contact', 'deal', 'invoice', 'lead', 'quote']) {
			for (const operation of ['create', 'update', 'upsert']) {
				expect((await schemaOf(resource, operation)).filter((field) => field.type === 'number')).toEqual([]);
			}
		}
	});

	test('a lead updated after a refresh keeps its company, contact and amount: the new fields shown empty are not sent', async () => {
		const lead = sandbox.createRecord('lead', { title: 'Linked lead', companyId: 301, contactId: 201, opportunity: 900 });
		// After "Refresh field list", n8n shows the fields new to the saved schema; an empty text box saves nothing
		// (ResourceMapper.vue prunes null), so the value holds only what the user filled in.
		const schema = (await schemaOf('lead', 'update')).map((field) => ({ ...field, removed: false }));
		const columns = { ...editorColumns(schema, { title: 'Refreshed' }), schema: schema as unknown as IDataObject[] };
		const { error } = await run({ resource: 'lead', operation: 'update', entity: { __rl: true, mode: 'id', value: String(lead.id) }, columns });
		expect(error).toBeUndefined();
		expect(await stored('leads', lead.id)).toMatchObject({ title: 'Refreshed', companyId: 301, contactId: 201, opportunity: 900 });
	});

	test('a number typed into its text box is sent as a number; text that is no number is refused by its label', async () => {
		const schema = await schemaOf('deal', 'create');
		const good = await run({ resource: 'deal', operation: 'create', columns: editorColumns(schema, { title: 'Typed amount', amount: '1250.50' }) });
		expect(good.error).toBeUndefined();
		expect((await stored('deals', good.items![0].json.id)).amount).toBe(1250.5);
		const before = sandbox.requests.filter((r) => r.method === 'POST').length;
		const bad = await run({ resource: 'deal', operation: 'create', columns: editorColumns(schema, { title: 'Typed amount', amount: 'a lot' }) });
		expect(bad.error?.message).toMatch(/^Amount \(amount\) must be a number; got "a lot"/);
		expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(before);
	});
});
