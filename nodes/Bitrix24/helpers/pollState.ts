import type { IDataObject } from 'n8n-workflow';

/**
 * What the Bitrix24 Trigger keeps in the node's static data between polls, and the pure rules that move it.
 * Only server times are compared with server times; n8n's own clock only times the lease.
 */
export interface PollState {
	/** The entity type and event the state belongs to; another one starts afresh. */
	entityType?: string;
	event?: string;
	/** For Entered Stage: the stage (and from-stage) the state belongs to. */
	watch?: string;
	/**
	 * The time (creation or update, by event) of the newest record seen, as VibeCode wrote it; undefined while
	 * the portal has none.
	 */
	cursor?: string;
	/** IDs of records at exactly `cursor` already handled (records share seconds); at most ID_LIST_MAX. */
	idsAtCursor?: number[];
	/**
	 * New Record only: every record at `cursor` with an ID up to this one is handled (Bitrix24's IDs grow with
	 * creation). Used instead of the list when many records share the second, so static data stays small.
	 */
	maxIdAtCursor?: number;
	/** Set when more than ID_CAP records changed in the cursor's second: the next poll starts after it. */
	pastCursor?: boolean;
	/**
	 * Entered Stage, when the portal's records carry the time of their last stage move (its name: `movedTime`):
	 * an arrival is a record at the stage whose move the cursor has not passed yet (see `handled`), a fact the
	 * server keeps, so `inStage` is not kept. n8n saves static data only after a poll that emits, so what a quiet
	 * poll learns (a record left the stage) is lost at a restart; a rule read from the record cannot be.
	 */
	movedField?: string;
	/** Entered Stage without `movedField`: IDs of records known to be at the stage (arrived, or there at activation). */
	inStage?: number[];
	/** Entered Stage with From Stage: IDs of records known to be at the from-stage. */
	atFrom?: number[];
	/**
	 * Updated Record with Watch Fields: `id:hash` of each record seen, the hash taken over the watched fields'
	 * values (see fieldsHash), the record seen longest ago first; at most HASH_CAP.
	 */
	fieldHashes?: string[];
	/** The poll that may commit and emit; an overlapping poll that finds a live lease does nothing. */
	lease?: { id: string; until: number };
}

/** New Record switches from the ID list to "every ID up to" at this many records in one second. */
export const ID_LIST_MAX = 25;
/** Updated Record and Entered Stage remember up to this many IDs at the cursor's second. */
export const ID_CAP = 5000;
/** Entered Stage remembers up to this many records at the stage (and as many at the from-stage). */
export const STAGE_CAP = 10_000;
/** Updated Record with Watch Fields remembers the watched values' hash of up to this many records. */
export const HASH_CAP = 10_000;
/** A poll that runs longer than this loses its right to emit; the next poll takes over. */
export const LEASE_MS = 10 * 60_000;

export const recordId = (record: IDataObject) => Number(record.id ?? record.ID);
export const sameInstant = (a: string, b: string) => a === b || Date.parse(a) === Date.parse(b);

let leases = 0;

/**
 * Takes the lease on the static data, or returns undefined while another poll holds a live one. Synchronous,
 * so two polls of one workflow (n8n starts the next on schedule while the previous still runs, both on the
 * same static data) cannot both take it.
 */
export function takeLease(state: PollState, now: number): string | undefined {
	if (state.lease && state.lease.until > now) return undefined;
	const id = `${now.toString(36)}.${(leases = (leases + 1) % 1e6)}`;
	state.lease = { id, until: now + LEASE_MS };
	return id;
}

export const holdsLease = (state: PollState, id: string) => state.lease?.id === id;

export function releaseLease(state: PollState, id: string) {
	if (holdsLease(state, id)) delete state.lease;
}

/**
 * Whether a record at `time` was handled already, by the cursor rules above. Given a record's stage-move time
 * instead: whether the previous polls read it after that move (the move is then no arrival of this poll).
 */
export function handled(state: PollState, time: string, id: number, seen: Set<number>): boolean {
	if (!state.cursor) return false;
	if (Date.parse(time) < Date.parse(state.cursor)) return true;
	if (!sameInstant(time, state.cursor)) return false;
	return state.pastCursor === true || seen.has(id) || (state.maxIdAtCursor !== undefined && id <= state.maxIdAtCursor);
}

/** The search filter that starts at the cursor. */
export function cursorFilter(state: PollState, field: string): IDataObject {
	if (!state.cursor) return {};
	if (state.pastCursor) return { [`>${field}`]: state.cursor };
	const filter: IDataObject = { [`>=${field}`]: state.cursor };
	if (state.maxIdAtCursor !== undefined) filter['>id'] = state.maxIdAtCursor;
	return filter;
}

/**
 * Moves the cursor past the handled records (`times` in the order read). `byId`: New Record, which may replace
 * the ID list by the highest ID when many records share the newest second.
 */
export function advance(state: PollState, handledNow: Array<{ time: string; id: number }>, byId: boolean) {
	if (handledNow.length === 0) return;
	const newest = handledNow.map((r) => r.time).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
	const ids = handledNow.filter((r) => sameInstant(r.time, newest)).map((r) => r.id);
	const same = state.cursor !== undefined && sameInstant(newest, state.cursor);
	const list = same ? [...new Set([...(state.idsAtCursor ?? []), ...ids])] : ids;
	const maxId = same ? state.maxIdAtCursor : undefined;
	const pastCursor = same && state.pastCursor === true;
	state.cursor = newest;
	delete state.maxIdAtCursor;
	delete state.pastCursor;
	state.idsAtCursor = list;
	if (byId && (maxId !== undefined || list.length > ID_LIST_MAX)) {
		state.maxIdAtCursor = Math.max(maxId ?? 0, ...list);
		state.idsAtCursor = [];
	} else if (pastCursor || list.length > ID_CAP) {
		state.pastCursor = true;
		state.idsAtCursor = [];
	}
}

/** Marks an ID as the most recent of a set (sets keep insertion order). */
export function remember(set: Set<number>, id: number) {
	set.delete(id);
	set.add(id);
}

/** A set as static data: its newest `cap` IDs; the oldest are dropped beyond the cap. */
export function capped(set: Set<number>, cap = STAGE_CAP): number[] {
	const all = [...set];
	return all.slice(Math.max(0, all.length - cap));
}

/** Marks a key as the most recent of a map (maps keep insertion order). */
export function rememberKey<V>(map: Map<number, V>, id: number, value: V) {
	map.delete(id);
	map.set(id, value);
}

/** A field's value in camelCase or in Bitrix24's upper case (`assignedById` / `ASSIGNED_BY_ID`). */
export function fieldValue(record: IDataObject, field: string): unknown {
	if (record[field] !== undefined) return record[field];
	return record[field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()];
}

/**
 * A value as text that does not depend on how VibeCode spelled it: numbers and their strings are equal
 * (`12000` / `"12000"`), objects are read with sorted keys, a missing value differs from an empty one.
 */
function canonical(value: unknown): string {
	if (value === undefined || value === null) return '\u0000';
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (typeof value === 'object') {
		const entries = Object.entries(value as IDataObject).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(',')}}`;
	}
	return JSON.stringify(String(value));
}

/**
 * A 53-bit hash (cyrb53) of the watched fields' values, in base 36: at most 11 characters. Two different
 * values give the same hash with a chance of about 1 in 9·10^15, so a change is all but never missed.
 */
export function fieldsHash(record: IDataObject, fields: string[]): string {
	const text = [...fields].sort().map((field) => canonical(fieldValue(record, field))).join('\u0001');
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let i = 0; i < text.length; i++) {
		const ch = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ ch, 2654435761);
		h2 = Math.imul(h2 ^ ch, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** The saved `id:hash` list as a map, oldest first. */
export function readHashes(saved: string[] | undefined): Map<number, string> {
	const map = new Map<number, string>();
	for (const entry of saved ?? []) {
		const colon = entry.indexOf(':');
		const id = Number(entry.slice(0, colon));
		if (colon > 0 && Number.isFinite(id)) rememberKey(map, id, entry.slice(colon + 1));
	}
	return map;
}

/** A hash map as static data: its newest `cap` entries as `id:hash`; the oldest are dropped beyond the cap. */
export function savedHashes(map: Map<number, string>, cap = HASH_CAP): string[] {
	const all = [...map].map(([id, hash]) => `${id}:${hash}`);
	return all.slice(Math.max(0, all.length - cap));
}
