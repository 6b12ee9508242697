import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { advance, cursorFilter, handled, recordId, type PollState } from '../helpers/pollState';
import { enteredStage } from './events/enteredStage';
import { newRecord } from './events/newRecord';
import type { EventRules, PollContext } from './events/rules';
import { updatedRecord } from './events/updatedRecord';
import type { Event, Watch } from './parameters';
import { ID_PAGE_SIZE, PAGE_SIZE, pages, timeField, timeOf, type Query } from './read';

const RULES: Record<Event, (context: PollContext) => EventRules> = { newRecord, updatedRecord, enteredStage };

/**
 * A poll after activation, the engine every event shares: reads the records created or changed since the cursor
 * (pages by keys, see read.ts), hands each version once to the event's rules, then moves the cursor past them.
 * Returns what the rules emitted, each record once, as read last.
 */
export async function pollOnce(this: IPollFunctions, query: Query, event: Event, watch: Watch | undefined, next: PollState, fields: string[]) {
	const field = timeField(query.type, event);
	const seen = new Set(next.idsAtCursor ?? []);
	// A record that changes during the poll is read again at its new time: emitted once, as it was read last, at
	// the place of that read (a Map keeps the order of insertion).
	const emitted = new Map<number, IDataObject>();
	const emit = (record: IDataObject) => {
		emitted.delete(recordId(record));
		emitted.set(recordId(record), record);
	};
	const rules = RULES[event]({ functions: this, next, query, watch, fields, seen, emit, emitted: (id) => emitted.has(id) });
	const read: Array<{ time: string; id: number }> = [];
	const versions = new Set<string>();
	// The cursor's second is read again each poll: one page holds it and what is new, up to ID_PAGE_SIZE.
	const pageSize = Math.min(ID_PAGE_SIZE, seen.size + PAGE_SIZE);
	for await (const page of pages.call(this, query, cursorFilter(next, field), field, pageSize)) {
		const records = rules.complete ? await rules.complete(page) : page;
		for (const record of records) {
			const time = timeOf(record, field);
			const id = recordId(record);
			if (!time) continue;
			// A second read once more (see pages) brings versions already handled in this poll.
			const version = `${id}@${Date.parse(time)}`;
			if (versions.has(version)) continue;
			versions.add(version);
			if (handled(next, time, id, seen)) {
				rules.readAgain?.(record, id, time);
				continue;
			}
			read.push({ time, id });
			rules.read(record, id, time);
		}
	}
	rules.keep?.();
	advance(next, read, event === 'newRecord');
	return [...emitted.values()];
}
