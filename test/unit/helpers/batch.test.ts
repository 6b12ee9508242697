/**
 * How an entity batch's answer is read (helpers/batch.ts): the pages say only "an array of results with a success
 * flag for each element", so every shape they leave open must give each entry its record with the record's ID, in
 * the order sent, and an answer whose results cannot be told apart must be unreadable rather than guessed.
 */
import type { IDataObject } from 'n8n-workflow';

import { ApiFailure } from '../../../nodes/Bitrix24/errors';
import { entityBatch, readEntityResults, recordId, resultRecord } from '../../../nodes/Bitrix24/helpers/batch';
import { entityType } from '../../../nodes/Bitrix24/helpers/entities';
import { contextAnswering } from '../../helpers/httpStandIn';

const record = { id: 2501, title: 'Bulk lead 0' };

describe('resultRecord: the record, with its ID wherever the result carries it', () => {
	test.each<[string, IDataObject, IDataObject]>([
		['data is the whole record', { success: true, data: record }, record],
		['data is { id }', { success: true, data: { id: 2501 } }, { id: 2501 }],
		['data is { ID } as Bitrix24 spells it', { success: true, data: { ID: '2501' } }, { ID: '2501' }],
		['the ID beside success, no data', { index: 0, success: true, id: 2501 }, { id: 2501 }],
		['the ID beside success as ID', { success: true, ID: 2501 }, { id: 2501 }],
		['the ID beside success as text', { success: true, id: '2501' }, { id: 2501 }],
		['data is the bare ID', { success: true, data: 2501 }, { id: 2501 }],
		['data is the bare ID as text', { success: true, data: '2501' }, { id: 2501 }],
		['data without an ID, the ID beside it', { success: true, id: 2501, data: { title: 'Bulk lead 0' } }, record],
	])('%s', (_label, result, expected) => {
		expect(resultRecord(result)).toEqual(expected);
	});

	test.each<[string, IDataObject]>([
		['success alone', { success: true }],
		['an empty data', { success: true, data: {} }],
		['a zero ID', { success: true, id: 0 }],
		['a negative ID', { success: true, data: -4 }],
		['an ID that is no number', { success: true, id: 'abc' }],
		['a fraction', { success: true, data: { id: 2.5 } }],
	])('no ID at all (%s): no ID is made up', (_label, result) => {
		const read = resultRecord(result);
		expect(read.id === undefined || recordId(read.id) === undefined).toBe(true);
		expect(JSON.stringify(read)).not.toMatch(/NaN|null/);
	});
});

describe('readEntityResults: one result per entry, in the order sent', () => {
	const results = [
		{ success: true, data: { id: 1, title: 'A' } },
		{ success: false, error: { code: 'BITRIX_ERROR', message: 'Duplicate lead' } },
		{ success: true, id: 3 },
	];
	const expected = [{ record: { id: 1, title: 'A' } }, { error: { code: 'BITRIX_ERROR', message: 'Duplicate lead' } }, { record: { id: 3 } }];

	test('the list as data.results', () => {
		expect(readEntityResults({ results, summary: { total: 3, succeeded: 2, failed: 1 } }, 3)).toEqual(expected);
	});

	test('the list as data itself', () => {
		expect(readEntityResults(results, 3)).toEqual(expected);
	});

	test('results that carry an index are placed by it, not by their place in the list', () => {
		const indexed = results.map((result, index) => ({ index, ...result })).reverse();
		expect(readEntityResults({ results: indexed }, 3)).toEqual(expected);
		expect(readEntityResults(indexed, 3)).toEqual(expected);
	});

	test.each<[string, unknown, RegExp]>([
		['no list', { summary: {} }, /batch of 3 without one result per record\.$/],
		['one result too few', results.slice(1), /batch of 3 without one result per record \(2 results\)/],
		['an index twice', results.map((result, index) => ({ index: index === 2 ? 0 : index, ...result })), /index does not name each record once \(0\)/],
		['an index out of range', results.map((result, index) => ({ index: index + 1, ...result })), /index does not name each record once \(3\)/],
		['an index on some results only', results.map((result, index) => (index === 1 ? result : { index, ...result })), /index does not name each record once \(null\)/],
		['an index that is not an integer', results.map((result, index) => ({ index: String(index), ...result })), /index does not name each record once \("0"\)/],
	])('unreadable: %s', (_label, data, said) => {
		const read = readEntityResults(data, 3);
		expect(read).toEqual({ unreadable: expect.stringMatching(said) });
	});
});

describe('entityBatch: every shape gives each entry its record with its ID', () => {
	/** A context whose one HTTP call gets `body` (status 200). */
	const answering = (body: IDataObject) => contextAnswering({}, { status: 200, body });
	const lead = entityType('lead')!;
	const items = [{ title: 'A' }, { title: 'B' }];

	test.each<[string, IDataObject | IDataObject[]]>([
		['whole records in data.results', { results: [{ success: true, data: { id: 7, title: 'A' } }, { success: true, data: { id: 8, title: 'B' } }] }],
		['{ id } in a bare list', [{ success: true, data: { id: 7 } }, { success: true, data: { id: 8 } }]],
		['the ID beside success, out of order', { results: [{ index: 1, success: true, id: 8 }, { index: 0, success: true, id: 7 }] }],
		['the bare ID', [{ success: true, data: 7 }, { success: true, data: 8 }]],
	])('%s', async (_label, data) => {
		const { context, session } = answering({ success: true, data, requestId: 'req-1' });
		const outcomes = await entityBatch.call(context, session, lead, 'create', items, { idempotent: false });
		expect(outcomes.map((outcome) => ('data' in outcome ? outcome.data.id : outcome.failure))).toEqual([7, 8]);
		expect(outcomes.every((outcome) => 'data' in outcome && outcome.requestId === 'req-1')).toBe(true);
	});

	test('results whose index repeats: every entry unknown (INVALID_RESPONSE), none guessed', async () => {
		const { context, session } = answering({ success: true, data: [{ index: 0, success: true, id: 7 }, { index: 0, success: true, id: 8 }] });
		const outcomes = await entityBatch.call(context, session, lead, 'create', items, { idempotent: false });
		for (const outcome of outcomes) {
			expect('failure' in outcome && outcome.failure).toBeInstanceOf(ApiFailure);
			const failure = (outcome as { failure: ApiFailure }).failure;
			expect(failure).toMatchObject({ code: 'INVALID_RESPONSE', unknownOutcome: true });
			expect(failure.observed).toMatch(/index does not name each record once/);
		}
	});
});
