/** Smart processes (GET /v1/smart-processes): the types whose items the Smart Process Item resource and both triggers use. */
import type { IDataObject, IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { InputError, quote } from '../errors';
import { vibeRequest, type VibeContext, type VibeSession } from '../transport';
import { SMART_PROCESS_TYPE, smartProcessType, type EntityType } from './entities';
import { positiveId } from './validate';
import { field, text } from './stages';

export interface SmartProcess {
	entityTypeId: number;
	title: string;
}

/**
 * The portal's smart processes, as the current list page documents it: every type in one answer (no paging), each
 * with its `entityTypeId` (the number the items' paths take, not its `id`) and `title`.
 */
export async function fetchSmartProcesses(this: VibeContext, session: VibeSession, itemIndex?: number): Promise<SmartProcess[]> {
	const { data } = await vibeRequest.call(this, session, { method: 'GET', path: '/v1/smart-processes', qs: { select: 'id,entityTypeId,title' }, itemIndex });
	const rows = (Array.isArray(data) ? data : []) as IDataObject[];
	return rows
		.map((row) => ({ entityTypeId: Number(field(row, 'entityTypeId', 'ENTITY_TYPE_ID')), title: text(field(row, 'title', 'TITLE')) }))
		.filter(({ entityTypeId }) => Number.isInteger(entityTypeId) && entityTypeId > 0);
}

/** The Smart Process Type parameter's value as an entityTypeId, refused by its label before any request. */
export function parseSmartProcessId(value: unknown): number {
	const id = positiveId(value);
	if (id !== undefined) return id;
	throw new InputError(
		`Smart Process Type must be a smart process's type ID (a whole number); got ${quote(value)}`,
		'Choose the smart process from the list, or make the expression return its entityTypeId (the number in /crm/type/{entityTypeId}/ of its address).',
	);
}

/**
 * The chosen smart process as the record engine's type, named by its title on the portal ("Order"), so messages use
 * the name the user picked; an InputError listing the portal's smart processes when it has none with that ID.
 */
export async function resolveSmartProcess(this: VibeContext, session: VibeSession, entityTypeId: number): Promise<EntityType> {
	const types = await fetchSmartProcesses.call(this, session, 0);
	const found = types.find((type) => type.entityTypeId === entityTypeId);
	if (found) return smartProcessType(entityTypeId, found.title);
	throw new InputError(
		`The portal has no smart process with type ID ${entityTypeId}`,
		types.length
			? `Choose one of: ${types.map(({ title, entityTypeId: id }) => `${title} (${id})`).join(', ')}.`
			: 'The portal has no smart processes the key can see: create one in Bitrix24 (CRM → Smart processes), or check the key\'s CRM scope and permissions.',
	);
}

/**
 * The Smart Process Type parameter wherever a smart process is picked: from the portal's list (getSmartProcessTypes),
 * or its entityTypeId by expression; `what` says what the smart process is for ("whose items to watch"). Required
 * only where what shows it takes no expression (a Resource, the trigger's Entity Type): n8n shows a field whose
 * condition is an expression, and would refuse to run a deal's workflow without it; the run refuses a smart-process
 * item without one, by this label.
 */
export function smartProcessTypeParameter(show: IDisplayOptions['show'], what: string, { required = false, name = SMART_PROCESS_TYPE } = {}): INodeProperties {
	return {
		displayName: 'Smart Process Type Name or ID',
		name,
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getSmartProcessTypes' },
		...(required ? { required: true } : {}),
		default: '',
		displayOptions: { show },
		description: `The smart process ${what}, such as Orders. By expression, give its entityTypeId (the number in /crm/type/{entityTypeId}/ of its address). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	};
}

