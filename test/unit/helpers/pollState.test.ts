/** The Bitrix24 Trigger's static-data rules, without any network. */
import {
	HASH_CAP,
	ID_CAP,
	ID_LIST_MAX,
	LEASE_MS,
	advance,
	capped,
	cursorFilter,
	fieldsHash,
	handled,
	readHashes,
	savedHashes,
	takeLease,
	type PollState,
} from '../../../nodes/Bitrix24/helpers/pollState';

const T = '2026-11-24T10:00:00+00:00';
const T1 = '2026-11-24T10:00:01+00:00';
const at = (time: string, ...ids: number[]) => ids.map((id) => ({ time, id }));

test('one lease at a time; an expired one can be taken over', () => {
	const state: PollState = {};
	const first = takeLease(state, 1000);
	expect(first).toBeDefined();
	expect(takeLease(state, 1000 + LEASE_MS - 1)).toBeUndefined();
	const second = takeLease(state, 1000 + LEASE_MS);
	expect(second).toBeDefined();
	expect(second).not.toBe(first);
});

test('New Record: a few IDs at the cursor are listed; many become "up to the highest ID"', () => {
	const state: PollState = {};
	advance(state, at(T, 1, 2, 3), true);
	expect(state).toEqual({ cursor: T, idsAtCursor: [1, 2, 3] });
	expect(cursorFilter(state, 'createdAt')).toEqual({ '>=createdAt': T });
	advance(state, at(T, ...Array.from({ length: ID_LIST_MAX }, (_, i) => 10 + i)), true);
	expect(state).toEqual({ cursor: T, idsAtCursor: [], maxIdAtCursor: 10 + ID_LIST_MAX - 1 });
	expect(cursorFilter(state, 'createdAt')).toEqual({ '>=createdAt': T, '>id': 10 + ID_LIST_MAX - 1 });
	expect(handled(state, T, 12, new Set())).toBe(true);
	expect(handled(state, T, 99, new Set())).toBe(false);
	advance(state, at(T1, 100), true);
	expect(state).toEqual({ cursor: T1, idsAtCursor: [100] });
});

test('changes: beyond the cap, the next poll starts after the second', () => {
	const state: PollState = {};
	advance(state, at(T, ...Array.from({ length: ID_CAP + 1 }, (_, i) => i)), false);
	expect(state).toEqual({ cursor: T, idsAtCursor: [], pastCursor: true });
	expect(cursorFilter(state, 'updatedAt')).toEqual({ '>updatedAt': T });
	expect(handled(state, T, 1_000_000, new Set())).toBe(true);
	expect(handled(state, T1, 1, new Set())).toBe(false);
});

test('sets are saved newest last, oldest dropped beyond the cap', () => {
	expect(capped(new Set([1, 2, 3, 4]), 2)).toEqual([3, 4]);
});

describe('Watch Fields: a hash of the watched values', () => {
	const deal = { id: 1, title: 'A', amount: 100, stageId: 'NEW', phone: [{ value: '+1', typeId: 'WORK' }], updatedAt: 'T1' };

	test('depends only on the watched fields, in any order', () => {
		const hash = fieldsHash(deal, ['amount', 'stageId']);
		expect(hash).toMatch(/^[0-9a-z]{1,11}$/);
		expect(fieldsHash({ ...deal, title: 'B', updatedAt: 'T2' }, ['amount', 'stageId'])).toBe(hash);
		expect(fieldsHash(deal, ['stageId', 'amount'])).toBe(hash);
		expect(fieldsHash({ ...deal, amount: 101 }, ['amount', 'stageId'])).not.toBe(hash);
		expect(fieldsHash({ ...deal, stageId: 'WON' }, ['amount', 'stageId'])).not.toBe(hash);
	});

	test('reads a value the way VibeCode may spell it: a number as text, upper-case names, object keys in any order', () => {
		const hash = fieldsHash(deal, ['amount', 'assignedById', 'phone']);
		expect(fieldsHash({ ...deal, amount: '100' }, ['amount', 'assignedById', 'phone'])).toBe(hash);
		expect(fieldsHash({ ...deal, phone: [{ typeId: 'WORK', value: '+1' }] }, ['amount', 'assignedById', 'phone'])).toBe(hash);
		expect(fieldsHash({ ...deal, ASSIGNED_BY_ID: 7 }, ['amount', 'assignedById', 'phone'])).not.toBe(hash);
		expect(fieldsHash({ ASSIGNED_BY_ID: 7 }, ['assignedById'])).toBe(fieldsHash({ assignedById: '7' }, ['assignedById']));
		expect(fieldsHash({ ...deal, phone: [{ value: '+2', typeId: 'WORK' }] }, ['amount', 'assignedById', 'phone'])).not.toBe(hash);
	});

	test('a missing value and an empty one differ; neither field separators nor quotes can be forged', () => {
		expect(fieldsHash({}, ['comments'])).not.toBe(fieldsHash({ comments: '' }, ['comments']));
		expect(fieldsHash({ a: 'x', b: 'y' }, ['a', 'b'])).not.toBe(fieldsHash({ a: 'x","y', b: '' }, ['a', 'b']));
	});

	test('saved as "id:hash", the record seen longest ago first; beyond the cap the oldest are dropped', () => {
		const map = readHashes(['5:aaa', '7:bbb', '5:ccc', 'junk']);
		expect([...map]).toEqual([[7, 'bbb'], [5, 'ccc']]);
		expect(savedHashes(map)).toEqual(['7:bbb', '5:ccc']);
		expect(savedHashes(map, 1)).toEqual(['5:ccc']);
		const many = new Map(Array.from({ length: HASH_CAP + 3 }, (_, i) => [i, 'h'] as [number, string]));
		const saved = savedHashes(many);
		expect(saved).toHaveLength(HASH_CAP);
		expect(saved[0]).toBe('3:h');
	});
});
