import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { InputError, nodeError } from '../errors';
import type { EntityType } from '../helpers/entities';
import { openSession } from '../transport';
import type { Event, Watch } from './parameters';
import { search, timeField } from './read';

/** A test run shows the newest matching record, so the user can map its fields; none says which filters applied. */
export async function testRun(
	this: IPollFunctions,
	type: EntityType,
	event: Event,
	filters: IDataObject,
	watch: Watch | undefined,
): Promise<INodeExecutionData[][]> {
	const session = await openSession.call(this, { maxRetries: 2 });
	const filter = watch ? { ...filters, [watch.field]: watch.stage } : filters;
	const [newest] = await search.call(this, { session, type, filters: filter }, timeField(type, event), 'desc', 0, 1);
	if (newest) return [this.helpers.returnJsonArray([newest])];
	const labels: IDataObject = { assignedById: 'Responsible User', categoryId: 'Pipeline', stageId: 'Stage', statusId: 'Status' };
	const applied = Object.entries(filter).map(([name, value]) => `${String(labels[name] ?? name)} = ${String(value)}`);
	throw nodeError(
		this.getNode(),
		new InputError(
			applied.length
				? `No ${type.value} matches the filters applied: ${applied.join(', ')}`
				: `The portal has no ${type.value} yet`,
			applied.length
				? 'Nothing was wrong with the request: no record matches. Check the filters, or create a matching record in Bitrix24 and test again.'
				: `Create a ${type.value} in Bitrix24 and test again, so there is a record to map fields from.`,
			'NO_MATCHING_RECORDS',
		),
	);
}
