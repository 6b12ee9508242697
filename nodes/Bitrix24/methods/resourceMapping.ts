import type { IDataObject, ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { dropdownFields } from '../helpers/entities';
import { fetchFieldsIfListed, mapperType } from '../helpers/fields';
import { openSession } from '../transport';
import { currentRecordType } from './currentEntityType';

/** Field types a record can be found by (Create or Update): one plain value, not a file or a list of links. */
const MATCHABLE = ['string', 'integer', 'double', 'crm_multifield', 'enumeration', 'url', 'char'];

/**
 * The field mapper's fields: the portal's writable fields of the resource (GET /v1/{entity}/fields), custom
 * `UF_CRM_*` fields included, with their types, required flags and enumeration choices. Pipeline, stage and the
 * responsible person have dropdowns of their own; read-only fields are not offered.
 */
export async function getRecordFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const type = currentRecordType.call(this);
	const operation = String(this.getCurrentNodeParameter('operation') ?? '');
	const session = await openSession.call(this, { maxRetries: 1 });
	const listed = await fetchFieldsIfListed.call(this, session, type);
	if (!listed) {
		// An Other Entity path without GET /v1/{entity}/fields: no field is made up; the input item's keys are the body.
		return {
			fields: [],
			emptyFieldsNotice: `VibeCode gives no field list for ${type.path}. Choose Map Automatically: each input item's keys are sent as the ${type.name.toLowerCase()}'s fields, and the answer is checked against them.`,
		};
	}
	const fields = listed;
	// Each phone, email or website field says what a write does with the record's entries (Options → Phone, Email and Website).
	const replaces = ((this.getCurrentNodeParameter('options') ?? {}) as IDataObject).listEntries === 'replace';
	const listNote = operation === 'create' ? '' : replaces ? ' – replaces the entries' : ' – adds to the entries';
	// Only Create or Update matches: n8n saves a default match field as `matchingColumns` with any operation.
	const defaultMatch = operation === 'upsert' && (type.value === 'lead' || type.value === 'contact') ? 'email' : undefined;
	// Create or Update needs the match field's value. n8n's mapper shows at first only the required fields (and a
	// match field only once the user picks it), so the match field is required here, and first: its value box is
	// then in sight from the start. "Refresh field list" follows a match field chosen later.
	const chosen = ((this.getCurrentNodeParameter('columns') ?? {}) as IDataObject).matchingColumns;
	const match = operation === 'upsert' ? (Array.isArray(chosen) && chosen.length ? String(chosen[0]) : defaultMatch) : undefined;
	// Other Entity has no dropdowns of its own: each writable field is in the mapper.
	const writable = fields.filter((field) => !field.readOnly && !dropdownFields(type).includes(field.name));
	return {
		fields: [...writable.filter((field) => field.name === match), ...writable.filter((field) => field.name !== match)]
			.map((field): ResourceMapperField => {
				const kind = mapperType(field);
				return {
					id: field.name,
					displayName: `${field.title && field.title !== field.name ? `${field.title} (${field.name})` : field.name}${field.type === 'crm_multifield' && field.name !== match ? listNote : ''}`,
					// An update changes only what is given; a create needs the portal's required fields.
					required: (field.required && operation !== 'update') || field.name === match,
					defaultMatch: field.name === defaultMatch,
					// A phone or email list is always multiple; it is matched by one value (upsert searches by it).
					canBeUsedToMatch: MATCHABLE.includes(field.type) && (!field.multiple || field.type === 'crm_multifield'),
					display: true,
					type: kind,
					options: kind === 'options' ? field.items.map(({ id, label }) => ({ name: label, value: id })) : undefined,
				};
			}),
	};
}
