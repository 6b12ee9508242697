import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { InputError, nodeError } from '../errors';
import { entityType, OTHER_ENTITY, otherEntityType, recordType, SMART_PROCESS_ITEM, SMART_PROCESS_TYPE, type EntityType, type RecordType } from '../helpers/entities';
import { parseEntityPath, positiveId } from '../helpers/validate';
import { chosenSmartProcesses, SMART_PROCESS_TYPES } from '../instant/description';

/**
 * The CRM entity type the editor's lists are for: a record resource (Deal, Lead…) names it itself; the Automation
 * Trigger resource and the Bitrix24 Trigger have an Entity Type parameter. '' when neither is set.
 */
export function currentEntityType(this: ILoadOptionsFunctions): string {
	const resource = String(this.getCurrentNodeParameter('resource') ?? '');
	const chosen = entityType(resource) || resource === SMART_PROCESS_ITEM ? resource : String(this.getCurrentNodeParameter('entityType') ?? '');
	if (chosen !== SMART_PROCESS_ITEM) return chosen;
	// A smart process's items: `dynamic_{entityTypeId}` once its Smart Process Type is chosen.
	const id = positiveId(this.getCurrentNodeParameter(SMART_PROCESS_TYPE));
	return id === undefined ? '' : `dynamic_${id}`;
}

/**
 * The instant trigger's lists are for the entity types of its chosen Events (`deal.update` → deal), once each; a smart
 * process's item events for each of the chosen Smart Process Types (`dynamic_1038`).
 */
export function eventEntityTypes(this: ILoadOptionsFunctions): EntityType[] {
	const events = this.getCurrentNodeParameter('events');
	const names = new Set((Array.isArray(events) ? events : []).map((event) => String(event).split('.')[0]));
	const chosen = names.delete(SMART_PROCESS_ITEM) ? chosenSmartProcesses(this.getCurrentNodeParameter(SMART_PROCESS_TYPES)).map((id) => `dynamic_${id}`) : [];
	return [...names, ...chosen].map(entityType).filter((type): type is EntityType => type !== undefined);
}

/**
 * The record resource the editor's field lists are for: a CRM resource, or Other Entity's chosen path (checked as the
 * run checks it); an error the editor shows while none is chosen.
 */
export function currentRecordType(this: ILoadOptionsFunctions): RecordType {
	if (this.getCurrentNodeParameter('resource') === OTHER_ENTITY) {
		try {
			return otherEntityType(parseEntityPath(this.getCurrentNodeParameter(OTHER_ENTITY)));
		} catch (error) {
			throw nodeError(this.getNode(), error);
		}
	}
	const type = recordType(currentEntityType.call(this)) ?? recordType(String(this.getCurrentNodeParameter('resource') ?? ''));
	if (type) return type;
	if (this.getCurrentNodeParameter('resource') === SMART_PROCESS_ITEM) {
		throw nodeError(this.getNode(), new InputError('Choose the Smart Process Type first', 'Pick the smart process whose items to use from the Smart Process Type list.'));
	}
	throw nodeError(this.getNode(), new InputError('Choose a CRM record resource first', 'Pick Company, Contact, Deal, Invoice, Lead, Quote or Smart Process Item as the Resource.'));
}
