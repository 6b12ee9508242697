import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { InputError, nodeError } from '../errors';
import type { EntityType } from '../helpers/entities';
import { openSession } from '../transport';
import type { Event, Watch } from './parameters';
import { sameInstant } from '../helpers/pollState';
import { search, timeField, timeOf } from './read';

/** Updated Record's test fetch looks for a record changed after its creation among this many changed last. */
const UPDATED_SAMPLE_PAGE = 50;

/**
 * A test run shows the newest matching record, so the user can map its fields; none says which filters applied.
 * Updated Record shows the newest record really changed after its creation (not one only created, which the
 * event never emits).
 */
export async function testRun(
	this: IPollFunctions,
	type: EntityType,
	event: Event,
	filters: IDataObject,
	watch: Watch | undefined,
): Promise<INodeExecutionData[][]> {
	const session = await openSession.call(this, { maxRetries: 2 });
	const filter = watch ? { ...filters, [watch.field]: watch.stage } : filters;
	const field = timeField(type, event);
	const updated = event === 'updatedRecord';
	const records = await search.call(this, { session, type, filters: filter }, field, 'desc', 0, updated ? UPDATED_SAMPLE_PAGE : 1);
	const changed = (record: IDataObject) => {
		const created = timeOf(record, type.createdField);
		return !created || !sameInstant(created, timeOf(record, field) ?? created);
	};
	const [newest] = updated ? records.filter(changed) : records;
	if (newest) return [this.helpers.returnJsonArray([newest])];
	if (records.length) {
		throw nodeError(
			this.getNode(),
			new InputError(
				`No ${type.name.toLowerCase()} among the ${records.length} changed last was changed after its creation`,
				`Updated Record emits changes only. Change a ${type.name.toLowerCase()} in Bitrix24 (any field) and fetch again, so the sample is a real update.`,
				'NO_MATCHING_RECORDS',
			),
		);
	}
	const labels: IDataObject = { assignedById: 'Responsible User', categoryId: 'Pipeline', stageId: 'Stage', statusId: 'Status' };
	const applied = Object.entries(filter).map(([name, value]) => `${String(labels[name] ?? name)} = ${String(value)}`);
	throw nodeError(
		this.getNode(),
		new InputError(
			applied.length
				? `No ${type.name.toLowerCase()} matches the filters applied: ${applied.join(', ')}`
				: `The portal has no ${type.name.toLowerCase()} yet`,
			applied.length
				? 'Nothing was wrong with the request: no record matches. Check the filters, or create a matching record in Bitrix24 and test again.'
				: `Create a ${type.name.toLowerCase()} in Bitrix24 and test again, so there is a record to map fields from.`,
			'NO_MATCHING_RECORDS',
		),
	);
}
