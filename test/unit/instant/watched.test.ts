/** Watch Fields of the instant trigger: the bounded memory of watched values and the rule that decides a start. */
import { WatchedValues, startsWorkflow, watchedValues } from '../../../nodes/Bitrix24/instant/watched';
import type { Delivery } from '../../../nodes/Bitrix24/instant/parse';

const update = (id: number, entityType = 'deal'): Delivery => ({ kind: 'event', event: 'ONCRMDEALUPDATE', entityType, action: 'update', id, fields: {} });

test('changed: true for a record not read before and for a watched value that differs; a number equals its string', () => {
	const memory = new WatchedValues(10);
	expect(memory.changed('deal:1', { stageId: 'NEW', amount: 12000 }, ['amount', 'stageId'])).toBe(true);
	expect(memory.changed('deal:1', { stageId: 'NEW', amount: '12000', title: 'renamed' }, ['amount', 'stageId'])).toBe(false);
	expect(memory.changed('deal:1', { stageId: 'WON', amount: 12000 }, ['amount', 'stageId'])).toBe(true);
	expect(memory.changed('deal:1', { STAGE_ID: 'WON', amount: 12000 }, ['amount', 'stageId'])).toBe(false);
	expect(memory.changed('deal:1', { stageId: 'WON', amount: null }, ['amount', 'stageId'])).toBe(true);
	expect(memory.changed('lead:1', { stageId: 'WON', amount: null }, ['amount', 'stageId'])).toBe(true);
});

test('at the bound the record read longest ago is forgotten; a record read again is the newest', () => {
	const memory = new WatchedValues(3);
	for (const id of [1, 2, 3]) memory.changed(`deal:${id}`, { stageId: 'NEW' }, ['stageId']);
	memory.changed('deal:1', { stageId: 'NEW' }, ['stageId']);
	memory.changed('deal:4', { stageId: 'NEW' }, ['stageId']);
	expect(memory.size).toBe(3);
	// 2 was read longest ago and is forgotten: its next read counts as a change. 1, 3 and 4 are remembered.
	expect(memory.changed('deal:1', { stageId: 'NEW' }, ['stageId'])).toBe(false);
	expect(memory.changed('deal:2', { stageId: 'NEW' }, ['stageId'])).toBe(true);
	expect(memory.changed('deal:4', { stageId: 'NEW' }, ['stageId'])).toBe(false);
});

test('the default bound is 10,000 records, as the polling trigger\'s', () => {
	const memory = new WatchedValues();
	for (let id = 0; id < 25_000; id++) memory.changed(`deal:${id}`, { stageId: 'NEW' }, ['stageId']);
	expect(memory.size).toBe(10_000);
	expect(memory.changed('deal:15000', { stageId: 'NEW' }, ['stageId'])).toBe(false);
	expect(memory.changed('deal:14999', { stageId: 'NEW' }, ['stageId'])).toBe(true);
});

test('one memory per owner; another field list replaces it with an empty one', () => {
	const first = watchedValues('wf-1/node-1/webhook', ['stageId']);
	expect(watchedValues('wf-1/node-1/webhook', ['stageId'])).toBe(first);
	expect(watchedValues('wf-2/node-1/webhook', ['stageId'])).not.toBe(first);
	first.changed('deal:1', { stageId: 'NEW' }, ['stageId']);
	const other = watchedValues('wf-1/node-1/webhook', ['amount', 'stageId']);
	expect(other).not.toBe(first);
	expect(other.size).toBe(0);
});

test('startsWorkflow: without fields, for a creation or a robot call, and for a record without any watched field, always', () => {
	const owner = 'wf-starts/node/webhook';
	const deal = { id: 7, stageId: 'NEW' };
	expect(startsWorkflow(owner, update(7), deal, [])).toBe(true);
	expect(startsWorkflow(owner, update(7), deal, ['stageId'])).toBe(true);
	expect(startsWorkflow(owner, update(7), deal, ['stageId'])).toBe(false);
	expect(startsWorkflow(owner, { ...update(7), action: 'add' }, deal, ['stageId'])).toBe(true);
	expect(startsWorkflow(owner, { kind: 'robot', event: 'ROBOT', entityType: 'deal', id: 7, fields: {} }, deal, ['stageId'])).toBe(true);
	expect(startsWorkflow(owner, update(7, 'contact'), { id: 7, name: 'Ivan' }, ['stageId'])).toBe(true);
	expect(startsWorkflow(owner, update(7, 'contact'), { id: 7, name: 'Ivan' }, ['stageId'])).toBe(true);
	// The creation and the robot call noted the values: an update without a change after them starts nothing.
	expect(startsWorkflow(owner, update(7), deal, ['stageId'])).toBe(false);
	expect(startsWorkflow(owner, update(7), { ...deal, stageId: 'WON' }, ['stageId'])).toBe(true);
});
