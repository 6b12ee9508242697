/** What the Product Row tests share: parameters as the editor stores them, and what the sandbox was sent and holds. */
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../../sandbox/server';

export const productRow = (operation: string, parameters: IDataObject = {}): IDataObject => ({
	resource: 'productRow',
	operation,
	productRowEntityType: 'deal',
	recordId: '5141',
	...parameters,
	options: { maxWait: 1, ...((parameters.options as IDataObject) ?? {}) },
});

/** A row of Set's Rows list as the editor stores it. */
export const editorRow = (product: string | number, price: number, quantity = 1, extra: IDataObject = {}): IDataObject => ({ productBy: 'id', product: String(product), price, quantity, ...extra });

/** The requests the node sent (method and path), without the credential's own calls. */
export const sent = (sandbox: Sandbox) => sandbox.requests.filter((r) => r.path.startsWith('/v1/') && r.path !== '/v1/me').map((r) => `${r.method} ${r.path}`);

interface StoredRow {
	id: number;
	productId: number;
	productName: string;
	price: number;
	quantity: number;
	discount: number;
	taxRate: number | null;
	taxIncluded: boolean;
}

/** The rows the sandbox holds for a record ("deal:5141"), as [productId, price, quantity]. */
export const storedRows = (sandbox: Sandbox, key: string) =>
	(sandbox.store<{ rows: Record<string, StoredRow[]> }>('productRows').rows[key] ?? []).map((row) => [row.productId, row.price, row.quantity]);

export const storedRowIds = (sandbox: Sandbox, key: string) => (sandbox.store<{ rows: Record<string, StoredRow[]> }>('productRows').rows[key] ?? []).map((row) => row.id);
