/**
 * Phone, email and website on a write to an existing record (Options → Phone, Email and Website): what to send so
 * the record's lists end as asked. Bitrix24 adds every entry sent without its `id`, changes the entry whose `id` is
 * given, and removes it when its value is empty (docs/vibecode-contract.md, "Phone, email and website").
 */
import type { IDataObject } from 'n8n-workflow';

import { entryKey } from '../../helpers/writtenValues';

/** Options → Phone, Email and Website: add the entries to the record's lists, or make the lists exactly these. */
export type ListMode = 'add' | 'replace';

/** Add: the entries the record does not have yet. Bitrix24 adds every entry sent without its ID, so a known one would be listed twice. */
function addedEntries(name: string, wanted: IDataObject[], current: IDataObject[]): IDataObject[] {
	const known = new Set(current.map((entry) => entryKey(name, entry)));
	return wanted.filter((entry) => !known.has(entryKey(name, entry)));
}

/**
 * Replace: the changes that leave exactly the entries wanted. Entries already there stay untouched; the others are
 * changed into the new values by their `id`, and those left over removed (`{ id, value: '' }`); only new values
 * beyond those are added.
 */
function replacedEntries(name: string, wanted: IDataObject[], current: IDataObject[]): IDataObject[] {
	const wantedKeys = new Set(wanted.map((entry) => entryKey(name, entry)));
	const currentKeys = new Set(current.map((entry) => entryKey(name, entry)));
	const spare = current.filter((entry) => !wantedKeys.has(entryKey(name, entry)));
	const fresh = wanted.filter((entry) => !currentKeys.has(entryKey(name, entry)));
	const changed = fresh.map((entry, index) => (spare[index] ? { id: spare[index].id ?? spare[index].ID, ...entry } : entry));
	const removed = spare.slice(fresh.length).map((entry) => ({ id: entry.id ?? entry.ID, value: '' }));
	return [...changed, ...removed];
}

/** The fields an update sends: the phone, email and website lists as Add or Replace needs them against `record`. */
export function listChanges(fields: IDataObject, record: IDataObject, multi: string[], mode: ListMode): IDataObject {
	const out = { ...fields };
	for (const name of multi) {
		const current = (Array.isArray(record[name]) ? record[name] : []) as IDataObject[];
		const wanted = (Array.isArray(out[name]) ? out[name] : []) as IDataObject[];
		const changes = mode === 'replace' ? replacedEntries(name, wanted, current) : addedEntries(name, wanted, current);
		if (changes.length > 0) out[name] = changes;
		else delete out[name];
	}
	return out;
}
