import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { entityType, type EntityType } from '../helpers/entities';
import { fetchFields } from '../helpers/fields';
import { openSession } from '../transport';
import { currentEntityType, eventEntityTypes } from './currentEntityType';

/**
 * The fields of the chosen entity type (GET /v1/{entity}/fields), for Watch Fields: all but the ID and the
 * creation and update times (the update time changes with every change, the creation time never).
 */
export async function getWatchableFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const type = entityType(currentEntityType.call(this));
	return type ? await watchableFields.call(this, [type]) : [];
}

/**
 * The instant trigger's Watch Fields: the watchable fields of every entity type among the chosen Events, once
 * each; a field that several types have names them in its description.
 */
export async function getInstantWatchableFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await watchableFields.call(this, eventEntityTypes.call(this));
}

async function watchableFields(this: ILoadOptionsFunctions, types: EntityType[]): Promise<INodePropertyOptions[]> {
	if (!types.length) return [];
	const session = await openSession.call(this, { maxRetries: 1 });
	const options = new Map<string, { name: string; types: string[] }>();
	for (const type of types) {
		const unwatchable = new Set(['id', type.createdField, type.updatedField]);
		for (const { name, title } of await fetchFields.call(this, session, type)) {
			if (unwatchable.has(name)) continue;
			const option = options.get(name) ?? { name: title && title !== name ? `${title} (${name})` : name, types: [] };
			option.types.push(type.name);
			options.set(name, option);
		}
	}
	return [...options]
		.map(([value, { name, types: of }]) => ({ name, value, ...(types.length > 1 ? { description: of.join(', ') } : {}) }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
