import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { ERROR_TABLE, InputError, nodeError } from '../errors';
import { entityLabel, entityType, OTHER_ENTITY } from '../helpers/entities';
import { searchRecords } from '../helpers/search';
import { portalHost, recordLink } from '../helpers/portal';
import { fetchTriggers } from '../helpers/triggers';
import { openSession } from '../transport';
import { currentEntityType, currentRecordType } from './currentEntityType';

const PAGE_SIZE = 50;

/**
 * Trigger list for the editor, shown as "Name (CODE)": the portal's list for an OAuth application, the credential's
 * Trigger Codes for a personal key that lists some. Loader errors are thrown so the editor shows why.
 */
export async function searchTriggers(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const session = await openSession.call(this, { maxRetries: 1 });
	const triggers =
		session.keyType === 'personal' && session.triggerCodes.length > 0
			? session.triggerCodes.map((code) => ({ code, name: code }))
			: await fetchTriggers.call(this, session);
	if (triggers.length === 0) {
		throw nodeError(this.getNode(), new InputError(ERROR_TABLE.NO_TRIGGERS.message, undefined, 'NO_TRIGGERS'));
	}
	const needle = (filter ?? '').trim().toLowerCase();
	return {
		results: triggers
			.filter(({ name, code }) => !needle || name.toLowerCase().includes(needle) || code.toLowerCase().includes(needle))
			.map(({ name, code }) => ({ name: name === code ? code : `${name} (${code})`, value: code })),
	};
}

/** Records of the chosen entity type whose title (or name) contains the search text, newest first, paged. */
export async function searchEntities(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	// Other Entity: the chosen path (checked as the run checks it); a CRM resource or Entity Type otherwise.
	const type = this.getCurrentNodeParameter('resource') === OTHER_ENTITY ? currentRecordType.call(this) : entityType(currentEntityType.call(this));
	if (!type) {
		throw nodeError(this.getNode(), new InputError('Choose an Entity Type first', 'Pick the Entity Type, then open this list again.'));
	}
	const session = await openSession.call(this, { maxRetries: 1 });
	const offset = Number(paginationToken) || 0;
	const needle = (filter ?? '').trim();
	const [{ records, total }, portal] = await Promise.all([
		searchRecords.call(this, session, type, {
			filter: needle ? { [type.labelFields[0]]: { $contains: needle } } : undefined,
			sort: { id: 'desc' },
			// An Other Entity's label fields are a guess (title or name): the whole record is asked for, never a field it may lack.
			select: type.other ? undefined : ['id', ...type.labelFields],
			limit: PAGE_SIZE,
			offset,
		}),
		portalHost.call(this, session),
	]);
	const more = total !== undefined ? offset + records.length < total : records.length === PAGE_SIZE;
	return {
		results: records.map((record) => {
			const id = String(record.id ?? record.ID);
			return {
				name: `${entityLabel(type, record)} (#${id})`,
				value: id,
				url: recordLink(portal, type, id),
			};
		}),
		paginationToken: more ? String(offset + records.length) : undefined,
	};
}
