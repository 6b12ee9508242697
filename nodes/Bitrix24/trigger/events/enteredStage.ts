import { STAGE_CAP, capped, handled, remember } from '../../helpers/pollState';
import { stageOf, stringField, timeOf } from '../read';
import type { EventRules, PollContext } from './rules';

/**
 * Entered Stage (Entered Status for leads): a record that arrived at the stage, moved there or created there,
 * once per arrival. By the record's move time where the portal carries one (nothing per record kept, see
 * `PollState.movedField`), else by the records remembered at the stage.
 */
export function enteredStage({ next, query, watch, seen, emit, emitted }: PollContext): EventRules {
	if (!watch) throw new Error('Entered Stage without a stage');
	const inStage = new Set(next.inStage ?? []);
	const atFrom = new Set(next.atFrom ?? []);
	const byMove = next.movedField;
	return {
		read(record, id) {
			const stage = stageOf(record, watch.field);
			if (stage !== watch.stage) {
				inStage.delete(id);
				if (watch.from && stage === watch.from) remember(atFrom, id);
				else atFrom.delete(id);
				return;
			}
			// By move time: a move the previous polls have not read past (a record never moved arrived at its
			// creation). Else by memory: a record not known at the stage.
			const moved = byMove && (stringField(record, byMove) ?? timeOf(record, query.type.createdField));
			const arrived = moved ? !handled(next, moved, id, seen) : !inStage.has(id);
			// Emitted earlier in this poll and still there: the same arrival, newer values. One that left again
			// meanwhile keeps the version that arrived.
			if ((arrived && (!watch.from || atFrom.has(id))) || emitted(id)) emit(record);
			if (!byMove) remember(inStage, id);
			atFrom.delete(id);
		},
		keep() {
			next.inStage = byMove ? undefined : capped(inStage, STAGE_CAP);
			next.atFrom = watch.from ? capped(atFrom, STAGE_CAP) : undefined;
		},
	};
}
