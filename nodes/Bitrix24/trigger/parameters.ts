import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { InputError, nodeError } from '../errors';
import { SMART_PROCESS_ITEM, type EntityType } from '../helpers/entities';
import { hasPipelines } from '../helpers/stages';

/** The Bitrix24 Trigger's parameters as the poll reads them. */
export type Event = 'newRecord' | 'updatedRecord' | 'enteredStage';

/** The Entity Type values whose records have a stage (a lead has a status instead); smart-process items have one too. */
export const WITH_STAGE = ['deal', 'invoice', 'quote', SMART_PROCESS_ITEM];

export interface Watch {
	field: 'stageId' | 'statusId';
	stage: string;
	from?: string;
}

/** The Watch Fields parameter as a sorted list of names (an expression may give "a, b"). */
export function watchedFields(value: unknown): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return [...new Set(list.map((name) => String(name ?? '').trim()).filter(Boolean))].sort();
}

export function stageWatch(this: IPollFunctions, type: EntityType): Watch {
	const stage = String(this.getNodeParameter('stage', '') ?? '').trim();
	const from = String(this.getNodeParameter('fromStage', '') ?? '').trim();
	const label = type.stageField === 'statusId' ? 'Status' : 'Stage';
	if (!type.stageField) {
		throw nodeError(this.getNode(), new InputError(`${type.name} records have no stage`, 'Entered Stage works for deals, quotes, invoices, smart-process items and (as Entered Status) leads.'));
	}
	if (!stage) throw nodeError(this.getNode(), new InputError(`Choose a ${label}`, `Pick the ${label.toLowerCase()} to watch from the list, or enter its ID.`));
	return { field: type.stageField, stage, from: from || undefined };
}

/** The filters that apply to the entity type and event; values left from another entity type are dropped. */
export function applicableFilters(type: EntityType, event: Event, filters: IDataObject): IDataObject {
	const applies: Record<string, boolean> = {
		assignedById: true,
		categoryId: hasPipelines(type.value),
		stageId: type.stageField === 'stageId' && event !== 'enteredStage',
		statusId: type.value === 'lead' && event !== 'enteredStage',
	};
	const filter: IDataObject = {};
	for (const [name, value] of Object.entries(filters)) {
		// 0 is a real pipeline (the default one) but no user.
		if (!applies[name] || value === '' || value === undefined || value === null || (name === 'assignedById' && Number(value) === 0)) continue;
		filter[name] = value;
	}
	return filter;
}
