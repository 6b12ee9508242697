/**
 * The node as an AI agent's tool (the `bitrix24Tool` type n8n makes of it), run by n8n-core's engine as n8n runs a
 * tool node for an agent: what the model reads on success (filled fields), on a search that found nothing, and on
 * each kind of failure (the answer, not a failed execution); and that the same parameters in a workflow still fail
 * as before. `$fromAI()` reads the tool's arguments from the input item, as in n8n.
 */
import type { IDataObject, INodeTypeDescription } from 'n8n-workflow';

import { Bitrix24 } from '../../../nodes/Bitrix24/Bitrix24.node';
import { NODE_TYPE, runNode, type RunOptions } from '../../helpers/engine';
import { fireParameters, personal, recordParameters } from '../../helpers/fixtures';
import { recordSuite } from '../../helpers/recordSuite';

const suite = recordSuite('create', 'update', 'upsert');
const { sandbox, schemasOf } = suite;

const TOOL_TYPE = `${NODE_TYPE}Tool`;

/** The tool variant as n8n builds it (n8n/dist/node-types.js): the same class, its type named `…Tool`, an ai_tool output. */
function toolVariant(): Bitrix24 {
	const type = new Bitrix24();
	const description: INodeTypeDescription = { ...type.description, name: `${type.description.name}Tool`, displayName: 'Bitrix24 Tool', inputs: [], outputs: ['ai_tool'] };
	type.description = description;
	return type;
}

/** One tool call: the model's arguments are the input item, read by `$fromAI()`. */
const asTool = async (parameters: IDataObject, args: IDataObject = {}, more: Partial<RunOptions> = {}) =>
	await runNode({ parameters, credentials: personal(sandbox), input: [args], node: { type: TOOL_TYPE }, extraTypes: { [TOOL_TYPE]: toolVariant() }, ...more });
const inWorkflow = async (parameters: IDataObject, args: IDataObject = {}) => await runNode({ parameters, credentials: personal(sandbox), input: [args] });

const fromAI = (key: string, description = '', type = 'string') => `={{ $fromAI('${key}', '${description}', '${type}') }}`;
const updateDeal = (values: IDataObject, extra: IDataObject = {}) => ({
	...recordParameters({ resource: 'deal', operation: 'update', entity: fromAI('dealId', 'The deal ID', 'number'), values, schema: schemasOf.update.deal }),
	...extra,
});

test('a failed update is the tool\'s answer: message, hint, code and status, and the run does not fail', async () => {
	const { items, error } = await asTool(updateDeal({ comments: fromAI('comment') }), { dealId: 987654, comment: 'Customer called' });
	expect(error).toBeUndefined();
	expect(items).toEqual([
		{
			json: {
				success: false,
				error: 'The CRM has no deal 987654 [ENTITY_NOT_FOUND]',
				hint: expect.stringMatching(/^Check the /),
				code: 'ENTITY_NOT_FOUND',
				httpCode: '404',
			},
			pairedItem: { item: 0 },
		},
	]);
	expect(suite.writes().map((r) => r.status)).toEqual([404]);

	// Each item keeps its own answer (the runner's, not one failure for the whole call). `$fromAI()` reads the first
	// item only (n8n gives a tool one), so these two read their input items.
	const perItem = recordParameters({ resource: 'deal', operation: 'update', entity: '={{ $json.dealId }}', values: { comments: '={{ $json.comment }}' }, schema: schemasOf.update.deal });
	const two = await asTool(perItem, {}, { input: [{ dealId: 987654, comment: 'a' }, { dealId: 5141, comment: 'b' }] });
	expect(two.items!.map(({ json }) => json.code ?? json.comments)).toEqual(['ENTITY_NOT_FOUND', 'b']);

	// The same node in a workflow: n8n's error, as before.
	const plain = await inWorkflow(updateDeal({ comments: fromAI('comment') }), { dealId: 987654, comment: 'Customer called' });
	expect(plain.items).toBeUndefined();
	expect(plain.error).toMatchObject({ name: 'NodeApiError', message: 'The CRM has no deal 987654 [ENTITY_NOT_FOUND]' });
});

test('bad model input is answered by the field\'s label, before anything is sent: an e-mail that is none, an unknown stage', async () => {
	const contact = recordParameters({ resource: 'contact', operation: 'create', values: { name: fromAI('name'), email: fromAI('email') }, schema: schemasOf.create.contact });
	const badEmail = await asTool(contact, { name: 'Olga', email: 'olga at example' });
	expect(badEmail.error).toBeUndefined();
	expect(badEmail.items![0].json).toMatchObject({ success: false, error: 'Email (email) is not an email address; got "olga at example"', code: 'INVALID_PARAMETER' });

	const badStage = await asTool(updateDeal({}, { stage: fromAI('stage', 'The stage ID') }), { dealId: 5141, stage: 'SHIPPED' });
	expect(badStage.error).toBeUndefined();
	expect(badStage.items![0].json).toEqual({
		success: false,
		error: 'Stage "SHIPPED" is not a deal stage of pipeline "General (0)" on this portal',
		hint: expect.stringContaining('use one of: "New (NEW)"'),
		code: 'INVALID_PARAMETER',
	});
	expect(suite.writes()).toEqual([]);
});

test('a refused credential and a bad Other Entity path are answers too; a fire on a missing deal names it', async () => {
	const revoked = await asTool(fireParameters({ entity: fromAI('dealId') }), { dealId: '5141' }, { credentials: { ...personal(sandbox), apiKey: sandbox.keys.revoked } });
	expect(revoked.error).toBeUndefined();
	expect(revoked.items![0].json).toMatchObject({ success: false, code: 'KEY_INACTIVE', error: expect.stringContaining('revoked') });

	const path = await asTool({ resource: 'otherEntity', operation: 'get', otherEntity: fromAI('entity'), entity: { __rl: true, mode: 'id', value: '1' } }, { entity: '../etc' });
	expect(path.error).toBeUndefined();
	expect(path.items![0].json).toMatchObject({ success: false, code: 'INVALID_PARAMETER' });

	const fire = await asTool(fireParameters({ entity: fromAI('dealId') }), { dealId: '999999' });
	expect(fire.items![0].json).toMatchObject({ success: false, code: 'ENTITY_NOT_FOUND', entityType: 'deal', entityId: 999999, triggerId: 'payment_received' });
	expect(sandbox.journal).toHaveLength(0);
});

test('a tool\'s output keeps the filled fields; All Fields keeps everything; a search that matched nothing says so', async () => {
	const deal = sandbox.createRecord('deal', { title: 'Sparse deal', comments: '', UF_CRM_ORDER_NUMBER: null, contactIds: [] });
	const get = recordParameters({ resource: 'deal', operation: 'get', entity: fromAI('dealId') });
	const trimmed = await asTool(get, { dealId: String(deal.id) });
	expect(trimmed.items![0].json).toMatchObject({ id: deal.id, title: 'Sparse deal' });
	expect(Object.keys(trimmed.items![0].json)).not.toEqual(expect.arrayContaining(['comments']));
	expect(Object.values(trimmed.items![0].json)).not.toContain(null);
	const all = await asTool({ ...get, toolOutput: 'all' }, { dealId: String(deal.id) });
	expect(all.items![0].json).toMatchObject({ comments: '', UF_CRM_ORDER_NUMBER: null });
	// Outside an agent the parameter is not there: the output is the record as stored.
	expect((await inWorkflow(get, { dealId: String(deal.id) })).items![0].json).toMatchObject({ comments: '', UF_CRM_ORDER_NUMBER: null });

	const search = recordParameters({ resource: 'contact', operation: 'getMany', filters: [{ field: 'email', value: fromAI('email') }] });
	expect((await asTool(search, { email: 'nobody@example.com' })).items).toEqual([{ json: { results: 0, note: expect.stringMatching(/^Nothing matched/) }, pairedItem: { item: 0 } }]);
	expect((await inWorkflow(search, { email: 'nobody@example.com' })).items).toEqual([]);
});
