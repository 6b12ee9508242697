/**
 * A CRM record's product rows (`/v1/{deals|quotes|invoices|leads}/{id}/products`, `/v1/items/{entityTypeId}/{id}/products`)
 * and the catalog they point at (`/v1/products`): one function per VibeCode call, each with the words its failures
 * need and whether it may be sent twice; the one output shape of a row; the proof that a row holds what was sent.
 * What VibeCode's pages say and what is assumed: docs/vibecode-contract.md, "Product rows".
 */
import type { IDataObject } from 'n8n-workflow';

import { ERROR_TABLE, type ErrorText } from '../errors';
import { deleteOnce, sentOnce, vibeRequest, type VibeContext, type VibeSession } from '../transport';
import type { EntityType, RecordType } from './entities';
import { getRecord, notFound, searchAll } from './records';

/** The record whose rows are read or written. */
export interface RowOwner {
	type: EntityType;
	id: number;
}

/** One row as the node sends it: the documented body keys, `productName` only for a row without a catalog product. */
export interface RowValues {
	productId: number;
	productName?: string;
	price?: number;
	quantity?: number;
	discount?: number;
	taxRate?: number;
	taxIncluded?: boolean;
	sort?: number;
}

/** How messages name a row's fields: the labels of the editor. */
export const ROW_LABELS: Record<keyof RowValues, string> = {
	productId: 'Product ID',
	productName: 'Product Name',
	price: 'Price',
	quantity: 'Quantity',
	discount: 'Discount',
	taxRate: 'Tax Rate',
	taxIncluded: 'Tax Included',
	sort: 'Sort',
};

const rowsPath = ({ type, id }: RowOwner) => `/v1/${type.path}/${id}/products`;

/** A record named as messages name it: "deal 5141", "smart process item 1". */
export const ownerName = ({ type, id }: RowOwner) => `${type.name.toLowerCase()} ${id}`;

/** What a request that got no answer (a timeout, a broken connection) says it did, in place of the Fire wording. */
const noAnswer = (hint: string): Partial<Record<string, ErrorText>> => ({
	TIMEOUT: { message: ERROR_TABLE.TIMEOUT.message, hint },
	CONNECTION_RESET: { message: ERROR_TABLE.CONNECTION_RESET.message, hint },
});
const REPEATED = noAnswer(
	'The node already sent it again (reading, replacing, changing and deleting product rows are safe to repeat). Check that VibeCode is reachable, or raise the Timeout option, then run the item again.',
);
/** A read-only key's refusal of a write, said for rows (the table's text speaks of triggers). */
const READ_ONLY: Partial<Record<string, ErrorText>> = {
	WRITE_BLOCKED_READONLY_KEY: {
		message: 'The key is read-only and cannot change product rows',
		hint: ERROR_TABLE.WRITE_BLOCKED_READONLY_KEY.hint,
	},
};
/** An Add may have added the row: it is never sent again, whatever the options say. */
const ADDED = noAnswer(
	"The row may already have been added, so the node did not send it again. Check the record's products in Bitrix24 (or run Get Many) before running this item again, which would add another row.",
);

/** ENTITY_NOT_FOUND for a row: the record, or the row on it, is missing; VibeCode's 404 does not say which. */
function rowNotFound(owner: RowOwner, rowId: number): Partial<Record<string, ErrorText>> {
	return {
		ENTITY_NOT_FOUND: {
			message: `The ${ownerName(owner)} has no product row ${rowId}, or the ${owner.type.name.toLowerCase()} does not exist`,
			hint: "Row ID is the product row's own ID (rowId in Get Many's output), not the catalog product's ID. The row may have been deleted, or replaced by a Set, which gives every row a new ID.",
		},
	};
}

const asList = (data: unknown): IDataObject[] => (Array.isArray(data) ? (data as IDataObject[]).filter((row) => row && typeof row === 'object') : []);
const asObject = (data: unknown): IDataObject => (data && typeof data === 'object' && !Array.isArray(data) ? (data as IDataObject) : {});

/** GET …/products: the record's rows. */
export async function listRows(this: VibeContext, session: VibeSession, owner: RowOwner, itemIndex?: number): Promise<IDataObject[]> {
	const { data } = await vibeRequest.call(this, session, { method: 'GET', path: rowsPath(owner), itemIndex, errorTexts: { ...notFound(owner.type, owner.id), ...REPEATED } });
	return asList(data);
}

/**
 * PUT …/products `{ items }`: the record's rows become exactly these (rows not sent are removed). Sending it twice
 * leaves the same rows, so it is retried after an unknown outcome. The answer: the rows set, or undefined when
 * VibeCode answered no list.
 */
export async function setRows(
	this: VibeContext,
	session: VibeSession,
	owner: RowOwner,
	items: RowValues[],
	itemIndex?: number,
	texts: Partial<Record<string, ErrorText>> = {},
): Promise<IDataObject[] | undefined> {
	const { data } = await vibeRequest.call(this, session, {
		method: 'PUT',
		path: rowsPath(owner),
		body: { items: items as unknown as IDataObject[] },
		idempotent: true,
		itemIndex,
		errorTexts: { ...notFound(owner.type, owner.id), ...REPEATED, ...READ_ONLY, ...texts },
	});
	return Array.isArray(data) ? asList(data) : undefined;
}

/** POST …/products: one row more. A create: never sent again after an unknown outcome. Resolves to the new row's ID. */
export async function addRow(
	this: VibeContext,
	session: VibeSession,
	owner: RowOwner,
	row: RowValues,
	itemIndex?: number,
	texts: Partial<Record<string, ErrorText>> = {},
): Promise<number | undefined> {
	const { data } = await vibeRequest.call(this, sentOnce(session), {
		method: 'POST',
		path: rowsPath(owner),
		body: row as unknown as IDataObject,
		idempotent: false,
		itemIndex,
		errorTexts: { ...notFound(owner.type, owner.id), ...ADDED, ...READ_ONLY, ...texts },
	});
	const answer = asObject(data);
	const id = Number(answer.id ?? answer.ID ?? (typeof data === 'number' ? data : NaN));
	return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** GET …/products/{rowId}. */
export async function getRow(this: VibeContext, session: VibeSession, owner: RowOwner, rowId: number, itemIndex?: number): Promise<IDataObject> {
	const { data } = await vibeRequest.call(this, session, { method: 'GET', path: `${rowsPath(owner)}/${rowId}`, itemIndex, errorTexts: { ...rowNotFound(owner, rowId), ...REPEATED } });
	return asObject(data);
}

/** PATCH …/products/{rowId}: the same values twice leave the same row, so it may be retried. */
export async function updateRow(this: VibeContext, session: VibeSession, owner: RowOwner, rowId: number, values: IDataObject, itemIndex?: number): Promise<IDataObject> {
	const { data } = await vibeRequest.call(this, session, {
		method: 'PATCH',
		path: `${rowsPath(owner)}/${rowId}`,
		body: values,
		idempotent: true,
		itemIndex,
		errorTexts: { ...rowNotFound(owner, rowId), ...REPEATED, ...READ_ONLY },
	});
	return asObject(data);
}

/**
 * DELETE …/products/{rowId} (204). Sent again after an unknown outcome; when the first attempt did delete the row,
 * the next one finds nothing (404), which is the deletion asked for, as for a record (helpers/records.ts).
 */
export async function deleteRow(this: VibeContext, session: VibeSession, owner: RowOwner, rowId: number, itemIndex?: number): Promise<void> {
	await deleteOnce.call(this, session, { path: `${rowsPath(owner)}/${rowId}`, itemIndex, errorTexts: { ...rowNotFound(owner, rowId), ...REPEATED, ...READ_ONLY } });
}

/**
 * The record's amount and currency as Bitrix24 recomputed them from its rows, read from the record: deals, leads and
 * quotes answer `amount` (VibeCode's name), invoices and smart-process items `opportunity` (Bitrix24's).
 */
export async function recordAmount(this: VibeContext, session: VibeSession, owner: RowOwner, itemIndex?: number): Promise<IDataObject> {
	const record = await getRecord.call(this, session, owner.type, owner.id, itemIndex);
	const amount = numberOf(record.amount ?? record.opportunity ?? record.OPPORTUNITY);
	const currency = record.currency ?? record.currencyId ?? record.CURRENCY_ID;
	const out: IDataObject = { amount: amount ?? null };
	if (typeof currency === 'string' && currency) out.currency = currency;
	return out;
}

const numberOf = (value: unknown): number | undefined => {
	const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
	return Number.isFinite(number) ? number : undefined;
};

const YES = [true, 'Y', 'y', 1, '1', 'true'];
const NO = [false, 'N', 'n', 0, '0', 'false', '', null];
/** `taxIncluded` as a boolean: the pages' answers give a boolean, the fields page types it as Y/N; both are read. */
const truth = (value: unknown): boolean | undefined => (YES.includes(value as string) ? true : NO.includes(value as string) ? false : undefined);

/** A stored row's value of a field, by its name in the bodies (`discount` is `discountSum` on the fields page). */
function storedOf(row: IDataObject, name: keyof RowValues): unknown {
	if (name === 'discount') return row.discount ?? row.discountSum ?? row.DISCOUNT_SUM;
	const upper = name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
	return row[name] ?? row[upper];
}

const NUMBER_FIELDS: Array<keyof RowValues> = ['productId', 'price', 'quantity', 'discount', 'taxRate', 'sort'];

/**
 * A row as the node outputs it, the same for every operation: `rowId` (the row's own ID, never the catalog product's)
 * first, the documented fields as numbers and `taxIncluded` as a boolean, then whatever else VibeCode answered.
 */
export function rowOutput(row: IDataObject): IDataObject {
	const out: IDataObject = {};
	const rowId = numberOf(row.id ?? row.ID);
	if (rowId !== undefined) out.rowId = rowId;
	for (const name of ['productId', 'productName', 'price', 'quantity', 'discount', 'taxRate', 'taxIncluded'] as Array<keyof RowValues>) {
		const value = storedOf(row, name);
		if (value === undefined) continue;
		out[name] = name === 'taxIncluded' ? (truth(value) ?? (value as IDataObject[string])) : NUMBER_FIELDS.includes(name) && value !== null ? (numberOf(value) ?? (value as IDataObject[string])) : (value as IDataObject[string]);
	}
	for (const [name, value] of Object.entries(row)) {
		if (name === 'id' || name === 'ID' || name === 'discountSum' || name in out || /^[A-Z_]+$/.test(name)) continue;
		out[name] = value;
	}
	return out;
}

/** A field of a row that does not hold the value sent; `stored` is undefined when the answer lacks the field. */
export interface RowMismatch {
	field: keyof RowValues;
	sent: unknown;
	stored: unknown;
}

/** The fields of `sent` that `stored` does not hold: numbers by value, `taxIncluded` as true/false, a name trimmed. */
export function rowMismatches(sent: RowValues, stored: IDataObject): RowMismatch[] {
	const out: RowMismatch[] = [];
	for (const [name, value] of Object.entries(sent) as Array<[keyof RowValues, unknown]>) {
		if (value === undefined) continue;
		const kept = storedOf(stored, name);
		let same: boolean;
		if (name === 'taxIncluded') same = truth(kept) === value;
		else if (name === 'productName') same = typeof kept === 'string' && kept.trim() === String(value).trim();
		else same = numberOf(kept) !== undefined && numberOf(kept) === value;
		if (!same) out.push({ field: name, sent: value, stored: kept });
	}
	return out;
}

/** A catalog product, as the lookup by name or SKU reads it (`/v1/products` answers camelCase, or Bitrix24's upper case). */
export interface CatalogProduct {
	id: number;
	name: string;
	xmlId: string;
	price?: number;
	currency?: string;
	active?: boolean;
}

/** The catalog as the record engine's search helpers take an entity: scope crm (the products page), named "product". */
const CATALOG: RecordType = { value: 'product', name: 'Product', path: 'products', labelFields: ['name'] };

/** The most values one `$in` condition carries, so that one search body stays small; more values take more searches. */
const IN_CHUNK = 200;

/**
 * Every catalog product whose `field` (`name` or `xmlId`) is one of `values`, with `POST /v1/products/search` and an
 * `$in` filter: one search (and its pages) for all the rows of a run, not one per row.
 */
export async function findProducts(this: VibeContext, session: VibeSession, field: 'name' | 'xmlId', values: string[]): Promise<CatalogProduct[]> {
	const found: CatalogProduct[] = [];
	for (let start = 0; start < values.length; start += IN_CHUNK) {
		const records = await searchAll.call(this, session, CATALOG, { filter: { [field]: { $in: values.slice(start, start + IN_CHUNK) } }, sort: { id: 'asc' } }, Infinity);
		for (const record of records) {
			const id = numberOf(record.id ?? record.ID);
			if (id === undefined) continue;
			const currency = record.currency ?? record.CURRENCY_ID;
			found.push({
				id,
				name: String(record.name ?? record.NAME ?? ''),
				xmlId: String(record.xmlId ?? record.XML_ID ?? ''),
				price: numberOf(record.price ?? record.PRICE),
				currency: typeof currency === 'string' ? currency : undefined,
				active: truth(record.active ?? record.ACTIVE),
			});
		}
	}
	return found;
}
