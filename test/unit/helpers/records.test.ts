/**
 * The record requests' retry rules, with a stand-in for n8n's HTTP helper: a create is never sent twice, even
 * when the session allows retrying unknown outcomes; a delete whose first answer was lost and whose retry finds
 * nothing has done what was asked.
 */
import type { IDataObject } from 'n8n-workflow';

import { entityType } from '../../../nodes/Bitrix24/helpers/entities';
import { createRecord, deleteRecord, getRecord, updateRecord } from '../../../nodes/Bitrix24/helpers/records';
import { contextAnswering as standIn, type Answer } from '../../helpers/httpStandIn';

/** Retry Unknown Outcomes on, no waits between retries. */
const contextAnswering = (...answers: Answer[]) => standIn({ retryUnknownOutcome: true, maxRetries: 3 }, ...answers);

const lead = entityType('lead')!;
const ok = (data: unknown) => ({ status: 200, body: { success: true, data } as IDataObject });
const notFound = { status: 404, body: { success: false, error: { code: 'ENTITY_NOT_FOUND', message: 'Item not found' } } };

test('a create whose answer is lost is not sent again, even when the session allows retrying unknown outcomes', async () => {
	const { context, session, sent } = contextAnswering('reset', ok({ id: 1 }));
	await expect(createRecord.call(context, session, lead, { title: 'T' }, 0)).rejects.toMatchObject({
		context: expect.objectContaining({ vibeCode: 'CONNECTION_RESET', itemIndex: 0 }),
		description: expect.stringMatching(/^The record may already have been created, so the node did not send it again\./),
	});
	expect(sent).toEqual(['POST http://127.0.0.1:1/v1/leads']);
});

test('a create turned away unrun (429) is sent again', async () => {
	const { context, session, sent } = contextAnswering({ status: 429, body: { success: false, error: { code: 'RATE_LIMITED' } } }, { status: 201, body: { success: true, data: { id: 7 } } });
	expect(await createRecord.call(context, session, lead, { title: 'T' })).toEqual({ id: 7 });
	expect(sent).toHaveLength(2);
});

test('a read and an update are sent again after a lost answer', async () => {
	const read = contextAnswering('reset', ok({ id: 101 }));
	expect(await getRecord.call(read.context, read.session, lead, 101)).toEqual({ id: 101 });
	expect(read.sent).toEqual(['GET http://127.0.0.1:1/v1/leads/101', 'GET http://127.0.0.1:1/v1/leads/101']);
	const change = contextAnswering('reset', ok({ id: 101, title: 'New' }));
	change.session.settings.retryUnknownOutcome = false;
	expect(await updateRecord.call(change.context, change.session, lead, 101, { title: 'New' })).toEqual({ id: 101, title: 'New' });
	expect(change.sent).toEqual(['PATCH http://127.0.0.1:1/v1/leads/101', 'PATCH http://127.0.0.1:1/v1/leads/101']);
});

describe('delete', () => {
	test('204 without a body is success', async () => {
		const { context, session, sent } = contextAnswering({ status: 204 });
		await expect(deleteRecord.call(context, session, lead, 101)).resolves.toBeUndefined();
		expect(sent).toEqual(['DELETE http://127.0.0.1:1/v1/leads/101']);
	});

	test.each([
		['the connection broke', 'reset' as const],
		['VibeCode had an internal error', { status: 500, body: { success: false, error: { code: 'INTERNAL_ERROR' } } }],
	])('%s, then the retry finds nothing: deleted', async (_label, first) => {
		const { context, session, sent } = contextAnswering(first, notFound);
		await expect(deleteRecord.call(context, session, lead, 101)).resolves.toBeUndefined();
		expect(sent).toHaveLength(2);
	});

	test('a lost answer, then a successful retry: deleted once more is still deleted', async () => {
		const { context, session, sent } = contextAnswering('reset', { status: 204 });
		await expect(deleteRecord.call(context, session, lead, 101)).resolves.toBeUndefined();
		expect(sent).toHaveLength(2);
	});

	test('not found at the first attempt is an error naming the record, not retried', async () => {
		const { context, session, sent } = contextAnswering(notFound);
		await expect(deleteRecord.call(context, session, lead, 999999, 2)).rejects.toMatchObject({
			message: 'The CRM has no lead 999999 [ENTITY_NOT_FOUND]',
			context: expect.objectContaining({ itemIndex: 2 }),
		});
		expect(sent).toHaveLength(1);
	});

	test('not found after a 429 (which ran nothing) is still an error', async () => {
		const { context, session, sent } = contextAnswering({ status: 429, body: { success: false, error: { code: 'RATE_LIMITED' } } }, notFound);
		await expect(deleteRecord.call(context, session, lead, 999999)).rejects.toMatchObject({ context: expect.objectContaining({ vibeCode: 'ENTITY_NOT_FOUND' }) });
		expect(sent).toHaveLength(2);
	});

	test('rate limited until the retries run out: VibeCode ran nothing, so the delete is not sent once more', async () => {
		const limited = { status: 429, body: { success: false, error: { code: 'RATE_LIMITED', retryAfter: 0 } } };
		const { context, session, sent } = contextAnswering(limited, limited, limited, limited, limited, { status: 204 });
		await expect(deleteRecord.call(context, session, lead, 101)).rejects.toMatchObject({ context: expect.objectContaining({ vibeCode: 'RATE_LIMITED' }) });
		expect(sent).toHaveLength(4);
	});

	test('a refusal (403) is not retried', async () => {
		const { context, session, sent } = contextAnswering({ status: 403, body: { success: false, error: { code: 'WRITE_BLOCKED_READONLY_KEY' } } });
		await expect(deleteRecord.call(context, session, lead, 101)).rejects.toMatchObject({ context: expect.objectContaining({ vibeCode: 'WRITE_BLOCKED_READONLY_KEY' }) });
		expect(sent).toHaveLength(1);
	});

	test('every retry without an answer: the error says the node already sent it again', async () => {
		const { context, session, sent } = contextAnswering('reset', 'reset', 'reset', 'reset', 'reset', 'reset');
		session.settings.maxRetries = 1;
		await expect(deleteRecord.call(context, session, lead, 101)).rejects.toMatchObject({
			context: expect.objectContaining({ vibeCode: 'CONNECTION_RESET' }),
			description: expect.stringMatching(/^The node already sent it again/),
		});
		expect(sent).toHaveLength(3);
	});
});
