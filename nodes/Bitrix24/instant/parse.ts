/**
 * What Bitrix24 sends, read into plain JSON. Bitrix24 posts `application/x-www-form-urlencoded` bodies with
 * bracketed keys (`data[FIELDS][ID]=5141`, `auth[application_token]=…`, the robot's `document_id[]=crm` or
 * `document_id[0]=crm`). n8n 1.x and 2.x parse such a body with Node's querystring, so the node gets the keys flat
 * ("data[FIELDS][ID]"); another parser (or a JSON body) may give them nested (`data.FIELDS.ID`). Both are read
 * the same way: the keys are first unfolded into nested objects.
 */
import type { IDataObject } from 'n8n-workflow';

import { SMART_PROCESS_ITEM } from '../helpers/entities';

/** Bitrix24's CRM event names by entity: ONCRM{ENTITY}{ADD|UPDATE|DELETE}. */
const EVENT_ENTITIES: Record<string, string> = { DEAL: 'deal', LEAD: 'lead', CONTACT: 'contact', COMPANY: 'company', QUOTE: 'quote' };
const ACTIONS: Record<string, Action> = { ADD: 'add', UPDATE: 'update', DELETE: 'delete' };
/** Smart invoices are Bitrix24's dynamic type 31: ONCRMDYNAMICITEM… with data[FIELDS][ENTITY_TYPE_ID]=31. */
export const INVOICE_TYPE_ID = 31;
/** A robot's document: the third part of document_id (`DEAL_123`), by entity. */
const DOCUMENT_ENTITIES: Record<string, string> = {
	DEAL: 'deal',
	LEAD: 'lead',
	CONTACT: 'contact',
	COMPANY: 'company',
	QUOTE: 'quote',
	SMART_INVOICE: 'invoice',
	[`DYNAMIC_${INVOICE_TYPE_ID}`]: 'invoice',
};
/** What a robot call carries besides the parameters the user added to it. */
const ROBOT_KEYS = new Set(['document_id', 'document_type', 'auth', 'event_token', 'ts', 'workflow_id', 'code']);
/** Keys that would reach an object's prototype: never followed. */
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

export type Action = 'add' | 'update' | 'delete';

/** One call from Bitrix24, read. `token` is only for the check: it is never part of the output. */
export interface Delivery {
	kind: 'event' | 'robot' | 'unknown';
	/** Bitrix24's event name (ONCRMDEALUPDATE), or ROBOT for the Webhook robot's call. */
	event: string;
	/** The CRM entity type (deal, lead, contact, company, quote, invoice, a smart process's `dynamic_{id}`); undefined for anything else. */
	entityType?: string;
	action?: Action;
	/** The record's ID; undefined when the call carries none that is a positive whole number. */
	id?: number;
	/** Bitrix24's timestamp of the event (Unix seconds), as a number when it is one. */
	ts?: number | string;
	/** The outgoing webhook's handler ID (`event_handler_id`). */
	handlerId?: string;
	portal?: string;
	memberId?: string;
	token?: string;
	/** data[FIELDS]: for most CRM events the ID only. */
	fields: IDataObject;
	/** The robot's document_id (["crm", "CCrmDocumentDeal", "DEAL_123"]) and document_type. */
	document?: string[];
	documentType?: string[];
	/** The robot's own parameters: the rest of its body and the URL's query. */
	params?: IDataObject;
	/** The robot's event_token, when it sends one. */
	eventToken?: string;
}

const isObject = (value: unknown): value is IDataObject => value !== null && typeof value === 'object' && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
	typeof value === 'string' ? value : typeof value === 'number' ? String(value) : Array.isArray(value) ? text(value[value.length - 1]) : undefined;

/** `data[FIELDS][ID]` → ['data', 'FIELDS', 'ID']; `document_id[]` → ['document_id', '']. */
function keyPath(key: string): string[] {
	const match = /^([^[\]]+)((?:\[[^[\]]*\])+)$/.exec(key);
	if (!match) return [key];
	return [match[1], ...[...match[2].matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1])];
}

/** Puts `value` at `path` in `target`; `''` appends to a list; objects met on the way are merged. */
function assign(target: IDataObject | unknown[], path: string[], value: unknown): void {
	const [head, ...rest] = path;
	if (UNSAFE.has(head)) return;
	if (head === '') {
		const list = target as unknown[];
		if (rest.length === 0) {
			list.push(...(Array.isArray(value) ? value : [value]));
			return;
		}
		const child: IDataObject | unknown[] = rest[0] === '' ? [] : {};
		list.push(child);
		assign(child, rest, value);
		return;
	}
	const object = target as IDataObject;
	if (rest.length === 0) {
		if (isObject(value)) {
			const existing = isObject(object[head]) ? (object[head] as IDataObject) : (object[head] = {});
			for (const [key, inner] of Object.entries(value)) assign(existing, keyPath(key), inner);
		} else {
			object[head] = value as IDataObject[string];
		}
		return;
	}
	const wantList = rest[0] === '';
	let child = object[head] as unknown;
	if (wantList ? !Array.isArray(child) : !isObject(child) && !Array.isArray(child)) {
		child = wantList ? [] : {};
		object[head] = child as IDataObject[string];
	}
	assign(child as IDataObject | unknown[], rest, value);
}

/** An object keyed 0, 1, 2… (`document_id[0]=…`) becomes a list, at every depth. */
function lists(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(lists);
	if (!isObject(value)) return value;
	const keys = Object.keys(value);
	const out: IDataObject = {};
	for (const key of keys) out[key] = lists(value[key]) as IDataObject[string];
	if (keys.length > 0 && keys.every((key, index) => key === String(index))) return keys.map((key) => out[key]);
	return out;
}

/** A body (or query) with bracketed keys, flat or nested, as nested plain objects. */
export function unfold(input: unknown): IDataObject {
	const out: IDataObject = {};
	if (isObject(input)) for (const [key, value] of Object.entries(input)) assign(out, keyPath(key), value);
	return lists(out) as IDataObject;
}

const positiveId = (value: unknown): number | undefined => {
	const number = Number(text(value));
	return Number.isSafeInteger(number) && number > 0 ? number : undefined;
};

/** Reads one call: `body` as n8n gives it, `query` the URL's query (a robot's URL may carry the user's parameters). */
export function parseDelivery(body: unknown, query: unknown = {}): Delivery {
	const data = unfold(body);
	const auth = isObject(data.auth) ? data.auth : {};
	const tsText = text(data.ts);
	const common = {
		ts: tsText !== undefined && /^\d+$/.test(tsText) ? Number(tsText) : tsText,
		portal: text(auth.domain),
		memberId: text(auth.member_id),
		token: text(auth.application_token),
	};
	const event = (text(data.event) ?? '').trim().toUpperCase();

	if (event) {
		const inner = isObject(data.data) ? data.data : {};
		const fields = isObject(inner.FIELDS) ? inner.FIELDS : {};
		const crm = /^ONCRM(DEAL|LEAD|CONTACT|COMPANY|QUOTE|DYNAMICITEM)(ADD|UPDATE|DELETE)$/.exec(event);
		const entityType = !crm
			? undefined
			: crm[1] === 'DYNAMICITEM'
				? dynamicEntity(positiveId(fields.ENTITY_TYPE_ID))
				: EVENT_ENTITIES[crm[1]];
		return {
			kind: 'event',
			event,
			entityType,
			action: crm ? ACTIONS[crm[2]] : undefined,
			id: positiveId(fields.ID),
			handlerId: text(data.event_handler_id),
			fields,
			...common,
		};
	}

	const document = Array.isArray(data.document_id) ? data.document_id.map((part) => text(part) ?? '') : undefined;
	if (document) {
		const match = /^([A-Z_]+?|DYNAMIC_\d+)_(\d+)$/.exec(document[2] ?? '');
		const params: IDataObject = {};
		for (const [key, value] of Object.entries(unfold(query))) params[key] = value;
		for (const [key, value] of Object.entries(data)) if (!ROBOT_KEYS.has(key)) params[key] = value;
		return {
			kind: 'robot',
			event: 'ROBOT',
			entityType: match ? (DOCUMENT_ENTITIES[match[1]] ?? dynamicEntity(/^DYNAMIC_(\d+)$/.exec(match[1]) ? Number(match[1].slice(8)) : undefined)) : undefined,
			id: match ? positiveId(match[2]) : undefined,
			fields: {},
			document,
			documentType: Array.isArray(data.document_type) ? data.document_type.map((part) => text(part) ?? '') : undefined,
			params,
			eventToken: text(data.event_token),
			...common,
		};
	}
	return { kind: 'unknown', event: '', fields: {}, ...common };
}

/**
 * A dynamic type's entity: 31 is the smart invoice, any other a smart process's items (`dynamic_1038`); undefined
 * without a type ID.
 */
function dynamicEntity(entityTypeId: number | undefined): string | undefined {
	if (entityTypeId === undefined) return undefined;
	return entityTypeId === INVOICE_TYPE_ID ? 'invoice' : `dynamic_${entityTypeId}`;
}

/**
 * The Events option a delivery belongs to: `deal.update`, `invoice.add`, `smartProcessItem.update` (any smart
 * process: which ones count is the Smart Process Types parameter's, see {@link eventChosen}), `robot`; undefined for
 * anything else.
 */
export function eventOption(delivery: Delivery): string | undefined {
	if (delivery.kind === 'robot') return 'robot';
	const entity = delivery.entityType?.startsWith('dynamic_') ? SMART_PROCESS_ITEM : delivery.entityType;
	if (delivery.kind === 'event' && entity && delivery.action) return `${entity}.${delivery.action}`;
	return undefined;
}

/** Whether the delivery is among the chosen Events, and a smart process's item event among the chosen Smart Process Types. */
export function eventChosen(delivery: Delivery, events: string[], smartProcessTypes: number[]): boolean {
	const option = eventOption(delivery);
	if (!option || !events.includes(option)) return false;
	const dynamic = delivery.kind === 'event' ? /^dynamic_(\d+)$/.exec(delivery.entityType ?? '') : null;
	return !dynamic || smartProcessTypes.includes(Number(dynamic[1]));
}

/**
 * What identifies one delivery for the duplicate check: the event, the handler, the record and Bitrix24's
 * timestamp. A call without a timestamp (or, for a robot, without an event token) has nothing that tells a repeat
 * from a new call, so it is never taken for a duplicate.
 */
export function deliveryKey(delivery: Delivery): string | undefined {
	if (delivery.kind === 'robot') {
		const stamp = delivery.eventToken ?? (delivery.ts === undefined ? undefined : String(delivery.ts));
		return stamp === undefined ? undefined : ['ROBOT', (delivery.document ?? []).join('/'), stamp].join('|');
	}
	if (delivery.ts === undefined) return undefined;
	return [delivery.event, delivery.handlerId ?? '', delivery.entityType ?? '', delivery.id ?? text(delivery.fields.ID) ?? '', String(delivery.ts)].join('|');
}

/** The delivery as the workflow sees it: plain JSON, without the application token. */
export function deliveryJson(delivery: Delivery): IDataObject {
	const json: IDataObject = { event: delivery.event };
	const put = (key: string, value: unknown) => {
		if (value !== undefined) json[key] = value as IDataObject[string];
	};
	put('entityType', delivery.entityType);
	put('action', delivery.action);
	put('id', delivery.id);
	put('ts', delivery.ts);
	put('handlerId', delivery.handlerId);
	put('portal', delivery.portal);
	put('memberId', delivery.memberId);
	if (delivery.kind === 'robot') {
		put('document', delivery.document);
		put('documentType', delivery.documentType);
		put('params', delivery.params);
	} else {
		json.fields = delivery.fields;
	}
	return json;
}
