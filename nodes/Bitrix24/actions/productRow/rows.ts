/**
 * What Set and Add send: rows given in the editor (Set's Rows list, Add's fields) or by expression (Set's Line Items:
 * an array such as `{{ $json.lineItems }}` from a payment), each naming its product by catalog ID, by name or SKU
 * (found in the catalog with one search per run for all rows), or as free text; checked by their labels before any
 * request. And the proof that the rows answered hold what was sent (WRITE_NOT_APPLIED naming the row and field).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ApiFailure, InputError, nodeError, quote, type ErrorText } from '../../errors';
import { findProducts, ownerName, ROW_LABELS, rowMismatches, type CatalogProduct, type RowOwner, type RowValues } from '../../helpers/productRows';
import { positiveId } from '../../helpers/validate';
import type { VibeSession } from '../../transport';

/** How a row names its product. */
export type ProductBy = 'id' | 'name' | 'sku' | 'freeText';
const PRODUCT_BY: ProductBy[] = ['id', 'name', 'sku', 'freeText'];

/** One row as read from the item, before the catalog lookup. */
export interface RowInput {
	/** How messages name the row: "Rows → Row 2", "Line Items → line 2", "" for Add's single row. */
	label: string;
	by: ProductBy;
	/** The catalog ID, the name or SKU looked up, or the free text. */
	product: number | string;
	values: Omit<RowValues, 'productId' | 'productName'>;
}

/** A row ready to send: its input and the values of the body. */
export interface ResolvedRow {
	input: RowInput;
	values: RowValues;
}

export const productByProperty = (description: string): INodeProperties => ({
	displayName: 'Product By',
	name: 'productBy',
	type: 'options',
	options: [
		{ name: 'Catalog ID', value: 'id', description: "The catalog product's ID (GET /v1/products)" },
		{ name: 'Catalog Name', value: 'name', description: 'Found in the catalog by its exact name; exactly one product must have it' },
		{ name: 'Catalog SKU', value: 'sku', description: "Found in the catalog by its SKU (the product's external ID, xmlId); exactly one product must have it" },
		{
			name: 'Free Text (No Catalog Product)',
			value: 'freeText',
			description: "A row with only a name, not in the catalog: Bitrix24's productId 0. Not on VibeCode's pages: a portal may refuse it.",
		},
	],
	default: 'id',
	description,
});

/** The fields of one row: Set's Rows entries and Add's parameters. */
export const rowFields: INodeProperties[] = [
	productByProperty('How the row names its product'),
	{
		displayName: 'Product',
		name: 'product',
		type: 'string',
		default: '',
		required: true,
		placeholder: '11',
		description: "The catalog product's ID, name or SKU, or the row's text, as Product By says",
	},
	{
		displayName: 'Price',
		name: 'price',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 0,
		description: 'The price of one unit, discount and tax applied (what the customer pays per unit)',
	},
	{
		displayName: 'Quantity',
		name: 'quantity',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 4 },
		default: 1,
	},
	{
		displayName: 'Discount',
		name: 'discount',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 0,
		description: 'The discount per unit, as an amount (already taken off Price)',
	},
	{
		displayName: 'Tax Rate (%)',
		name: 'taxRate',
		type: 'string',
		default: '',
		placeholder: '20',
		description: 'The tax rate in percent; leave empty to send none',
	},
	{
		displayName: 'Tax Included',
		name: 'taxIncluded',
		type: 'boolean',
		default: true,
		description: 'Whether Price includes the tax',
	},
];

/** Where a row's values are read from: the editor's parameter names, or a line item's keys. */
type RowKeys = Record<'product' | 'price' | 'quantity' | 'discount' | 'taxRate' | 'taxIncluded', string>;
export const EDITOR_KEYS: RowKeys = { product: 'product', price: 'price', quantity: 'quantity', discount: 'discount', taxRate: 'taxRate', taxIncluded: 'taxIncluded' };
const EDITOR_LABELS: RowKeys = { product: 'Product', price: 'Price', quantity: 'Quantity', discount: 'Discount', taxRate: 'Tax Rate (%)', taxIncluded: 'Tax Included' };

const number = (value: unknown): number | undefined => {
	const parsed = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
	return Number.isFinite(parsed) ? parsed : undefined;
};
const named = (label: string, field: string) => (label ? `${label} → ${field}` : field);

/**
 * One row from its values (the editor's fields, or a line item's keys as `keys` names them), each refused by its label.
 * `quantity` is 1 when not given; `discount`, `taxRate` and `taxIncluded` are sent only when given.
 */
export function readRow(label: string, by: unknown, values: IDataObject, keys: RowKeys, productHint: string): RowInput {
	// A line item's values are named by their keys, as the user's data names them; the editor's by their labels.
	const name = (field: keyof RowKeys) => named(label, keys === EDITOR_KEYS ? EDITOR_LABELS[field] : keys[field]);
	if (!PRODUCT_BY.includes(by as ProductBy)) {
		throw new InputError(`${named(label, 'Product By')} must be Catalog ID, Catalog Name, Catalog SKU or Free Text; got ${quote(by)}`, 'Choose how the row names its product from the list.');
	}
	const rawProduct = values[keys.product];
	let product: number | string;
	if (by === 'id') {
		const id = positiveId(rawProduct);
		if (id === undefined) throw new InputError(`${name('product')} must be a catalog product ID (a positive whole number); got ${quote(rawProduct)}`, productHint);
		product = id;
	} else {
		const text = typeof rawProduct === 'string' ? rawProduct.trim() : typeof rawProduct === 'number' ? String(rawProduct) : '';
		if (!text) throw new InputError(`${name('product')} is empty; got ${quote(rawProduct)}`, productHint);
		product = text;
	}
	const out: RowInput['values'] = {};
	const price = number(values[keys.price]);
	if (price === undefined || price < 0) throw new InputError(`${name('price')} must be a number of 0 or more; got ${quote(values[keys.price])}`, 'Give the price of one unit, such as 120 or 99.90.');
	out.price = price;
	const rawQuantity = values[keys.quantity];
	const quantity = rawQuantity === undefined || rawQuantity === '' || rawQuantity === null ? 1 : number(rawQuantity);
	if (quantity === undefined || quantity <= 0) throw new InputError(`${name('quantity')} must be a number above 0; got ${quote(rawQuantity)}`, 'Give how many units, such as 1 or 2.5.');
	out.quantity = quantity;
	const rawDiscount = values[keys.discount];
	if (rawDiscount !== undefined && rawDiscount !== '' && rawDiscount !== null) {
		const discount = number(rawDiscount);
		if (discount === undefined || discount < 0) throw new InputError(`${name('discount')} must be a number of 0 or more; got ${quote(rawDiscount)}`, 'Give the discount per unit as an amount, or leave it empty.');
		out.discount = discount;
	}
	const rawTax = values[keys.taxRate];
	if (rawTax !== undefined && rawTax !== '' && rawTax !== null) {
		const taxRate = number(rawTax);
		if (taxRate === undefined || taxRate < 0 || taxRate > 100) throw new InputError(`${name('taxRate')} must be a percentage from 0 to 100; got ${quote(rawTax)}`, 'Give the rate in percent, such as 20, or leave it empty.');
		out.taxRate = taxRate;
	}
	const rawIncluded = values[keys.taxIncluded];
	if (rawIncluded !== undefined && rawIncluded !== '' && rawIncluded !== null) {
		const included = rawIncluded === true || rawIncluded === 'Y' || rawIncluded === 'true' ? true : rawIncluded === false || rawIncluded === 'N' || rawIncluded === 'false' ? false : undefined;
		if (included === undefined) throw new InputError(`${name('taxIncluded')} must be true or false; got ${quote(rawIncluded)}`, 'Use true or false (Y or N is read too).');
		out.taxIncluded = included;
	}
	return { label, by: by as ProductBy, product, values: out };
}


/** Add's single row, from its fields. */
export function readSingleRow(context: IExecuteFunctions, itemIndex: number): RowInput {
	const values: IDataObject = {};
	for (const name of Object.values(EDITOR_KEYS)) values[name] = context.getNodeParameter(name, itemIndex, undefined) as IDataObject[string];
	return readRow('', context.getNodeParameter('productBy', itemIndex, 'id'), values, EDITOR_KEYS, 'Give the catalog product\'s ID, name or SKU, as Product By says, or the row\'s text for Free Text.');
}

/** Set's Rows list (the editor's fixedCollection `{ row: [...] }`). */
export function readEditorRows(context: IExecuteFunctions, itemIndex: number): RowInput[] {
	const collection = context.getNodeParameter('rows', itemIndex, {}) as IDataObject;
	const entries = Array.isArray(collection.row) ? (collection.row as IDataObject[]) : [];
	return entries.map((entry, k) => readRow(`Rows → Row ${k + 1}`, entry.productBy ?? 'id', entry, EDITOR_KEYS, "Give the catalog product's ID, name or SKU, as the row's Product By says, or the row's text for Free Text."));
}

/** The key of a line item each Product By reads the product from. */
const LINE_PRODUCT_KEYS: Record<ProductBy, string[]> = { id: ['productId'], name: ['name', 'productName'], sku: ['sku', 'xmlId'], freeText: ['name', 'productName'] };

const NOT_JSON = Symbol('not JSON');
/** JSON text as a value; undefined for empty text, NOT_JSON for text that is not JSON. */
function parseJson(text: string): unknown {
	if (text === '') return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return NOT_JSON;
	}
}

/**
 * Set's Line Items: an array of objects (`{{ $json.lineItems }}`), or its JSON text. Each line names its product by
 * the key Product By says (`productId`; `name` or `productName`; `sku` or `xmlId`), with `price`, `quantity` (1 when
 * missing), `discount`, `taxRate` and `taxIncluded`.
 */
export function readLineItems(context: IExecuteFunctions, itemIndex: number): RowInput[] {
	const by = context.getNodeParameter('productBy', itemIndex, 'id') as ProductBy;
	let raw = context.getNodeParameter('lineItems', itemIndex, '') as unknown;
	if (typeof raw === 'string') {
		const text = raw.trim();
		const parsed = parseJson(text);
		if (parsed === NOT_JSON) {
			throw new InputError(`Line Items must be a list of line items; got text that is not JSON: ${quote(text)}`, 'Map the list from the payment, such as {{ $json.lineItems }}, or write it as JSON: [{"sku": "SUP-HOUR", "price": 120, "quantity": 2}].');
		}
		raw = parsed;
	}
	if (!Array.isArray(raw)) {
		throw new InputError(`Line Items must be a list of line items; got ${quote(raw)}`, 'Map the list from the payment, such as {{ $json.lineItems }}: each line an object with the product, price and quantity.');
	}
	if (!PRODUCT_BY.includes(by)) return [readRow('', by, {}, EDITOR_KEYS, '')];
	return raw.map((line, k) => {
		const label = `Line Items → line ${k + 1}`;
		if (!line || typeof line !== 'object' || Array.isArray(line)) throw new InputError(`${label} must be an object; got ${quote(line)}`, 'Each line item is an object such as {"sku": "SUP-HOUR", "price": 120, "quantity": 2}.');
		const entry = line as IDataObject;
		const productKey = LINE_PRODUCT_KEYS[by].find((key) => entry[key] !== undefined && entry[key] !== null && entry[key] !== '') ?? LINE_PRODUCT_KEYS[by][0];
		return readRow(label, by, entry, { product: productKey, price: 'price', quantity: 'quantity', discount: 'discount', taxRate: 'taxRate', taxIncluded: 'taxIncluded' }, `Each line names its product by ${LINE_PRODUCT_KEYS[by].map((key) => `"${key}"`).join(' or ')} (Product By: ${by === 'id' ? 'Catalog ID' : by === 'name' ? 'Catalog Name' : by === 'sku' ? 'Catalog SKU' : 'Free Text'}).`);
	});
}

const describe = (product: CatalogProduct) =>
	`${product.id} "${product.name}"${product.xmlId ? ` (SKU ${product.xmlId})` : ''}${product.price !== undefined ? `, ${product.price}${product.currency ? ` ${product.currency}` : ''}` : ''}${product.active === false ? ', inactive' : ''}`;
/** Names and SKUs compared as a portal's database compares them: trimmed, without case. */
const key = (text: string) => text.trim().toLowerCase();

/**
 * The catalog products the rows of every item name by name or SKU: one search per kind for the whole run (not one per
 * row). Each item's rows with their product IDs, or the item's refusal naming the row, what it looked for and what
 * was found (nothing, or several products).
 */
export async function resolveRows(context: IExecuteFunctions, session: VibeSession, items: Array<{ itemIndex: number; rows: RowInput[] }>): Promise<Map<number, ResolvedRow[] | InputError>> {
	const wanted = (by: ProductBy) => [...new Set(items.flatMap(({ rows }) => rows.filter((row) => row.by === by).map((row) => String(row.product))))];
	const names = wanted('name');
	const skus = wanted('sku');
	const [byName, bySku] = await Promise.all([
		names.length ? findProducts.call(context, session, 'name', names) : [],
		skus.length ? findProducts.call(context, session, 'xmlId', skus) : [],
	]);
	/** A row with its product ID, or the refusal naming the row, what it looked for and what was found. */
	const resolve = (row: RowInput): ResolvedRow | InputError => {
		if (row.by === 'id') return { input: row, values: { productId: row.product as number, ...row.values } };
		if (row.by === 'freeText') return { input: row, values: { productId: 0, productName: String(row.product), ...row.values } };
		const [field, list, what] = row.by === 'name' ? (['name', byName, 'named'] as const) : (['xmlId', bySku, 'with the SKU'] as const);
		const found = list.filter((product) => key(product[field]) === key(String(row.product)));
		if (found.length === 1) return { input: row, values: { productId: found[0].id, ...row.values } };
		const where = named(row.label, 'Product');
		const refusal =
			found.length === 0
				? new InputError(`${where}: the catalog has no product ${what} ${quote(row.product)}`, `Check the ${row.by === 'name' ? 'name' : 'SKU'} against the catalog (CRM → Products), create the product there, or name it by Catalog ID.`)
				: new InputError(
						`${where}: ${found.length} catalog products are ${what} ${quote(row.product)}: ${found.map(describe).join('; ')}`,
						row.by === 'name' ? 'Name the product by Catalog ID or Catalog SKU instead, or give the products different names in the catalog.' : 'Give the products different SKUs in the catalog, or name this one by Catalog ID.',
					);
		return refusal.afterRead();
	};
	const out = new Map<number, ResolvedRow[] | InputError>();
	for (const { itemIndex, rows } of items) {
		const resolved = rows.map(resolve);
		const refused = resolved.find((row): row is InputError => row instanceof InputError);
		out.set(itemIndex, refused ?? (resolved as ResolvedRow[]));
	}
	return out;
}

/** What messages call a row: "Row 2 (product 11)", "line 2 (Support hour)". */
const rowName = (row: ResolvedRow, place: number) => {
	const label = row.input.label ? row.input.label.split(' → ').pop()! : `Row ${place + 1}`;
	const product = row.values.productId ? `product ${row.values.productId}` : row.values.productName !== undefined ? `"${row.values.productName}"` : '';
	return `${label.charAt(0).toUpperCase()}${label.slice(1)}${product ? ` (${product})` : ''}`;
};

/** What a failed proof says about running the item again, by operation. */
const AFTER_UNAPPLIED = {
	set: 'Set replaces all rows, so running the item again is safe once the cause is fixed.',
	add: 'The row was added: check it in Bitrix24 (or run Get Many) before running this item again, which would add another row.',
	update: 'The row was changed as far as Bitrix24 took it; running the item again is safe once the cause is fixed.',
};

const shown = (value: unknown) => (value === undefined ? 'nothing (VibeCode answered without the field)' : quote(value));

/**
 * The proof that each row sent is held by the row answered at its place: WRITE_NOT_APPLIED naming the record, each
 * row and field, when one is not, or when VibeCode answered another number of rows than were sent. Undefined when
 * every row holds what was sent.
 */
export function unappliedRows(context: IExecuteFunctions, owner: RowOwner, sent: ResolvedRow[], answered: IDataObject[], { itemIndex, kind }: { itemIndex: number; kind: 'set' | 'add' | 'update' }) {
	const lines: string[] = [];
	let rows = 0;
	if (answered.length !== sent.length) {
		lines.push(`${sent.length} row${sent.length === 1 ? ' was' : 's were'} sent; the ${ownerName(owner)} holds ${answered.length}.`);
		rows = Math.abs(sent.length - answered.length);
	}
	sent.forEach((row, place) => {
		const stored = answered[place];
		if (!stored) return;
		const misses = rowMismatches(row.values, stored);
		if (misses.length) rows++;
		for (const { field, sent: value, stored: kept } of misses) lines.push(`${rowName(row, place)}, ${ROW_LABELS[field]}: sent ${quote(value)}, stored ${shown(kept)}.`);
	});
	if (lines.length === 0) return undefined;
	const noun = owner.type.name;
	const message = `${noun} ${owner.id}'s product rows were saved, but ${rows === 1 && sent.length === answered.length ? 'a row does' : 'the rows do'} not hold what was sent`;
	const hint = [
		...lines,
		'Causes: a value Bitrix24 or a robot rewrote, a catalog product Bitrix24 replaced, or a change in VibeCode\'s body format (the fields page calls the discount discountSum).',
		AFTER_UNAPPLIED[kind],
		'Turn off Options → Check Written Values only if Bitrix24 rewrites row values on purpose.',
	].join('\n');
	const texts: Partial<Record<string, ErrorText>> = { WRITE_NOT_APPLIED: { message, hint } };
	return nodeError(context.getNode(), new ApiFailure('WRITE_NOT_APPLIED', { status: 200 }), { itemIndex, texts });
}

/** A refused free-text row in VibeCode's words (its pages require a catalog productId), said as what to do. */
export function freeTextTexts(rows: ResolvedRow[]): Partial<Record<string, ErrorText>> {
	if (!rows.some((row) => row.input.by === 'freeText')) return {};
	const text: ErrorText = {
		message: 'VibeCode refused a row without a catalog product (Product By: Free Text)',
		hint: "VibeCode's pages require a catalog productId on every row; this portal does not take Bitrix24's productId 0 with a name. Create the product in the catalog (CRM → Products) and name it by Catalog ID, Name or SKU.",
	};
	return { VALIDATION_ERROR: text, INVALID_PARAMS: text };
}
