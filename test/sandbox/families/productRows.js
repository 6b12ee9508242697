'use strict';
/**
 * A record's product rows (`/v1/{deals|quotes|invoices|leads}/:id/products`, `/v1/items/:entityTypeId/:id/products`)
 * and the catalog they point at (`/v1/products`), as docs/vibecode-contract.md, "Product rows", describes them: the
 * older docs' Products pages (no current page found), the current products page for the catalog. Rows are stored per
 * record with IDs of their own; after every change the record's amount is the sum of price × quantity (Bitrix24's
 * `price` is the unit price with discount and tax applied), written with `context.updateRecord`.
 *
 * Strict where the pages say: `items` must be an array (`400 INVALID_PARAMS "items must be an array"`), `productId`,
 * `price` and `quantity` are required numbers in a Set, `productId` in an Add, `taxIncluded` a boolean; a missing
 * record or row is `404 ENTITY_NOT_FOUND`; a read-only key may not write. Keys the pages do not name are dropped, as
 * the record API drops them. Options, the documented reading first:
 * - `rowDiscount`: `discount` (the bodies' name) or `discountSum` (the fields page's name: a `discount` sent is dropped);
 * - `rowTaxIncluded`: answers carry `taxIncluded` as `boolean` (the pages' answers) or `yn` (the fields page's char Y/N);
 * - `freeTextRows`: `refused` (the pages: a row needs a catalog `productId`) or `accepted` (Bitrix24's own reading:
 *   `productId: 0` with a `productName`);
 * - `rowIds`: `listed` (the list and Set answers carry each row's `id`; the delete page takes it "from the list") or
 *   `notListed` (the list and Set examples show none).
 */

/** The entity paths with product rows → the sandbox's CRM type and the field Bitrix24 keeps the amount in. */
const OWNERS = {
	deals: { type: 'deal', amount: 'amount' },
	leads: { type: 'lead', amount: 'amount' },
	quotes: { type: 'quote', amount: 'amount' },
	invoices: { type: 'invoice', amount: 'opportunity' },
};
const ROWS_PATH = /^\/v1\/(deals|leads|quotes|invoices|items\/(\d+))\/(\d+)\/products(?:\/([^/]+))?$/;
const PRODUCTS_PATH = /^\/v1\/products(?:\/([^/]+))?$/;

/** The catalog (crm.product.*), camelCase as the current products page answers it. */
const PRODUCTS = [
	{ id: 11, name: 'Support hour', active: true, price: 120, currency: 'USD', sectionId: 1, catalogId: 25, measure: 9, description: 'One hour of support', sort: 100, xmlId: 'SUP-HOUR' },
	{ id: 12, name: 'Website redesign package', active: true, price: 12000, currency: 'USD', sectionId: 1, catalogId: 25, measure: 9, description: '', sort: 200, xmlId: 'WEB-001' },
	{ id: 13, name: 'Office chair', active: true, price: 230, currency: 'EUR', sectionId: 2, catalogId: 25, measure: 9, description: 'Black', sort: 300, xmlId: 'CHAIR-BLK' },
	{ id: 14, name: 'Office chair', active: true, price: 260, currency: 'EUR', sectionId: 2, catalogId: 25, measure: 9, description: 'Grey', sort: 400, xmlId: 'CHAIR-GRY' },
	{ id: 15, name: 'Installation', active: false, price: 500, currency: 'USD', sectionId: 1, catalogId: 25, measure: 9, description: 'Retired', sort: 500, xmlId: 'INST' },
];
/** The catalog's fields, as GET /v1/products/fields would list them (filters and sorts are checked against it). */
const PRODUCT_FIELDS = Object.fromEntries(
	[
		['id', 'integer', true],
		['name', 'string'],
		['active', 'boolean'],
		['price', 'double'],
		['currency', 'string'],
		['sectionId', 'integer'],
		['catalogId', 'integer'],
		['measure', 'integer'],
		['description', 'string'],
		['sort', 'integer'],
		['xmlId', 'string'],
	].map(([name, type, readOnly = false]) => [name, { type, isRequired: name === 'name', isReadOnly: readOnly, isMultiple: false, title: name }]),
);

/** Rows already on seed records: their amounts match the SEED's (40 support hours = 4800, 10 chairs = 2300). */
const SEED_ROWS = {
	'deal:5142': [{ productId: 11, price: 120, quantity: 40 }],
	'invoice:501': [{ productId: 13, price: 230, quantity: 10 }],
	'dynamic_1038:1': [{ productId: 11, price: 120, quantity: 40 }],
};

const ROW_KEYS = ['productId', 'price', 'quantity', 'discount', 'taxRate', 'taxIncluded'];
const PATCH_KEYS = [...ROW_KEYS, 'sort'];

module.exports = (context) => {
	const { HttpError } = context;
	let rows;
	let nextRowId;
	const config = () => context.sandbox.config;

	const reset = () => {
		rows = new Map();
		nextRowId = 1461;
		for (const [key, list] of Object.entries(SEED_ROWS)) rows.set(key, list.map((row) => stored(row)));
	};

	/** A row as Bitrix24 keeps it; `name` for a free-text row, else the catalog product's name. */
	function stored({ productId, price, quantity, discount = 0, taxRate = null, taxIncluded = false, sort = 0 }, name) {
		const product = PRODUCTS.find((candidate) => candidate.id === productId);
		return {
			id: nextRowId++,
			productId,
			productName: product ? product.name : name ?? '',
			price,
			quantity,
			discount,
			discountTypeId: 1,
			taxRate,
			taxIncluded,
			measureCode: 796,
			measureName: 'pcs',
			sort,
		};
	}

	/** A row as an answer shows it: `whole` (get one, update) with every field, else the list's fields. */
	function answerRow(row, whole = false) {
		const taxIncluded = config().rowTaxIncluded === 'yn' ? (row.taxIncluded ? 'Y' : 'N') : row.taxIncluded;
		const short = { productId: row.productId, productName: row.productName, price: row.price, quantity: row.quantity, discount: row.discount, taxRate: row.taxRate, taxIncluded };
		if (whole) return { id: row.id, ...short, discountTypeId: row.discountTypeId, priceExclusive: row.price, measureCode: row.measureCode, measureName: row.measureName, sort: row.sort };
		return config().rowIds === 'listed' ? { id: row.id, ...short } : short;
	}

	/** The record the path names, or 404 ENTITY_NOT_FOUND. */
	function ownerOf(path) {
		const match = ROWS_PATH.exec(path);
		const owner = match[2] ? { type: `dynamic_${match[2]}`, amount: 'opportunity' } : OWNERS[match[1]];
		const id = Number(match[3]);
		if (!context.record(owner.type, id)) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Item not found');
		return { ...owner, id, key: `${owner.type}:${id}`, sub: match[4] };
	}

	/** The record's amount after a change: Σ price × quantity, to the cent. */
	function recompute(owner) {
		const total = (rows.get(owner.key) ?? []).reduce((sum, row) => sum + row.price * row.quantity, 0);
		context.updateRecord(owner.type, owner.id, { [owner.amount]: Math.round(total * 100) / 100 });
	}

	/**
	 * One row of a body, checked as the pages type it; `required` the keys it must have. Returns the row's values (the
	 * discount read from the key `rowDiscount` names; keys the pages do not name dropped) and a free-text row's name.
	 */
	function readRow(body, required, where, keys = ROW_KEYS) {
		if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'VALIDATION_ERROR', `${where || 'body'}: Expected object, received ${Array.isArray(body) ? 'array' : typeof body}`);
		const at = (name) => (where ? `${where}.${name}` : name);
		const discountKey = config().rowDiscount;
		const values = {};
		for (const name of keys) {
			const key = name === 'discount' ? discountKey : name;
			const value = body[key];
			if (value === undefined || (value === null && name === 'taxRate')) {
				if (required.includes(name)) throw new HttpError(400, 'VALIDATION_ERROR', `${at(name)}: Required`);
				if (value === null) values[name] = null;
				continue;
			}
			if (name === 'taxIncluded') {
				if (typeof value !== 'boolean') throw new HttpError(400, 'VALIDATION_ERROR', `${at(name)}: Expected boolean, received ${typeof value}`);
			} else if (typeof value !== 'number' || !Number.isFinite(value)) {
				throw new HttpError(400, 'VALIDATION_ERROR', `${at(key)}: Expected number, received ${value === null ? 'null' : typeof value}`);
			}
			values[name] = value;
		}
		let name;
		if (values.productId !== undefined) {
			const freeText = values.productId === 0 && config().freeTextRows === 'accepted';
			if (!freeText && !(Number.isInteger(values.productId) && values.productId > 0)) {
				throw new HttpError(400, 'VALIDATION_ERROR', `${at('productId')}: Number must be a positive integer`);
			}
			if (freeText) {
				name = typeof body.productName === 'string' ? body.productName.trim() : '';
				if (!name) throw new HttpError(400, 'VALIDATION_ERROR', `${at('productName')}: Required for a row without a catalog product`);
			} else if (!PRODUCTS.some((product) => product.id === values.productId)) {
				throw new HttpError(422, 'BITRIX_ERROR', `Product ${values.productId} is not found`);
			}
		}
		if (values.quantity !== undefined && values.quantity <= 0) throw new HttpError(400, 'VALIDATION_ERROR', `${at('quantity')}: Number must be greater than 0`);
		return { values, name };
	}

	const blockWrite = (caller, action) => {
		if (caller.accessMode === 'READONLY') throw new HttpError(403, 'WRITE_BLOCKED_READONLY_KEY', `Write blocked: crm.productrow.${action}`);
	};

	function routeRows(req, path, raw, caller) {
		const method = req.method;
		// A write is refused for a read-only key before the record is looked up, as the record API refuses it.
		if (method !== 'GET') blockWrite(caller, method === 'PUT' ? 'set' : method === 'POST' ? 'add' : method === 'PATCH' ? 'update' : 'delete');
		const owner = ownerOf(path);
		const list = rows.get(owner.key) ?? [];
		if (owner.sub === undefined) {
			if (method === 'GET') return [200, { success: true, data: list.map((row) => answerRow(row)) }];
			if (method === 'PUT') {
				const body = context.parseBody(req, raw);
				if (!Array.isArray(body.items)) throw new HttpError(400, 'INVALID_PARAMS', 'items must be an array');
				// Every row is checked before any is stored: a refused Set changes nothing.
				const read = body.items.map((item, index) => readRow(item, ['productId', 'price', 'quantity'], `items[${index}]`));
				rows.set(owner.key, read.map(({ values, name }) => stored(values, name)));
				recompute(owner);
				return [200, { success: true, data: rows.get(owner.key).map((row) => answerRow(row)) }];
			}
			if (method === 'POST') {
				const { values, name } = readRow(context.parseBody(req, raw), ['productId'], '');
				const row = stored({ price: 0, quantity: 1, ...values }, name);
				rows.set(owner.key, [...list, row]);
				recompute(owner);
				return [201, { success: true, data: { id: row.id } }];
			}
			return undefined;
		}
		if (!/^\d+$/.test(owner.sub)) throw new HttpError(400, 'INVALID_PARAMS', `Invalid row ID: ${owner.sub}`);
		const row = list.find((candidate) => candidate.id === Number(owner.sub));
		if (!row) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Item not found');
		if (method === 'GET') return [200, { success: true, data: answerRow(row, true) }];
		if (method === 'PATCH') {
			const { values, name } = readRow(context.parseBody(req, raw), [], '', PATCH_KEYS);
			if (values.productId !== undefined) {
				const product = PRODUCTS.find((candidate) => candidate.id === values.productId);
				row.productName = product ? product.name : name;
			}
			Object.assign(row, values);
			recompute(owner);
			return [200, { success: true, data: answerRow(row, true) }];
		}
		if (method === 'DELETE') {
			rows.set(owner.key, list.filter((candidate) => candidate !== row));
			recompute(owner);
			return [204, undefined];
		}
		return undefined;
	}

	function routeProducts(req, path, url, raw) {
		const sub = PRODUCTS_PATH.exec(path)[1];
		const listOf = (body) => {
			for (const [rawKey, condition] of Object.entries(body.filter && typeof body.filter === 'object' ? body.filter : {})) {
				const { field } = context.conditionsOf(rawKey, condition);
				if (!PRODUCT_FIELDS[field]) throw new HttpError(400, 'INVALID_FILTER_FIELD', `Unknown filter field: ${field}`);
			}
			for (const [field] of context.normaliseSort(body.sort ?? body.order ?? 'id')) {
				if (!PRODUCT_FIELDS[field]) throw new HttpError(400, 'UNKNOWN_SORT_FIELD', `Unknown sort field: ${field}`);
			}
			return context.listItems(structuredClone(PRODUCTS), body, PRODUCT_FIELDS);
		};
		if (req.method === 'GET' && sub === undefined) return [200, listOf(context.queryOf(url))];
		if (req.method === 'POST' && sub === 'search') return [200, listOf(context.parseBody(req, raw))];
		if (req.method === 'GET' && sub === 'fields') return [200, { success: true, data: { fields: structuredClone(PRODUCT_FIELDS) } }];
		if (req.method === 'GET' && /^\d+$/.test(sub)) {
			const product = PRODUCTS.find((candidate) => candidate.id === Number(sub));
			if (!product) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Product not found');
			return [200, { success: true, data: structuredClone(product) }];
		}
		return undefined;
	}

	return {
		name: 'productRows',
		reset,
		options: {
			rowDiscount: { values: ['discount', 'discountSum'] },
			rowTaxIncluded: { values: ['boolean', 'yn'] },
			freeTextRows: { values: ['refused', 'accepted'] },
			rowIds: { values: ['listed', 'notListed'] },
		},
		// The current products page and the older Products pages of each record: scope crm.
		scopes: (path) => (ROWS_PATH.test(path) || PRODUCTS_PATH.test(path) ? ['crm'] : undefined),
		// Not listed in GET /v1/me's entities: the sandbox's /v1/me lists the entities the node's tests pick under Other
		// Entity, and no page says how VibeCode lists the catalog there.
		route(req, path, url, raw, caller) {
			if (ROWS_PATH.test(path)) return routeRows(req, path, raw, caller);
			if (PRODUCTS_PATH.test(path)) return routeProducts(req, path, url, raw);
			return undefined;
		},
		store: () => ({
			rows: Object.fromEntries([...rows].map(([key, list]) => [key, structuredClone(list)])),
			products: structuredClone(PRODUCTS),
		}),
	};
};
