/**
 * Whether a write landed: every field the node sent, compared with the record VibeCode answered, each by its
 * field's type. Bitrix24 drops a field it does not know or may not write without a word, and VibeCode passes that
 * on, so an answer of 200 alone proves nothing (docs/vibecode-contract.md, "CRM records").
 */
import type { IDataObject } from 'n8n-workflow';

import { MONEY_WITH_CURRENCY, NUMBER_TYPES, portalField, type PortalField } from './fields';

/** A field whose stored value is not the one sent. `stored` is undefined when the answer lacks the field. */
export interface Mismatch {
	field: PortalField;
	sent: unknown;
	stored: unknown;
}

/** Field types whose stored form the node cannot predict from what it sent (a file becomes an ID and a URL). */
const UNCHECKED_TYPES = ['file'];

const YES = [true, 'Y', 'y', 1, '1', 'true', 'yes'];
const NO = [false, 'N', 'n', 0, '0', 'false', 'no', '', null];

const OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/** Text as compared: trimmed, line ends alike. */
const plain = (value: unknown): string => (value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)).replace(/\r\n?/g, '\n').trim();

/** A number from a number, a numeric string, or a money value "150.50|USD" (its amount). */
function amount(value: unknown): number | undefined {
	if (typeof value === 'number') return value;
	const text = plain(value);
	const money = MONEY_WITH_CURRENCY.exec(text);
	const number = Number(money ? money[1] : text);
	return text !== '' && Number.isFinite(number) ? number : undefined;
}

/** A date-time as compared: the instant when both sides carry a time zone, else the wall-clock time to the minute. */
function sameDateTime(sent: string, stored: string): boolean {
	if (OFFSET.test(sent) && OFFSET.test(stored)) {
		return Math.floor(Date.parse(sent) / 1000) === Math.floor(Date.parse(stored) / 1000);
	}
	// No zone on one side: the portal reads it in its own zone, so the wall-clock time is what must match.
	const wall = (text: string) => text.replace(' ', 'T').slice(0, 16);
	return wall(sent) === wall(stored);
}

/** Whether one stored value is the one sent, for a single (not multiple) field. */
export function sameValue(field: PortalField, sent: unknown, stored: unknown): boolean {
	const { type } = field;
	if (UNCHECKED_TYPES.includes(type)) return true;
	if (type === 'money') {
		const [given, kept] = [MONEY_WITH_CURRENCY.exec(plain(sent)), MONEY_WITH_CURRENCY.exec(plain(stored))];
		// A currency is compared only when the node sent one: without, Bitrix24 adds the portal's.
		if (given && kept && given[2].toUpperCase() !== kept[2].toUpperCase()) return false;
		return amount(sent) !== undefined && amount(sent) === amount(stored);
	}
	if (NUMBER_TYPES.includes(type) || type === 'crm_category') {
		const [a, b] = [amount(sent), amount(stored)];
		return a !== undefined && b !== undefined ? a === b : plain(sent) === plain(stored);
	}
	if (type === 'boolean' || type === 'char') {
		const truth = (value: unknown) => (YES.includes(value as string) ? 'yes' : NO.includes(value as string) ? 'no' : plain(value));
		return truth(sent) === truth(stored);
	}
	if (type === 'date') return plain(sent).slice(0, 10) === plain(stored).slice(0, 10);
	if (type === 'datetime') return sameDateTime(plain(sent), plain(stored));
	// An address is kept as "text|lat;lng|…": the text is what was sent.
	if (type === 'address') return plain(sent) === plain(stored).split('|')[0].trim();
	return plain(sent) === plain(stored);
}

/** A phone, email or website entry as compared: emails and websites without case, phones by their digits. */
export function entryKey(name: string, entry: unknown): string {
	const value = plain(entry && typeof entry === 'object' ? ((entry as IDataObject).value ?? (entry as IDataObject).VALUE) : entry);
	if (name.toLowerCase() === 'phone') return value.replace(/[^\d+]/g, '');
	if (name.toLowerCase() === 'web') return value.toLowerCase().replace(/^https?:\/\//, '').replace(/\/+$/, '');
	return value.toLowerCase();
}

const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null || value === '' ? [] : [value]);

/** Whether a multiple field holds exactly the values sent, in any order. */
function sameList(field: PortalField, sent: unknown, stored: unknown): boolean {
	const left = listOf(sent);
	const right = [...listOf(stored)];
	if (left.length !== right.length) return false;
	return left.every((value) => {
		const at = right.findIndex((candidate) => sameValue(field, value, candidate));
		if (at < 0) return false;
		right.splice(at, 1);
		return true;
	});
}

/** "responsibleId" → "RESPONSIBLE_ID": the name Bitrix24's older entities (tasks, users, departments…) answer a field by. */
export const upperName = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/**
 * A field's value in an answer: by the name sent, else by its UPPER_CASE twin, since VibeCode may answer an older
 * Bitrix24 entity in Bitrix24's own case (docs/vibecode-contract.md, "Other entities").
 */
export const storedValue = (record: IDataObject, name: string): unknown => record[name] ?? record[upperName(name)];

/** Whether an answer carries the field at all, by either name. */
export const carries = (record: IDataObject, name: string): boolean => name in record || upperName(name) in record;

/**
 * The fields among `sent` whose value `record` does not hold. A phone, email or website list must hold every entry
 * sent, and, for the lists in `replaced`, nothing else. A field missing from the answer is a mismatch too.
 */
export function unappliedFields(portal: PortalField[], sent: IDataObject, record: IDataObject, replaced: string[] = []): Mismatch[] {
	const byName = new Map(portal.map((field) => [field.name, field]));
	const out: Mismatch[] = [];
	for (const [name, value] of Object.entries(sent)) {
		const field = byName.get(name) ?? portalField(name);
		const stored = storedValue(record, name);
		if (UNCHECKED_TYPES.includes(field.type)) continue;
		let same: boolean;
		if (stored === undefined) same = false;
		else if (field.type === 'crm_multifield') {
			const kept = new Set(listOf(stored).map((entry) => entryKey(name, entry)));
			const wanted = new Set(listOf(value).map((entry) => entryKey(name, entry)).filter(Boolean));
			same = [...wanted].every((key) => kept.has(key)) && (!replaced.includes(name) || [...kept].every((key) => wanted.has(key)));
		} else if (field.multiple || Array.isArray(value)) same = sameList(field, value, stored);
		else same = sameValue(field, value, stored);
		if (!same) out.push({ field, sent: value, stored });
	}
	return out;
}
