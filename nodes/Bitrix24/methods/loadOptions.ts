import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { fetchFields } from '../helpers/fields';
import { field, fetchStages, portalList, text } from '../helpers/stages';
import { openSession } from '../transport';
import { currentEntityType, currentRecordType } from './currentEntityType';

/** The node's chosen pipeline: the Pipeline parameter, else the Pipeline filter of the Bitrix24 Trigger. */
function chosenPipeline(this: ILoadOptionsFunctions): string {
	const top = this.getCurrentNodeParameter('pipeline');
	const filters = (this.getCurrentNodeParameter('filters') ?? {}) as IDataObject;
	return text(top !== undefined && top !== '' ? top : filters.categoryId);
}

/** Deal pipelines (GET /v1/deal-categories); pipeline 0 is the default one. */
export async function getPipelines(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const session = await openSession.call(this, { maxRetries: 1 });
	const rows = await portalList.call(this, session, '/v1/deal-categories');
	const options = rows.map((row) => ({ name: text(field(row, 'name', 'NAME')), value: Number(field(row, 'id', 'ID')) }));
	if (!options.some((option) => option.value === 0)) options.unshift({ name: 'General (default pipeline)', value: 0 });
	return options;
}

/**
 * Stages of the chosen entity type (GET /v1/statuses): a deal pipeline's stages (all pipelines', named
 * "Pipeline: Stage", while none is chosen), lead statuses, quote statuses, invoice stages of every pipeline.
 */
export async function getStages(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const type = currentEntityType.call(this);
	const pipeline = type === 'deal' ? chosenPipeline.call(this) : '';
	const session = await openSession.call(this, { maxRetries: 1 });
	const [stages, pipelines] = await Promise.all([
		fetchStages.call(this, session, type, pipeline),
		type === 'deal' && pipeline === '' ? portalList.call(this, session, '/v1/deal-categories') : Promise.resolve([]),
	]);
	const pipelineName = new Map(pipelines.map((row) => [text(field(row, 'id', 'ID')), text(field(row, 'name', 'NAME'))]));
	return stages.map(({ id, name, pipeline: owner }) => {
		const prefix = type === 'deal' && pipeline === '' ? `${pipelineName.get(owner) ?? `Pipeline ${owner}`}: ` : '';
		return { name: `${prefix}${name} (${id})`, value: id };
	});
}

/** Active portal users (GET /v1/users), as "First Last (email)". */
export async function getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const session = await openSession.call(this, { maxRetries: 1 });
	const rows = await portalList.call(this, session, '/v1/users');
	return rows
		.filter((row) => !['N', false, 'false'].includes(field(row, 'active', 'ACTIVE') as string))
		.map((row) => {
			const name = [field(row, 'name', 'NAME'), field(row, 'lastName', 'LAST_NAME')].map(text).filter(Boolean).join(' ');
			const email = text(field(row, 'email', 'EMAIL'));
			const id = Number(field(row, 'id', 'ID'));
			return { name: `${name || `User ${id}`}${email ? ` (${email})` : ''}`, value: id };
		});
}

/** Every field of the resource (read-only ones too, such as the ID and dates), for Get Many's filters and sort. */
export async function getRecordFieldNames(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const type = currentRecordType.call(this);
	const session = await openSession.call(this, { maxRetries: 1 });
	const fields = await fetchFields.call(this, session, type);
	return fields
		.map((row) => ({ name: row.title && row.title !== row.name ? `${row.title} (${row.name})` : row.name, value: row.name }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
