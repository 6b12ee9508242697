import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { InputError, nodeError } from '../errors';
import { ENTITY_TYPES, entityType, nameOfPath, smartProcessId, smartProcessType } from '../helpers/entities';
import type { EntityType } from '../helpers/entities';
import { fetchFieldsIfListed } from '../helpers/fields';
import { entityPaths } from '../helpers/portal';
import { fetchPipelines, fetchStageList, fetchStages, hasPipelines, pipelineStageList, text } from '../helpers/stages';
import { fetchSmartProcesses } from '../helpers/smartProcesses';
import { fetchUsers } from '../helpers/users';
import { isEntityPath } from '../helpers/validate';
import { openSession } from '../transport';
import type { VibeSession } from '../transport';
import { currentEntityType, currentRecordType, eventEntityTypes } from './currentEntityType';

/** The node's chosen pipeline: the Pipeline parameter, else the Pipeline filter of the Bitrix24 Trigger. */
function chosenPipeline(this: ILoadOptionsFunctions): string {
	const top = this.getCurrentNodeParameter('pipeline');
	const filters = (this.getCurrentNodeParameter('filters') ?? {}) as IDataObject;
	return text(top !== undefined && top !== '' ? top : filters.categoryId);
}

/** The chosen type's pipelines: deals' (GET /v1/deal-categories; pipeline 0 is the default one) or a smart process's. */
export async function getPipelines(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const type = currentEntityType.call(this);
	const session = await openSession.call(this, { maxRetries: 1 });
	return (await fetchPipelines.call(this, session, hasPipelines(type) ? type : 'deal')).map(({ id, name }) => ({ name, value: Number(id) }));
}

/**
 * Stages of the chosen entity type (GET /v1/statuses): a deal pipeline's stages (all pipelines', named
 * "Pipeline: Stage", while none is chosen), lead statuses, quote statuses, invoice stages of every pipeline.
 */
export async function getStages(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const type = currentEntityType.call(this);
	const pipeline = hasPipelines(type) ? chosenPipeline.call(this) : '';
	const stages = await stageList.call(this, await openSession.call(this, { maxRetries: 1 }), type, pipeline);
	return stages.map(({ label, id }) => ({ name: `${label} (${id})`, value: id }));
}

/**
 * The instant trigger's Stage or Status filter: the stages of every entity type among its Events that has them,
 * each named with its type ("Deal: General: Won (WON)"); a stage ID that several types share ("NEW" of deals and
 * leads) is one entry naming them all, since the filter compares IDs.
 */
export async function getInstantStages(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const chosen = eventEntityTypes.call(this).filter((type) => type.stageField);
	if (!chosen.length) return [];
	const session = await openSession.call(this, { maxRetries: 1 });
	const labels = new Map<string, string[]>();
	for (const type of await titled.call(this, session, chosen)) {
		for (const { label, id } of await stageList.call(this, session, type.value, '')) labels.set(id, [...(labels.get(id) ?? []), `${type.name}: ${label}`]);
	}
	return [...labels].map(([id, of]) => ({ name: `${of.join(' · ')} (${id})`, value: id }));
}

/**
 * The instant trigger's Pipeline filter: the pipelines of every entity type among its Events that has them (deals,
 * the smart processes chosen), each named with its type ("Deal: Wholesale", "Orders: Default"); an ID several types
 * share is one entry naming them all, since the filter compares `categoryId`. With none among the Events, the deals'.
 */
export async function getInstantPipelines(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const chosen = eventEntityTypes.call(this).filter((type) => hasPipelines(type.value));
	const session = await openSession.call(this, { maxRetries: 1 });
	const names = new Map<number, string[]>();
	for (const type of chosen.length ? await titled.call(this, session, chosen) : [entityType('deal')!]) {
		for (const { id, name } of await fetchPipelines.call(this, session, type.value)) names.set(Number(id), [...(names.get(Number(id)) ?? []), `${type.name}: ${name}`]);
	}
	return [...names].map(([id, of]) => ({ name: `${of.join(' · ')} (${id})`, value: id }));
}

/** Smart processes named by their title on the portal ("Orders"), as the Smart Process Types list shows them. */
async function titled(this: ILoadOptionsFunctions, session: VibeSession, types: EntityType[]): Promise<EntityType[]> {
	if (!types.some((type) => smartProcessId(type.value) !== undefined)) return types;
	const titles = new Map((await fetchSmartProcesses.call(this, session)).map(({ entityTypeId, title }) => [entityTypeId, title]));
	return types.map((type) => {
		const id = smartProcessId(type.value);
		return id === undefined ? type : smartProcessType(id, titles.get(id));
	});
}

/** One entity type's stages, each with its label; a deal's of every pipeline ("Pipeline: Stage") while none is chosen. */
async function stageList(this: ILoadOptionsFunctions, session: VibeSession, type: string, pipeline: string): Promise<Array<{ label: string; id: string }>> {
	if (hasPipelines(type) && pipeline === '') {
		const pipelines = await fetchPipelines.call(this, session, type);
		const lists = await Promise.all(pipelines.map(async ({ id }) => await fetchStageList.call(this, session, type, pipelineStageList(type, id))));
		return lists.flatMap((stages, index) => stages.map((stage) => ({ label: `${pipelines[index].name}: ${stage.name}`, id: stage.id })));
	}
	return (await fetchStages.call(this, session, type, pipeline)).map(({ id, name }) => ({ label: name, id }));
}

/** Active portal users (GET /v1/users), as "First Last (email)". */
export async function getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const session = await openSession.call(this, { maxRetries: 1 });
	return (await fetchUsers.call(this, session))
		.filter(({ active }) => active)
		.map(({ id, name, email }) => ({ name: `${name}${email ? ` (${email})` : ''}`, value: id }));
}

/**
 * Every field of the resource (read-only ones too, such as the ID and dates), for Get Many's filters and sort. An
 * Other Entity path without a field list gives none: the field is then named by expression.
 */
export async function getRecordFieldNames(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const type = currentRecordType.call(this);
	const session = await openSession.call(this, { maxRetries: 1 });
	const fields = (await fetchFieldsIfListed.call(this, session, type)) ?? [];
	return fields
		.map((row) => ({ name: row.title && row.title !== row.name ? `${row.title} (${row.name})` : row.name, value: row.name }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Other Entity's list: the entity paths the key may use (GET /v1/me), as "Task (tasks)", but the six CRM records,
 * which have resources of their own, and any path the node would refuse. An error the editor shows when none is left.
 */
export async function getOtherEntities(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const session = await openSession.call(this, { maxRetries: 1 });
	const crm = new Set(ENTITY_TYPES.map(({ path }) => path));
	const paths = (await entityPaths.call(this, session)).filter((path) => !crm.has(path) && isEntityPath(path));
	if (paths.length === 0) {
		throw nodeError(
			this.getNode(),
			new InputError('VibeCode lists no entity for this key beyond the CRM records', "Type the entity's path with an expression (such as tasks), or re-issue the key with the scopes of the entities you need."),
		);
	}
	return paths.map((path) => ({ name: `${nameOfPath(path)} (${path})`, value: path })).sort((a, b) => a.name.localeCompare(b.name));
}

/** The portal's smart processes (GET /v1/smart-processes), as "Orders (1038)", valued by their entityTypeId. */
export async function getSmartProcessTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const session = await openSession.call(this, { maxRetries: 1 });
	const types = await fetchSmartProcesses.call(this, session);
	if (types.length === 0) {
		throw nodeError(this.getNode(), new InputError('The portal has no smart processes this key can see', 'Create one in Bitrix24 (CRM → Smart processes), or check that the key has the CRM scope.'));
	}
	return types.map(({ entityTypeId, title }) => ({ name: `${title || 'Smart process'} (${entityTypeId})`, value: entityTypeId })).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * An optional dropdown's list starts with "(Not Set)", an empty value. n8n's editor marks a value that its loaded
 * list lacks as "not supported", so an optional dropdown left empty turned red after a run, though nothing was
 * wrong; the explicit entry keeps it valid on every n8n version. Required dropdowns use the plain lists.
 */
const NOT_SET: INodePropertyOptions = { name: '(Not Set)', value: '' };
const withNotSet = (load: (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>) =>
	async function (this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		return [NOT_SET, ...(await load.call(this))];
	};
export const getPipelinesOptional = withNotSet(getPipelines);
export const getStagesOptional = withNotSet(getStages);
export const getUsersOptional = withNotSet(getUsers);
