import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { recordOperationOptions } from '../record';
import * as addComment from './addComment.operation';
import * as complete from './complete.operation';
import * as defer from './defer.operation';
import * as getManyComments from './getManyComments.operation';
import * as renew from './renew.operation';
import * as start from './start.operation';

export { addComment, complete, defer, getManyComments, renew, start };

/**
 * The Task resource's own operations (its Create, Get, Get Many, Update and Delete are the record engine's): the
 * status changes and the comments. Their entries for the Operation list, alphabetical, to be merged with the record
 * engine's into one list.
 */
export const TASK_OPERATION_OPTIONS: INodePropertyOptions[] = [
	{
		name: 'Add Comment',
		value: 'addComment',
		description: 'Add a comment to a task',
		action: 'Add a comment to a task',
	},
	{
		name: 'Complete',
		value: 'complete',
		description: 'Mark a task as completed (status 5)',
		action: 'Complete a task',
	},
	{
		name: 'Defer',
		value: 'defer',
		description: 'Put a task off (status 6, Deferred)',
		action: 'Defer a task',
	},
	{
		name: 'Get Many Comments',
		value: 'getManyComments',
		description: "Read a task's chat or comments",
		action: 'Get many comments of a task',
	},
	{
		name: 'Renew',
		value: 'renew',
		description: 'Return a completed, deferred or declined task to work (status 3, In Progress)',
		action: 'Renew a task',
	},
	{
		name: 'Start',
		value: 'start',
		description: 'Start work on a task (status 3, In Progress)',
		action: 'Start a task',
	},
];

/** Each operation's `execute`, by its value: what the router calls for the Task resource. */
export const OPERATIONS: Record<string, { execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> }> = {
	addComment,
	complete,
	defer,
	getManyComments,
	renew,
	start,
};

/** The parameters beside each operation (each shown only for its operation of the Task resource). */
export const properties: INodeProperties[] = [
	...addComment.description,
	...complete.description,
	...defer.description,
	...getManyComments.description,
	...renew.description,
	...start.description,
];

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['task'] } },
		// The record engine's Create, Delete, Get, Get Many and Update (actions/record/, RECORD_TYPES) with the task's own.
		options: [...recordOperationOptions('Task', 'tasks', { upsert: false }), ...TASK_OPERATION_OPTIONS].sort((a, b) => a.name.localeCompare(b.name)),
		default: 'create',
	},
	...properties,
];
