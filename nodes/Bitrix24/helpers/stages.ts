import type { IDataObject } from 'n8n-workflow';

import { vibeRequest, type VibeContext, type VibeSession } from '../transport';

/** One field of an answer in camelCase or in Bitrix24's upper case (VibeCode answers both ways). */
export const field = (row: IDataObject, camel: string, upper: string): unknown => row[camel] ?? row[upper];
export const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/** A page of a portal list (GET /v1/deal-categories, /v1/statuses, /v1/users): at most 500 rows. */
export async function portalList(this: VibeContext, session: VibeSession, path: string, qs: IDataObject = {}): Promise<IDataObject[]> {
	const { data } = await vibeRequest.call(this, session, { method: 'GET', path, qs: { limit: 500, ...qs } });
	return Array.isArray(data) ? (data as IDataObject[]) : [];
}

export interface Stage {
	id: string;
	name: string;
	/** The deal pipeline (or invoice category) the stage belongs to, as text; '' for leads and quotes. */
	pipeline: string;
}

/**
 * Which /v1/statuses list holds an entity type's stages: one exact list (lead statuses, quote statuses, one deal
 * pipeline's stages) or, while no deal pipeline is chosen, every list with a prefix (all pipelines, all invoice
 * categories). Undefined for types without stages.
 */
export function stageLists(type: string, pipeline = ''): { exact?: string; prefix?: string } | undefined {
	if (type === 'lead') return { exact: 'STATUS' };
	if (type === 'quote') return { exact: 'QUOTE_STATUS' };
	if (type === 'invoice') return { prefix: 'SMART_INVOICE_STAGE_' };
	if (type === 'deal') return pipeline === '' ? { prefix: 'DEAL_STAGE' } : { exact: pipeline === '0' ? 'DEAL_STAGE' : `DEAL_STAGE_${pipeline}` };
	return undefined;
}

/** The stages (or lead statuses) of an entity type, of one deal pipeline when given, in the portal's order. */
export async function fetchStages(this: VibeContext, session: VibeSession, type: string, pipeline = ''): Promise<Stage[]> {
	const lists = stageLists(type, pipeline);
	if (!lists) return [];
	const rows = await portalList.call(this, session, '/v1/statuses', lists.exact ? { 'filter[entityId]': lists.exact } : {});
	return rows
		.filter((row) => {
			const list = text(field(row, 'entityId', 'ENTITY_ID'));
			return lists.exact ? list === lists.exact : list.startsWith(lists.prefix!);
		})
		.map((row) => {
			const id = text(field(row, 'statusId', 'STATUS_ID'));
			const category = field(row, 'categoryId', 'CATEGORY_ID');
			return {
				id,
				name: text(field(row, 'name', 'NAME')) || id,
				pipeline: type === 'deal' || type === 'invoice' ? text(category ?? '0') || '0' : '',
			};
		});
}
