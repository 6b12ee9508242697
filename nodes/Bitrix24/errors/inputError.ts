import { ERROR_TABLE, type ErrorCode } from './table';

/**
 * A value the node refuses before sending anything: a parameter or expression result, the credential, a trigger
 * code the portal does not know. `nodeError` turns it into a NodeOperationError carrying the code.
 */
export class InputError extends Error {
	readonly description: string;

	/**
	 * What the node had done for the item when it refused it: `nothing` (the usual case: refused before any
	 * request) or `read` (it searched or read, and wrote nothing, such as Create or Update finding several records).
	 */
	sent: 'nothing' | 'read' = 'nothing';

	constructor(
		message: string,
		/** What to do; the code's hint from the table when not given. */
		description?: string,
		readonly code: ErrorCode = 'INVALID_PARAMETER',
	) {
		super(message);
		this.description = description ?? ERROR_TABLE[code].hint;
	}

	/** The same refusal, said after a read: nothing was written (a search or read was sent). */
	afterRead(): this {
		this.sent = 'read';
		return this;
	}
}
