/**
 * The Bitrix24 Trigger under n8n's rule for a polling node's static data (issue 21): n8n keeps it in memory while
 * the workflow is active and writes it to its database after activation (which runs the first poll) and after a
 * poll that emits items, never after one that emits nothing (n8n 2.8.4's active workflow manager: `__emit` and
 * `add` save it), so what a quiet poll learns is lost when n8n restarts before the next event. `n8nPoller` keeps
 * both copies: polls go on from the one in memory, a restart goes back to the one written.
 */
import type { IDataObject } from 'n8n-workflow';

import { poll } from '../helpers/engine';
import { STAGE_MOVES, personal, stageField } from '../helpers/fixtures';
import { createSandbox } from '../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

type Items = Array<{ json: IDataObject }> | null;
const ids = (items: Items) => (items ?? []).map((item) => Number(item.json.id));
const second = (s: number) => new Date(Date.parse('2026-11-24T10:00:00Z') + s * 1000);

function n8nPoller(parameters: IDataObject) {
	let memory: string | undefined;
	let written: string | undefined;
	const next = async () => {
		const result = await poll({ parameters: { filters: {}, ...parameters }, credentials: personal(sandbox), staticData: memory });
		memory = result.staticData;
		if (result.items || written === undefined) written = memory;
		return result.items as Items;
	};
	return Object.assign(next, {
		restart: () => {
			memory = written;
		},
		state: () => JSON.parse(memory ?? '{}')['node:Bitrix24 Trigger'] as IDataObject,
	});
}

describe('Entered Stage / Entered Status: a leave seen by a poll that emitted nothing, then a restart', () => {
	// Quotes carry no move time: they remember the records at the stage, which a restart can lose (README).
	test.each(STAGE_MOVES.filter(([type]) => type !== 'quote'))('%s: the return to the stage after the restart is a new arrival, emitted once', async (type, start, target, other) => {
		const field = stageField(type);
		const record = sandbox.createRecord(type, { title: 'Mover', [field]: start }, second(0));
		const next = n8nPoller({ entityType: type, event: 'enteredStage', stage: target });
		expect(await next()).toBeNull();
		sandbox.updateRecord(type, record.id, { [field]: target }, second(1));
		expect(ids(await next())).toEqual([record.id]);
		// Leaves: no event, so n8n does not write what this poll saw.
		sandbox.updateRecord(type, record.id, { [field]: other }, second(2));
		expect(await next()).toBeNull();
		next.restart();
		sandbox.updateRecord(type, record.id, { [field]: target }, second(3));
		expect(ids(await next())).toEqual([record.id]);
		expect(await next()).toBeNull();
		// An edit while there is no arrival, after a restart as before one.
		sandbox.updateRecord(type, record.id, { title: 'Edited while there' }, second(4));
		next.restart();
		expect(await next()).toBeNull();
		// Nothing per record is kept: the move time on the record decides.
		expect(next.state()).toMatchObject({ movedField: 'movedTime' });
		expect(next.state().inStage).toBeUndefined();
	});

	test('a leave and a return between two polls is an arrival (the record\'s move time is later)', async () => {
		const deal = sandbox.createRecord('deal', { title: 'Won before activation', stageId: 'WON' }, second(0));
		const next = n8nPoller({ entityType: 'deal', event: 'enteredStage', stage: 'WON' });
		expect(await next()).toBeNull();
		sandbox.updateRecord('deal', deal.id, { stageId: 'LOSE' }, second(1));
		sandbox.updateRecord('deal', deal.id, { stageId: 'WON' }, second(2));
		expect(ids(await next())).toEqual([deal.id]);
		expect(await next()).toBeNull();
	});

	test('a move within the cursor\'s second that the last poll read is not emitted again; one it did not read is', async () => {
		const a = sandbox.createRecord('deal', { title: 'A', stageId: 'NEW' }, second(0));
		const b = sandbox.createRecord('deal', { title: 'B', stageId: 'NEW' }, second(0));
		const next = n8nPoller({ entityType: 'deal', event: 'enteredStage', stage: 'WON' });
		expect(await next()).toBeNull();
		sandbox.updateRecord('deal', a.id, { stageId: 'WON' }, second(5));
		expect(ids(await next())).toEqual([a.id]);
		// Same second as the cursor: b moves in (not read yet), a is edited (its move was read).
		sandbox.updateRecord('deal', b.id, { stageId: 'WON' }, second(5));
		sandbox.updateRecord('deal', a.id, { title: 'Edited' }, second(6));
		expect(ids(await next())).toEqual([b.id]);
		expect(await next()).toBeNull();
	});

	test('a portal whose records carry no move time: the records at the stage are remembered, as before', async () => {
		sandbox.configure({ movedTime: false });
		const deal = sandbox.createRecord('deal', { title: 'Mover', stageId: 'NEW' }, second(0));
		const next = n8nPoller({ entityType: 'deal', event: 'enteredStage', stage: 'WON' });
		expect(await next()).toBeNull();
		expect(next.state().movedField).toBeUndefined();
		sandbox.updateRecord('deal', deal.id, { stageId: 'WON' }, second(1));
		expect(ids(await next())).toEqual([deal.id]);
		expect(next.state().inStage).toEqual([deal.id]);
		sandbox.updateRecord('deal', deal.id, { stageId: 'LOSE' }, second(2));
		expect(await next()).toBeNull();
		sandbox.updateRecord('deal', deal.id, { stageId: 'WON' }, second(3));
		expect(ids(await next())).toEqual([deal.id]);
	});

	test('From Stage with move times: only arrivals from the chosen stage, across a restart', async () => {
		const a = sandbox.createRecord('deal', { title: 'From EXECUTING', stageId: 'EXECUTING' }, second(0));
		const b = sandbox.createRecord('deal', { title: 'From NEW', stageId: 'NEW' }, second(0));
		const next = n8nPoller({ entityType: 'deal', event: 'enteredStage', stage: 'WON', fromStage: 'EXECUTING' });
		expect(await next()).toBeNull();
		sandbox.updateRecord('deal', a.id, { stageId: 'WON' }, second(1));
		sandbox.updateRecord('deal', b.id, { stageId: 'WON' }, second(1));
		expect(ids(await next())).toEqual([a.id]);
		next.restart();
		sandbox.updateRecord('deal', a.id, { title: 'Still won' }, second(2));
		sandbox.updateRecord('deal', b.id, { title: 'Still won' }, second(2));
		expect(await next()).toBeNull();
	});
});

describe('New Record and Updated Record: polls that emitted nothing, then a restart', () => {
	test('New Record: nothing repeated, nothing missed', async () => {
		const next = n8nPoller({ entityType: 'deal', event: 'newRecord' });
		expect(await next()).toBeNull();
		const a = sandbox.createRecord('deal', { title: 'A' }, second(1));
		expect(ids(await next())).toEqual([a.id]);
		expect(await next()).toBeNull();
		next.restart();
		expect(await next()).toBeNull();
		const b = sandbox.createRecord('deal', { title: 'B' }, second(2));
		next.restart();
		expect(ids(await next())).toEqual([b.id]);
	});

	test('Updated Record: a record created (not changed) read by a quiet poll is still no update after a restart', async () => {
		const next = n8nPoller({ entityType: 'lead', event: 'updatedRecord' });
		expect(await next()).toBeNull();
		const lead = sandbox.createRecord('lead', { title: 'New lead' }, second(1));
		expect(await next()).toBeNull();
		next.restart();
		expect(await next()).toBeNull();
		sandbox.updateRecord('lead', lead.id, { title: 'Changed' }, second(2));
		expect(ids(await next())).toEqual([lead.id]);
		next.restart();
		expect(await next()).toBeNull();
	});
});
