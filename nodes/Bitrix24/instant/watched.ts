/**
 * Watch Fields for the instant trigger. Bitrix24's events say only that a record changed, never what changed, so
 * the trigger compares the watched fields of the record it reads with the values it read for that record the last
 * time (a hash, as the polling trigger's Watch Fields: `fieldsHash`). An update whose watched values are the ones
 * read before starts nothing. A record the trigger has not read before starts the workflow whatever changed: it
 * cannot know the earlier values and prefers an extra event to a missed one.
 *
 * The memory lives beside the duplicate memory (instant/deliveries.ts), in the process that receives the calls, one
 * per workflow, node and mode, and is lost when n8n restarts; at the bound the record read longest ago is forgotten.
 */
import type { IDataObject } from 'n8n-workflow';

import { HASH_CAP, fieldValue, fieldsHash } from '../helpers/pollState';
import type { Delivery } from './parse';

/** The watched values' hash of the most recently read records, by `entity:id`. */
export class WatchedValues {
	private readonly hashes = new Map<string, string>();

	constructor(readonly limit = HASH_CAP) {}

	/**
	 * Notes the record's watched values and says whether they differ from the ones noted for it before (true for a
	 * record not noted before). Synchronous: of two reads of one record finishing together, the second compares
	 * with the first.
	 */
	changed(key: string, record: IDataObject, fields: string[]): boolean {
		const hash = fieldsHash(record, fields);
		const before = this.hashes.get(key);
		// Deleted and set again: a Map iterates in insertion order, so its first key is the one read longest ago.
		this.hashes.delete(key);
		this.hashes.set(key, hash);
		while (this.hashes.size > this.limit) this.hashes.delete(this.hashes.keys().next().value as string);
		return before !== hash;
	}

	get size(): number {
		return this.hashes.size;
	}
}

/** The memories of this process, one per trigger node, with the watched field list it was made for. */
const memories = new Map<string, { fields: string; memory: WatchedValues }>();

/**
 * The memory of `owner` (workflow, node, mode) for these fields. Another field list replaces it with an empty one,
 * so that a hash is never compared with a hash of other fields.
 */
export function watchedValues(owner: string, fields: string[], limit = HASH_CAP): WatchedValues {
	const list = fields.join(',');
	let entry = memories.get(owner);
	if (!entry || entry.fields !== list) {
		entry = { fields: list, memory: new WatchedValues(limit) };
		memories.set(owner, entry);
	}
	return entry.memory;
}

/**
 * Whether a read record starts the workflow as far as Watch Fields go: always without watched fields, for a
 * creation or a robot call (their values are noted all the same), and for a record that has none of the watched
 * fields (a contact when only a deal's stage is watched); an update only when a watched value differs from the one
 * read before.
 */
export function startsWorkflow(owner: string, delivery: Delivery, record: IDataObject, fields: string[]): boolean {
	if (!fields.length || !fields.some((field) => fieldValue(record, field) !== undefined)) return true;
	const changed = watchedValues(owner, fields).changed(`${delivery.entityType ?? ''}:${delivery.id ?? ''}`, record, fields);
	return delivery.action !== 'update' || changed;
}
