import type { IDataObject } from 'n8n-workflow';

import { vibeRequest, type VibeContext, type VibeSession } from '../transport';
import { smartProcessId } from './entities';

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

export interface Pipeline {
	id: string;
	name: string;
	/** The pipeline a new record goes to when none is chosen (a deal's 0; a smart process's own default one). */
	isDefault?: boolean;
}

/** Whether the type's records sit in pipelines (`categoryId`): deals and smart-process items. */
export const hasPipelines = (type: string): boolean => type === 'deal' || smartProcessId(type) !== undefined;

/**
 * The type's pipelines, in the portal's order: deals' (GET /v1/deal-categories; pipeline 0, the default one, is always
 * there) or a smart process's (GET /v1/categories/{entityTypeId}, rows in data or data.categories, the default one
 * marked `isDefault`).
 */
export async function fetchPipelines(this: VibeContext, session: VibeSession, type = 'deal'): Promise<Pipeline[]> {
	const dynamic = smartProcessId(type);
	if (dynamic !== undefined) {
		const { data } = await vibeRequest.call(this, session, { method: 'GET', path: `/v1/categories/${dynamic}` });
		const rows = (Array.isArray(data) ? data : Array.isArray((data as IDataObject | undefined)?.categories) ? (data as IDataObject).categories : []) as IDataObject[];
		return rows.map((row) => {
			const isDefault = field(row, 'isDefault', 'IS_DEFAULT');
			return { id: text(field(row, 'id', 'ID')), name: text(field(row, 'name', 'NAME')), isDefault: isDefault === true || isDefault === 'Y' };
		});
	}
	const rows = await portalList.call(this, session, '/v1/deal-categories');
	const pipelines = rows.map((row) => ({ id: text(field(row, 'id', 'ID')), name: text(field(row, 'name', 'NAME')), isDefault: text(field(row, 'id', 'ID')) === '0' }));
	if (!pipelines.some(({ id }) => id === '0')) pipelines.unshift({ id: '0', name: 'General', isDefault: true });
	return pipelines;
}

/** The pipeline a record goes to when none is chosen: the one marked default, else the first. */
export const defaultPipeline = (pipelines: Pipeline[]): string => (pipelines.find(({ isDefault }) => isDefault) ?? pipelines[0])?.id ?? '0';

/** The /v1/statuses list of one pipeline's stages: a deal's DEAL_STAGE(_{n}), a smart process's DYNAMIC_{id}_STAGE_{n}. */
export function pipelineStageList(type: string, pipeline: string | number): string {
	const dynamic = smartProcessId(type);
	return dynamic !== undefined ? `DYNAMIC_${dynamic}_STAGE_${pipeline}` : dealStageList(pipeline);
}

/** The pipeline a stage ID names: Bitrix24 prefixes a deal stage of pipeline n with `C{n}:`, a smart process's with `DT{id}_{n}:`. */
export function pipelineOfStage(type: string, stageId: string): string | undefined {
	const dynamic = smartProcessId(type);
	const prefix = dynamic !== undefined ? new RegExp(`^DT${dynamic}_(\\d+):`) : /^C(\d+):/;
	return prefix.exec(stageId)?.[1];
}

/** A pipeline as messages name it: "General (0)". */
export const pipelineLabel = (pipelines: Pipeline[], id: string | number): string => {
	const name = pipelines.find((pipeline) => pipeline.id === String(id))?.name;
	return name ? `"${name} (${id})"` : String(id);
};

/** A stage as messages name it: "Deal lost (LOSE)". */
export const stageLabel = (stage: Stage): string => (stage.name && stage.name !== stage.id ? `"${stage.name} (${stage.id})"` : `"${stage.id}"`);

/** The /v1/statuses list of a deal pipeline: DEAL_STAGE for pipeline 0, DEAL_STAGE_{n} for the others. */
export const dealStageList = (pipeline: string | number): string => (String(pipeline) === '0' ? 'DEAL_STAGE' : `DEAL_STAGE_${pipeline}`);

/**
 * The one /v1/statuses list a stage (a lead's status) is looked up in: the chosen deal pipeline's, else the one its
 * ID names (Bitrix24 prefixes a deal stage of pipeline n with `C{n}:`, an invoice stage of category n with
 * `DT31_{n}:`); `fallback` (the stage field's list from /fields) for an invoice stage without the prefix.
 */
export function stageListOf(
	type: string,
	stageId: string,
	{ pipeline, fallback, defaultPipeline = '0' }: { pipeline?: number; fallback?: string; defaultPipeline?: string } = {},
): string | undefined {
	if (type === 'lead') return 'STATUS';
	if (type === 'quote') return 'QUOTE_STATUS';
	if (hasPipelines(type)) return pipelineStageList(type, pipeline ?? pipelineOfStage(type, stageId) ?? defaultPipeline);
	if (type === 'invoice') {
		const category = /^DT31_(\d+):/.exec(stageId)?.[1];
		return category ? `SMART_INVOICE_STAGE_${category}` : (fallback ?? 'SMART_INVOICE_STAGE_2');
	}
	return undefined;
}

/** The stages of one /v1/statuses list, filtered by the server (`filter[entityId]`), in the portal's order. */
export async function fetchStageList(this: VibeContext, session: VibeSession, type: string, list: string): Promise<Stage[]> {
	const rows = await portalList.call(this, session, '/v1/statuses', { 'filter[entityId]': list });
	return rows.filter((row) => text(field(row, 'entityId', 'ENTITY_ID')) === list).map((row) => toStage(type, row));
}

function toStage(type: string, row: IDataObject): Stage {
	const id = text(field(row, 'statusId', 'STATUS_ID'));
	const category = field(row, 'categoryId', 'CATEGORY_ID');
	return {
		id,
		name: text(field(row, 'name', 'NAME')) || id,
		pipeline: hasPipelines(type) || type === 'invoice' ? text(category ?? pipelineOfStage(type, id) ?? '0') || '0' : '',
	};
}

/**
 * The stages (or lead statuses) of an entity type for the editor's list: one list at a time (a deal pipeline's,
 * every pipeline's in turn while none is chosen, lead or quote statuses); invoices' stages of every category, which
 * VibeCode gives no category list for, by the list-name prefix.
 */
export async function fetchStages(this: VibeContext, session: VibeSession, type: string, pipeline = ''): Promise<Stage[]> {
	if (hasPipelines(type)) {
		const pipelines = pipeline === '' ? (await fetchPipelines.call(this, session, type)).map(({ id }) => id) : [pipeline];
		return (await Promise.all(pipelines.map(async (id) => await fetchStageList.call(this, session, type, pipelineStageList(type, id))))).flat();
	}
	if (type === 'invoice') {
		const rows = await portalList.call(this, session, '/v1/statuses');
		return rows.filter((row) => text(field(row, 'entityId', 'ENTITY_ID')).startsWith('SMART_INVOICE_STAGE_')).map((row) => toStage(type, row));
	}
	const list = stageListOf(type, '');
	return list ? await fetchStageList.call(this, session, type, list) : [];
}
