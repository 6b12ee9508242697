import type { IDataObject } from 'n8n-workflow';

import { fieldValue, fieldsHash, readHashes, recordId, rememberKey, sameInstant, savedHashes } from '../../helpers/pollState';
import { search, timeOf } from '../read';
import type { EventRules, PollContext } from './rules';

/**
 * Updated Record: every record changed since the cursor, once per poll; with Watch Fields only when a watched
 * value differs from the one last seen (a hash per record, see pollState.ts).
 */
export function updatedRecord({ functions, next, query, fields, emit, emitted }: PollContext): EventRules {
	// Watch Fields: the last seen hash of the watched values per record.
	const hashes = fields.length ? readHashes(next.fieldHashes) : undefined;
	return {
		async complete(records) {
			// A watched field the answer left out (Bitrix24 lists custom fields only when asked for them) is asked
			// for by name, for those records only, so its change is seen and the record emitted carries it.
			const lacking = hashes ? records.filter((record) => fields.some((name) => fieldValue(record, name) === undefined)) : [];
			if (!lacking.length) return records;
			const ids = lacking.map(recordId);
			const filters = { ...query.filters, id: { $in: ids } };
			const found = await search.call(functions, { ...query, filters }, 'id', 'asc', 0, ids.length, ['id', ...fields]);
			const watched = new Map<number, IDataObject>(found.map((record) => [recordId(record), record]));
			return records.map((record) => ({ ...record, ...watched.get(recordId(record)) }));
		},
		read(record, id, time) {
			// A record never changed since its creation is New Record's, not an update.
			const created = timeOf(record, query.type.createdField);
			const changed = !created || !sameInstant(created, time);
			if (!hashes) {
				if (changed) emit(record);
				return;
			}
			// Only when a watched value differs from the one last seen. A record without one (not seen since
			// activation, or forgotten at the cap) is emitted: its earlier values are unknown, and an extra event is
			// better than a missed one. Emitted earlier in this poll: the same update, now with newer values.
			const hash = fieldsHash(record, fields);
			if (changed && (hashes.get(id) !== hash || emitted(id))) emit(record);
			rememberKey(hashes, id, hash);
		},
		readAgain(record, id, time) {
			// A record of the cursor's second whose watched values differ from those seen changed once more
			// within that second.
			if (!hashes?.has(id) || !next.cursor || !sameInstant(time, next.cursor)) return;
			const hash = fieldsHash(record, fields);
			if (hash !== hashes.get(id)) emit(record);
			rememberKey(hashes, id, hash);
		},
		keep() {
			if (hashes) next.fieldHashes = savedHashes(hashes);
		},
	};
}
