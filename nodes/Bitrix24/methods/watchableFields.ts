import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { entityType } from '../helpers/entities';
import { fetchFields } from '../helpers/fields';
import { openSession } from '../transport';

/**
 * The fields of the chosen entity type (GET /v1/{entity}/fields), for Watch Fields: all but the ID and the
 * creation and update times (the update time changes with every change, the creation time never).
 */
export async function getWatchableFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const type = entityType(String(this.getCurrentNodeParameter('entityType') ?? ''));
	if (!type) return [];
	const session = await openSession.call(this, { maxRetries: 1 });
	const unwatchable = new Set(['id', type.createdField, type.updatedField]);
	return (await fetchFields.call(this, session, type))
		.filter(({ name }) => !unwatchable.has(name))
		.map(({ name, title }) => ({ name: title && title !== name ? `${title} (${name})` : name, value: name }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
