import type { INodeProperties } from 'n8n-workflow';

import { PATTERNS } from '../helpers/validate';

/**
 * The Entity parameter: one CRM record From List (searched by title or name), By ID or By URL. Fire and the
 * record operations that act on one record share it; `description` says what the record is for.
 */
export function entityLocator(description: string, displayName = 'Entity'): INodeProperties {
	return {
		displayName,
		name: 'entity',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Search by title or name…',
				typeOptions: { searchListMethod: 'searchEntities', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 5141',
				validation: [
					{
						type: 'regex',
						// A record's address is the usual paste here: say where it goes.
						properties: { regex: PATTERNS.entityId, errorMessage: 'The ID is a positive whole number, such as 5141. For a link to the record, choose By URL.' },
					},
				],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: 'e.g. https://your-portal.bitrix24.com/crm/deal/details/5141/',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: PATTERNS.entityUrl,
							errorMessage: 'Paste the address of a Bitrix24 CRM record page',
						},
					},
				],
			},
		],
	};
}
