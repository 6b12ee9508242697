import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { InputError, nodeError } from './errors';
import { entityType, SMART_PROCESS_ITEM, SMART_PROCESS_TYPE, smartProcessId, smartProcessType, type EntityType } from './helpers/entities';
import { parseSmartProcessId, resolveSmartProcess } from './helpers/smartProcesses';
import { holdsLease, releaseLease, takeLease, type PollState } from './helpers/pollState';
import { getPipelinesOptional, getSmartProcessTypes, getStages, getStagesOptional, getUsersOptional } from './methods/loadOptions';
import { getWatchableFields } from './methods/watchableFields';
import { openSession } from './transport';
import { activate } from './trigger/activate';
import { TRIGGER_DESCRIPTION, triggerProperties } from './trigger/description';
import { applicableFilters, stageWatch, watchedFields, type Event } from './trigger/parameters';
import { pollOnce } from './trigger/pollOnce';
import { testRun } from './trigger/testRun';

/**
 * The polling trigger: its description, and a poll that takes the lease, activates or polls once (the events'
 * rules are in trigger/events/, the reading in trigger/read.ts) and keeps the state only while it holds the lease.
 */
export class Bitrix24Trigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Trigger',
		name: 'bitrix24Trigger',
		// n8n's Docs link: a codex URL gets utm parameters appended after its #anchor, which then misses the section.
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-bitrix24-vibecode#bitrix24-trigger-start-workflows-when-crm-records-are-created-changed-or-reach-a-stage',
		icon: { light: 'file:bitrix24.svg', dark: 'file:bitrix24.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{$parameter["event"] === "enteredStage" ? $parameter["entityType"] + " entered " + $parameter["stage"] : ($parameter["event"] === "updatedRecord" ? "Updated " : "New ") + $parameter["entityType"]}}',
		// n8n's node creator shows a trigger and the node it is named after ("bitrix24Trigger" → "bitrix24") as one
		// entry, with the trigger's description over both nodes' actions, in the "What triggers this workflow?" and
		// the "What happens next?" panels alike: this text is that entry's, so it says what both nodes do.
		description: TRIGGER_DESCRIPTION,
		defaults: { name: 'Bitrix24 Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'bitrix24VibeApi', required: true }],
		properties: triggerProperties,
	};

	methods = {
		loadOptions: { getPipelinesOptional, getSmartProcessTypes, getStages, getStagesOptional, getUsersOptional, getWatchableFields },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		let type = chosenType.call(this);
		const event = (this.getNodeParameter('event', 'newRecord') as Event) ?? 'newRecord';
		const watch = event === 'enteredStage' ? stageWatch.call(this, type) : undefined;
		const fields = event === 'updatedRecord' ? watchedFields(this.getNodeParameter('watchFields', []) as unknown) : [];
		const filters = applicableFilters(type, event, this.getNodeParameter('filters', {}) as IDataObject);

		if (this.getMode() === 'manual') return await testRun.call(this, await named.call(this, type), event, filters, watch);

		// Taken before the first await: a poll that overlaps a running one does nothing (see pollState.ts).
		const state = this.getWorkflowStaticData('node') as PollState;
		const lease = takeLease(state, Date.now());
		if (!lease) return null;
		try {
			const session = await openSession.call(this, { maxRetries: 2 });
			const watchKey = watch ? `${watch.stage}<${watch.from ?? ''}` : fields.length ? `fields:${fields.join(',')}` : undefined;
			const fresh = state.entityType !== type.value || (state.event ?? 'newRecord') !== event || state.watch !== watchKey;
			// A smart process is named by its title (and checked to exist) when the trigger starts, not at every poll.
			if (fresh) type = await named.call(this, type);
			const next: PollState = fresh
				? { entityType: type.value, event, watch: watchKey }
				: { entityType: state.entityType, event, watch: state.watch, cursor: state.cursor, idsAtCursor: state.idsAtCursor, maxIdAtCursor: state.maxIdAtCursor, pastCursor: state.pastCursor, movedField: state.movedField, inStage: state.inStage, atFrom: state.atFrom, fieldHashes: state.fieldHashes };
			const query = { session, type, filters };
			const items = fresh
				? await activate.call(this, query, event, watch, next, fields)
				: await pollOnce.call(this, query, event, watch, next, fields);
			// Only the poll that still holds the lease keeps what it read and emits it.
			if (!holdsLease(state, lease)) return null;
			for (const key of Object.keys(state)) if (key !== 'lease') delete state[key as keyof PollState];
			for (const [key, value] of Object.entries(next)) if (value !== undefined) (state as IDataObject)[key] = value;
			return items.length ? [this.helpers.returnJsonArray(items)] : null;
		} finally {
			releaseLease(state, lease);
		}
	}
}

/** The Entity Type to watch: one of the six CRM types, or the chosen smart process's items (`dynamic_{entityTypeId}`). */
function chosenType(this: IPollFunctions): EntityType {
	const chosen = this.getNodeParameter('entityType') as string;
	try {
		if (chosen === SMART_PROCESS_ITEM) return smartProcessType(parseSmartProcessId(this.getNodeParameter(SMART_PROCESS_TYPE, '')));
	} catch (error) {
		throw nodeError(this.getNode(), error);
	}
	const type = entityType(chosen);
	if (!type) throw nodeError(this.getNode(), new InputError('Choose an Entity Type', 'Pick the kind of CRM record to watch.'));
	return type;
}

/** A smart process's items named by its title on the portal ("Orders"), so messages use the name the user picked. */
async function named(this: IPollFunctions, type: EntityType): Promise<EntityType> {
	if (smartProcessId(type.value) === undefined) return type;
	const session = await openSession.call(this, { maxRetries: 2 });
	return await resolveSmartProcess.call(this, session, type.typeId).catch((error: unknown) => {
		throw nodeError(this.getNode(), error);
	});
}
