/** The action node's description, without any network. */
import type { INodeProperties } from 'n8n-workflow';

import { Bitrix24 } from '../../nodes/Bitrix24/Bitrix24.node';
import * as codex from '../../nodes/Bitrix24/Bitrix24.node.json';
import { TASK_OPERATION_OPTIONS } from '../../nodes/Bitrix24/actions/task';
import { ENTITY_TYPES } from '../../nodes/Bitrix24/helpers/entities';
import { OPTION_DEFAULTS } from '../../nodes/Bitrix24/transport';
import * as pkg from '../../package.json';

const { description } = new Bitrix24();
const property = (name: string) => description.properties.find((p) => p.name === name) as INodeProperties;
const options = (p: INodeProperties) => (p.options as Array<{ name: string; value: string; action?: string }>) ?? [];

test('is an action node usable as an AI tool, with the credential, icons and subtitle', () => {
	expect(description).toMatchObject({
		name: 'bitrix24',
		displayName: 'Bitrix24',
		version: 1,
		usableAsTool: true,
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'bitrix24VibeApi', required: true }],
		icon: { light: 'file:bitrix24.svg', dark: 'file:bitrix24.dark.svg' },
	});
	expect(description.subtitle).toContain('$parameter["operation"]');
	expect(description.name.endsWith('Trigger')).toBe(false);
	expect(codex.node).toBe(`${pkg.name}.bitrix24`);
});

test('Resource: every resource, the six CRM record types as ENTITY_TYPES names them, alphabetically', () => {
	expect(options(property('resource'))).toEqual(
		[
			{ name: 'Automation Trigger', value: 'automationTrigger' },
			{ name: 'Chat Message', value: 'chatMessage' },
			{ name: 'Notification', value: 'notification' },
			...ENTITY_TYPES.map(({ name, value }) => ({ name, value })),
			{ name: 'Custom API Call', value: 'apiCall' },
			{ name: 'Other Entity', value: 'otherEntity' },
			{ name: 'Product Row', value: 'productRow' },
			{ name: 'Smart Process Item', value: 'smartProcessItem' },
			{ name: 'Task', value: 'task' },
			{ name: 'Timeline', value: 'timeline' },
			{ name: 'User', value: 'user' },
		].sort((a, b) => a.name.localeCompare(b.name)),
	);
	expect(property('resource').default).toBe('automationTrigger');
});

test('Automation Trigger has Fire and Get Many, alphabetical, with actions', () => {
	const operation = property('operation');
	expect(operation.noDataExpression).toBe(true);
	expect(options(operation).map((o) => [o.name, o.value, o.action])).toEqual([
		['Fire', 'fire', 'Fire an automation trigger'],
		['Get Many', 'getMany', 'Get many automation triggers'],
	]);
});

test('User has Get, Get Current and Get Many, alphabetical, with actions; nothing that writes', () => {
	const operation = description.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === 'user')!;
	expect(operation.displayOptions!.show).toEqual({ resource: ['user'] });
	expect(options(operation).map((o) => [o.name, o.value, o.action])).toEqual([
		['Get', 'get', 'Get a user'],
		['Get Current', 'getCurrent', 'Get the current user'],
		['Get Many', 'getMany', 'Get many users'],
	]);
	const shown = (name: string) => description.properties.filter((p) => p.name === name && p.displayOptions?.show?.resource?.[0] === 'user').map((p) => p.displayOptions!.show);
	expect(shown('userId')).toEqual([{ resource: ['user'], operation: ['get'] }]);
	expect(shown('active')).toEqual([{ resource: ['user'], operation: ['getMany'] }]);
	expect(shown('filters')).toEqual([{ resource: ['user'], operation: ['getMany'] }]);
});

test('Other Entity: Create, Delete, Get, Get Many and Update of the record engine, its Entity list, no CRM dropdowns', () => {
	const operation = description.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === 'otherEntity')!;
	expect(operation.displayOptions!.show).toEqual({ resource: ['otherEntity'] });
	expect(options(operation).map((o) => [o.value, o.action])).toEqual([
		['create', 'Create a record'],
		['delete', 'Delete a record'],
		['get', 'Get a record'],
		['getMany', 'Get many records'],
		['update', 'Update a record'],
	]);
	expect(property('otherEntity')).toMatchObject({ type: 'options', typeOptions: { loadOptionsMethod: 'getOtherEntities' }, displayOptions: { show: { resource: ['otherEntity'] } } });
	// The record operations' parameters are shown for it, but for Create or Update's; the dropdowns are hidden for it.
	const shows = (name: string, operation: string) =>
		description.properties.filter((p) => p.name === name && p.displayOptions?.show?.operation?.includes(operation)).some((p) => p.displayOptions!.show!.resource!.includes('otherEntity'));
	expect(['create', 'update'].map((op) => shows('columns', op))).toEqual([true, true]);
	expect(shows('columns', 'upsert')).toBe(false);
	expect(['get', 'delete', 'update'].map((op) => shows('entity', op))).toEqual([true, true, true]);
	for (const name of ['pipeline', 'stage', 'responsible']) {
		for (const p of description.properties.filter((candidate) => candidate.name === name && candidate.displayOptions?.show?.operation?.includes('create'))) {
			expect({ name, hidden: p.displayOptions!.hide!.resource }).toEqual({ name, hidden: expect.arrayContaining(['otherEntity']) });
		}
	}
});

test('Task has the record engine\'s operations (but Create or Update) and its own, alphabetical, with actions; each parameter beside its operation', () => {
	const operation = description.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === 'task')!;
	expect(operation.displayOptions!.show).toEqual({ resource: ['task'] });
	expect(options(operation)).toEqual(expect.arrayContaining(TASK_OPERATION_OPTIONS));
	expect(options(operation).map((o) => [o.name, o.value, o.action])).toEqual([
		['Add Comment', 'addComment', 'Add a comment to a task'],
		['Complete', 'complete', 'Complete a task'],
		['Create', 'create', 'Create a task'],
		['Defer', 'defer', 'Defer a task'],
		['Delete', 'delete', 'Delete a task'],
		['Get', 'get', 'Get a task'],
		['Get Many', 'getMany', 'Get many tasks'],
		['Get Many Comments', 'getManyComments', 'Get many comments of a task'],
		['Renew', 'renew', 'Renew a task'],
		['Start', 'start', 'Start a task'],
		['Update', 'update', 'Update a task'],
	]);
	const shown = (name: string) => description.properties.filter((p) => p.name === name && p.displayOptions?.show?.resource?.[0] === 'task').map((p) => p.displayOptions!.show!.operation);
	expect(shown('taskId')).toEqual([['addComment'], ['complete'], ['defer'], ['getManyComments'], ['renew'], ['start']]);
	expect(description.properties.find((p) => p.name === 'taskId' && p.displayOptions?.show?.resource?.[0] === 'task')).toMatchObject({ displayName: 'Task ID', required: true });
	expect(shown('message')).toEqual([['addComment']]);
	expect(shown('source')).toEqual([['getManyComments']]);
	expect(shown('returnAll')).toEqual([['getManyComments']]);
	// A create is never sent again, and a status change always may be: neither offers Retry Unknown Outcomes.
	for (const p of description.properties.filter((candidate) => candidate.name === 'options' && candidate.displayOptions?.show?.resource?.[0] === 'task')) {
		expect((p.options as INodeProperties[]).map((o) => o.name)).not.toContain('retryUnknownOutcome');
	}
});

test('every operation parameter is shown only for its resource and operation', () => {
	const shownFor = (name: string) => property(name).displayOptions?.show;
	for (const name of ['entityType', 'entity', 'trigger', 'options']) {
		expect({ name, show: shownFor(name) }).toEqual({ name, show: { resource: ['automationTrigger'], operation: ['fire'] } });
	}
	expect(shownFor('returnAll')).toEqual({ resource: ['automationTrigger'], operation: ['getMany'] });
	expect(shownFor('limit')).toEqual({ resource: ['automationTrigger'], operation: ['getMany'], returnAll: [false] });
});

test('Entity Type lists the six CRM types, alphabetically, defaulting to deal', () => {
	const entityType = property('entityType');
	expect(options(entityType).map((o) => o.value)).toEqual(['company', 'contact', 'deal', 'invoice', 'lead', 'quote']);
	expect(entityType.default).toBe('deal');
});

test('Entity and Trigger are resource locators with the expected modes', () => {
	const modes = (name: string) => (property(name).modes ?? []).map((m) => [m.name, m.typeOptions?.searchListMethod]);
	expect(modes('entity')).toEqual([['list', 'searchEntities'], ['id', undefined], ['url', undefined]]);
	expect(modes('trigger')).toEqual([['code', undefined], ['list', 'searchTriggers']]);
	// A new Fire node works with the default personal-key credential: the Trigger starts By Code.
	expect(property('trigger').default).toEqual({ mode: 'code', value: '' });
	// Each hint sits on the mode it applies to, not on the field in every mode.
	expect(property('trigger').hint).toBeUndefined();
	expect(property('trigger').modes!.map((m) => m.hint)).toEqual([expect.stringMatching(/Trigger Codes field/), expect.stringMatching(/OAuth Application credential/)]);
	expect(new Bitrix24().methods.listSearch).toEqual({ searchEntities: expect.any(Function), searchTriggers: expect.any(Function) });
	expect(Object.keys(new Bitrix24().methods.loadOptions).sort()).toEqual(['getOtherEntities', 'getPipelinesOptional', 'getRecordFieldNames', 'getSmartProcessTypes', 'getStagesOptional', 'getUsers', 'getUsersOptional']);
	expect(Object.keys(new Bitrix24().methods.resourceMapping)).toEqual(['getRecordFields']);
});

test('Fire options: parallelism, retries, waits, timeout, unknown outcomes, code check, alphabetical', () => {
	const fireOptions = property('options');
	expect(fireOptions.type).toBe('collection');
	const entries = (fireOptions.options as INodeProperties[]).map((o) => [o.displayName, o.name, o.default]);
	expect(entries.map(([, name, value]) => [name, value])).toEqual([
		['maxParallel', 2],
		['maxRetries', 4],
		['maxWait', 60],
		['retryUnknownOutcome', false],
		['timeout', 35],
		['verifyTriggerCode', true],
	]);
	expect(entries.map(([displayName]) => displayName)).toEqual(entries.map(([displayName]) => displayName).sort());
	// The defaults shown are the ones the node falls back to (Batch Size is the record operations' own).
	const { batchSize: _records, ...fireDefaults } = OPTION_DEFAULTS;
	expect(Object.fromEntries(entries.map(([, name, value]) => [name, value]))).toMatchObject(fireDefaults);
});
