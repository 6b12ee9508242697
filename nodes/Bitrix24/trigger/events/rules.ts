import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import type { PollState } from '../../helpers/pollState';
import type { Watch } from '../parameters';
import type { Query } from '../read';

/** What a poll hands to an event's rules: the state it started from, the query and the node's choices. */
export interface PollContext {
	/** The poll's n8n functions, for a request of the rules' own. */
	functions: IPollFunctions;
	/** The state the poll started from; the rules write theirs into it in `keep`. The cursor moves after them. */
	next: PollState;
	query: Query;
	watch?: Watch;
	/** Watch Fields, sorted; empty when none. */
	fields: string[];
	/** IDs the previous polls read at the cursor's second. */
	seen: Set<number>;
	/** Emits a record; emitted again in the same poll, the newer version takes the place of the older. */
	emit(record: IDataObject): void;
	/** Whether a record was emitted earlier in this poll (it changed while the poll read). */
	emitted(id: number): boolean;
}

/** One event's rules over the records a poll reads (the poll engine: ../pollOnce.ts). */
export interface EventRules {
	/** Before a page is read: the page with what the rules need and the answer left out (one request at most). */
	complete?(records: IDataObject[]): Promise<IDataObject[]>;
	/** A record the cursor had not passed, read for the first time in this poll at this version. */
	read(record: IDataObject, id: number, time: string): void;
	/** A record of the cursor's second the previous polls had read, read again (its second is read each poll). */
	readAgain?(record: IDataObject, id: number, time: string): void;
	/** After the last page: writes what the event keeps into the next state. */
	keep?(): void;
}
