/** The Bitrix24 Trigger's static-data rules, without any network. */
import { ID_CAP, ID_LIST_MAX, LEASE_MS, advance, capped, cursorFilter, handled, takeLease, type PollState } from '../../../nodes/Bitrix24/helpers/pollState';

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
