import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { openSession, vibeRequest, type VibeSession } from '../transport';

/** One field of an answer in camelCase or in Bitrix24's upper case (VibeCode answers both ways). */
const read = (row: IDataObject, camel: string, upper: string) => row[camel] ?? row[upper];
const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

async function list(this: ILoadOptionsFunctions, session: VibeSession, path: string, qs: IDataObject = {}) {
	const { data } = await vibeRequest.call(this, session, { method: 'GET', path, qs: { limit: 500, ...qs } });
	return Array.isArray(data) ? (data as IDataObject[]) : [];
}

/** The node's chosen pipeline: the Pipeline parameter of Entered Stage, else the Pipeline filter. */
function chosenPipeline(this: ILoadOptionsFunctions): string {
	const top = this.getCurrentNodeParameter('pipeline');
	const filters = (this.getCurrentNodeParameter('filters') ?? {}) as IDataObject;
	return text(top !== undefined && top !== '' ? top : filters.categoryId);
}

/** Deal pipelines (GET /v1/deal-categories); pipeline 0 is the default one. */
export async function getPipelines(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const session = await openSession.call(this, { maxRetries: 1 });
	const rows = await list.call(this, session, '/v1/deal-categories');
	const options = rows.map((row) => ({ name: text(read(row, 'name', 'NAME')), value: Number(read(row, 'id', 'ID')) }));
	if (!options.some((option) => option.value === 0)) options.unshift({ name: 'General (default pipeline)', value: 0 });
	return options;
}

/**
 * Stages of the chosen entity type (GET /v1/statuses): a deal pipeline's stages (all pipelines', named
 * "Pipeline: Stage", while none is chosen), lead statuses, quote statuses, invoice stages of every pipeline.
 */
export async function getStages(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const type = text(this.getCurrentNodeParameter('entityType'));
	const pipeline = type === 'deal' ? chosenPipeline.call(this) : '';
	const exact: Record<string, string> = {
		lead: 'STATUS',
		quote: 'QUOTE_STATUS',
		deal: pipeline === '' ? '' : pipeline === '0' ? 'DEAL_STAGE' : `DEAL_STAGE_${pipeline}`,
	};
	const prefix = type === 'invoice' ? 'SMART_INVOICE_STAGE_' : 'DEAL_STAGE';
	const session = await openSession.call(this, { maxRetries: 1 });
	const wanted = exact[type];
	const [rows, pipelines] = await Promise.all([
		list.call(this, session, '/v1/statuses', wanted ? { 'filter[entityId]': wanted } : {}),
		type === 'deal' && !wanted ? list.call(this, session, '/v1/deal-categories') : Promise.resolve([]),
	]);
	const pipelineName = new Map(pipelines.map((row) => [text(read(row, 'id', 'ID')), text(read(row, 'name', 'NAME'))]));
	return rows
		.filter((row) => {
			const entityId = text(read(row, 'entityId', 'ENTITY_ID'));
			return wanted ? entityId === wanted : entityId.startsWith(prefix);
		})
		.map((row) => {
			const id = text(read(row, 'statusId', 'STATUS_ID'));
			const name = text(read(row, 'name', 'NAME')) || id;
			const category = text(read(row, 'categoryId', 'CATEGORY_ID') ?? '0') || '0';
			const owner = type === 'deal' && !wanted ? `${pipelineName.get(category) ?? `Pipeline ${category}`}: ` : '';
			return { name: `${owner}${name} (${id})`, value: id };
		});
}

/** Active portal users (GET /v1/users), as "First Last (email)". */
export async function getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const session = await openSession.call(this, { maxRetries: 1 });
	const rows = await list.call(this, session, '/v1/users');
	return rows
		.filter((row) => !['N', false, 'false'].includes(read(row, 'active', 'ACTIVE') as string))
		.map((row) => {
			const name = [read(row, 'name', 'NAME'), read(row, 'lastName', 'LAST_NAME')].map(text).filter(Boolean).join(' ');
			const email = text(read(row, 'email', 'EMAIL'));
			const id = Number(read(row, 'id', 'ID'));
			return { name: `${name || `User ${id}`}${email ? ` (${email})` : ''}`, value: id };
		});
}
