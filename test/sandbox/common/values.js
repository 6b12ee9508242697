'use strict';
/**
 * A value given for a field as the sandbox stores it (the field's type, or as Bitrix24 stores the deal's user fields)
 * and the portal time it answers dates in: shared by the CRM records, the Other Entities and the families.
 */

/** Field types whose values are whole numbers (IDs included) or any number. */
const WHOLE_TYPES = ['integer', 'user', 'employee', 'crm_company', 'crm_contact', 'crm_category', 'crm_deal', 'crm_lead', 'crm_quote'];
const NUMBER_TYPES = ['double', 'money'];
const YES = [true, 'Y', 'y', 'true', 1, '1'];
const NO = [false, 'N', 'n', 'false', 0, '0'];

const kindOf = (value) => (typeof value === 'string' ? JSON.stringify(value) : value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/**
 * A value given for a field, stored with the field's type (numbers as numbers, `char` as 'Y'/'N', `boolean` as
 * true/false, an enumeration as its item's ID). A value that does not fit adds a VibeCode-style issue
 * ("fields.amount: Expected number, received \"abc\"") and gives undefined.
 */
function coerce(name, field, value, issues) {
	if (value === null) return null;
	if (field.isMultiple) return (Array.isArray(value) ? value : [value]).map((entry) => coerce(name, { ...field, isMultiple: false }, entry, issues));
	const fail = (expected) => {
		issues.push(`fields.${name}: Expected ${expected}, received ${kindOf(value)}`);
		return undefined;
	};
	const { type } = field;
	if (value === '' && type !== 'string') return null;
	if (WHOLE_TYPES.includes(type) || NUMBER_TYPES.includes(type)) {
		const whole = WHOLE_TYPES.includes(type);
		const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
		if (!Number.isFinite(number) || (whole && !Number.isInteger(number))) return fail(whole ? 'integer' : 'number');
		return number;
	}
	if (type === 'char' || type === 'boolean') {
		const yes = YES.includes(value);
		if (!yes && !NO.includes(value)) return fail(type === 'char' ? '"Y" or "N"' : 'boolean');
		return type === 'char' ? (yes ? 'Y' : 'N') : yes;
	}
	if (type === 'date' || type === 'datetime') {
		if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return fail('ISO 8601 date');
		return value;
	}
	if (type === 'enumeration') {
		const item = field.items.find(({ ID }) => ID === String(value));
		if (!item) return fail(`one of ${field.items.map(({ ID, VALUE }) => `${ID} (${VALUE})`).join(', ')}`);
		return item.ID;
	}
	if (typeof value === 'string' || typeof value === 'number') return String(value);
	return fail('string');
}

/**
 * The portal's time zone and currency, which Bitrix24 applies to what it stores: dates are answered in the portal's
 * time zone, and a money amount without a currency gets the portal's.
 */
const PORTAL_OFFSET = '+03:00';
const PORTAL_OFFSET_MS = 3 * 3_600_000;
const PORTAL_CURRENCY = 'USD';
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * An ISO 8601 date or date-time as its instant (ms); NaN when it is not one. Without an offset it is portal time
 * (a bare date its midnight there), as Bitrix24 reads it.
 */
function portalInstant(value) {
	const match = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)\s*(Z|[+-]\d\d:?\d\d)?)?$/i.exec(value.trim());
	if (!match) return NaN;
	const [, year, month, day, time = '00:00:00', zone = PORTAL_OFFSET] = match;
	// Date.parse rolls 2026-02-30 over into March; Bitrix24 refuses such a date.
	const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
	if (calendar.getUTCMonth() !== Number(month) - 1 || calendar.getUTCDate() !== Number(day)) return NaN;
	const offset = /^z$/i.test(zone) ? 'Z' : zone.replace(/^([+-]\d\d)(\d\d)$/, '$1:$2');
	return Date.parse(`${year}-${month}-${day}T${time}${offset}`);
}

/** An instant as Bitrix24 answers a date-time: portal time, whole seconds, with the offset ("…T17:00:00+03:00"). */
const portalTime = (ms) => `${new Date(ms + PORTAL_OFFSET_MS).toISOString().slice(0, 19)}${PORTAL_OFFSET}`;

/**
 * A value given for one of the deal's user fields (DEAL_USER_FIELDS), stored as Bitrix24 stores it, which is not
 * always as it was sent: money as "amount|currency" (the portal's currency unless given), a boolean as 1 or 0, a
 * date as its portal-time midnight, a date-time in portal time without milliseconds, a multiple enumeration as
 * numeric item IDs, an address as "text|lat;lng" with empty coordinates, an employee as a number. Empty entries of a
 * multiple field are left out, as Bitrix24 leaves them. Problems are issues, as in `coerce`.
 */
function storeAsBitrix24(name, field, value, issues) {
	if (field.isMultiple) {
		const entries = value === null || value === '' ? [] : Array.isArray(value) ? value : [value];
		return entries
			.filter((entry) => entry !== null && entry !== undefined && entry !== '')
			.map((entry) => storeAsBitrix24(name, { ...field, isMultiple: false }, entry, issues));
	}
	const fail = (expected) => {
		issues.push(`fields.${name}: Expected ${expected}, received ${kindOf(value)}`);
		return undefined;
	};
	if (value === null || (value === '' && field.type !== 'string' && field.type !== 'url' && field.type !== 'crm')) return null;
	switch (field.type) {
		case 'money': {
			const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
			const [, amount, currency = PORTAL_CURRENCY] = /^([^|]+?)\s*(?:\|\s*([A-Za-z]{3}))?$/.exec(text) ?? [];
			const number = amount === undefined ? NaN : Number(amount);
			if (!Number.isFinite(number)) return fail('a number or "amount|currency"');
			// The amount keeps its decimals as written ("150.50"); another spelling of a number ("1e3") is written out.
			return `${/^-?\d+(?:\.\d+)?$/.test(amount) ? amount : String(number)}|${currency.toUpperCase()}`;
		}
		case 'boolean':
			if (YES.includes(value)) return 1;
			if (NO.includes(value)) return 0;
			return fail('boolean');
		case 'date':
		case 'datetime': {
			const ms = typeof value === 'string' ? portalInstant(value) : NaN;
			if (Number.isNaN(ms)) return fail('ISO 8601 date');
			return field.type === 'date' ? `${portalTime(ms).slice(0, 10)}T00:00:00${PORTAL_OFFSET}` : portalTime(ms);
		}
		case 'enumeration': {
			const item = field.items.find(({ ID }) => ID === String(value));
			if (!item) return fail(`one of ${field.items.map(({ ID, VALUE }) => `${ID} (${VALUE})`).join(', ')}`);
			return Number(item.ID);
		}
		case 'address': {
			if (typeof value !== 'string') return fail('string');
			// A value already in Bitrix24's form (read back from a record, say) is kept; plain text gets no coordinates.
			return /\|-?[\d.]*;-?[\d.]*(?:\|\d*)?$/.test(value) ? value : `${value}|;|`;
		}
		default:
			return coerce(name, field, value, issues);
	}
}

const isEmpty = (value) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);

/** When the seeded records were created (each CRM type's next record a minute later): 2026-11-01 09:00 UTC. */
const SEEDED_AT = Date.parse('2026-11-01T09:00:00Z');

module.exports = { kindOf, coerce, isObject, portalTime, storeAsBitrix24, isEmpty, SEEDED_AT };
