import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import * as addComment from './addComment.operation';
import * as deleteComment from './deleteComment.operation';
import * as deleteLogEntry from './deleteLogEntry.operation';
import * as getManyComments from './getManyComments.operation';
import * as getManyLogEntries from './getManyLogEntries.operation';
import * as logEvent from './logEvent.operation';
import * as updateComment from './updateComment.operation';

/** The Timeline resource's operations by their value, for the router. */
export const OPERATIONS: Record<string, { execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> }> = {
	addComment,
	deleteComment,
	deleteLogEntry,
	getManyComments,
	getManyLogEntries,
	logEvent,
	updateComment,
};

/**
 * A CRM record's timeline: user comments (/v1/timelines) and log entries (/v1/timeline-logs), the two kinds of entry
 * an integration writes there. Log entries have no update in VibeCode's API.
 */
export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['timeline'] } },
		options: [
			{ name: 'Add Comment', value: 'addComment', description: "Add a comment to a CRM record's timeline", action: 'Add a comment to a timeline' },
			{ name: 'Delete Comment', value: 'deleteComment', description: 'Delete a timeline comment by its ID', action: 'Delete a timeline comment' },
			{
				name: 'Delete Log Entry',
				value: 'deleteLogEntry',
				description: 'Delete a log entry by its ID (only with the OAuth application that logged it)',
				action: 'Delete a timeline log entry',
			},
			{ name: 'Get Many Comments', value: 'getManyComments', description: "List the comments of a CRM record's timeline", action: 'Get many timeline comments' },
			{
				name: 'Get Many Log Entries',
				value: 'getManyLogEntries',
				description: "List the log entries of a CRM record's timeline (those logged through the API)",
				action: 'Get many timeline log entries',
			},
			{
				name: 'Log an Event',
				value: 'logEvent',
				description: "Write a titled entry to a CRM record's timeline, optionally pinned and shown on other records too",
				action: 'Log an event to a timeline',
			},
			{ name: 'Update Comment', value: 'updateComment', description: "Change a timeline comment's text", action: 'Update a timeline comment' },
		],
		default: 'addComment',
	},
	...addComment.description,
	...deleteComment.description,
	...deleteLogEntry.description,
	...getManyComments.description,
	...getManyLogEntries.description,
	...logEvent.description,
	...updateComment.description,
];
