/**
 * The Timeline resource's description, without any network: its operations, alphabetical with actions; each
 * parameter shown only for the operations that read it; the record picked as Fire picks it (Entity Type, Record),
 * with Smart Process Item and its Smart Process Type; and every parameter name the node uses more than once keeps
 * one kind, as n8n needs of a name across displayOptions.
 */
import type { INodeProperties } from 'n8n-workflow';

import { Bitrix24 } from '../../../../nodes/Bitrix24/Bitrix24.node';

const { description } = new Bitrix24();
const timeline = description.properties.filter((p) => p.displayOptions?.show?.resource?.includes('timeline'));
const named = (name: string) => timeline.filter((p) => p.name === name);
const operationsOf = (name: string) => named(name).flatMap((p) => (p.displayOptions!.show!.operation as string[] | undefined) ?? ['*']);

test('Operation lists the seven operations alphabetically, each with an action', () => {
	const [operation] = named('operation');
	expect(operation).toMatchObject({ noDataExpression: true, displayOptions: { show: { resource: ['timeline'] } }, default: 'addComment' });
	expect((operation.options as Array<{ name: string; value: string; action: string }>).map((o) => [o.name, o.value, o.action])).toEqual([
		['Add Comment', 'addComment', 'Add a comment to a timeline'],
		['Delete Comment', 'deleteComment', 'Delete a timeline comment'],
		['Delete Log Entry', 'deleteLogEntry', 'Delete a timeline log entry'],
		['Get Many Comments', 'getManyComments', 'Get many timeline comments'],
		['Get Many Log Entries', 'getManyLogEntries', 'Get many timeline log entries'],
		['Log an Event', 'logEvent', 'Log an event to a timeline'],
		['Update Comment', 'updateComment', 'Update a timeline comment'],
	]);
});

test('the record is picked by Entity Type, Smart Process Type (for Smart Process Item) and Record, where an operation has one', () => {
	const onRecord = ['addComment', 'getManyComments', 'getManyLogEntries', 'logEvent'];
	expect(operationsOf('entityType').sort()).toEqual(onRecord);
	expect(operationsOf('entity').sort()).toEqual(onRecord);
	expect(operationsOf('smartProcessType').sort()).toEqual(onRecord);
	const [entityType] = named('entityType');
	expect((entityType.options as Array<{ value: string }>).map((o) => o.value)).toEqual(['company', 'contact', 'deal', 'invoice', 'lead', 'quote', 'smartProcessItem']);
	for (const p of named('smartProcessType')) {
		expect(p).toMatchObject({ type: 'options', typeOptions: { loadOptionsMethod: 'getSmartProcessTypes' } });
		expect(p.displayOptions!.show!.entityType).toEqual(['smartProcessItem']);
	}
	for (const p of named('entity')) expect((p.modes ?? []).map((m) => [m.name, m.typeOptions?.searchListMethod])).toEqual([['list', 'searchEntities'], ['id', undefined], ['url', undefined]]);
});

test("each operation's own parameters are shown for it only", () => {
	expect(operationsOf('commentText').sort()).toEqual(['addComment', 'updateComment']);
	expect(operationsOf('commentId').sort()).toEqual(['deleteComment', 'updateComment']);
	expect(operationsOf('logEntryId')).toEqual(['deleteLogEntry']);
	for (const name of ['logTitle', 'logText', 'pinEntry', 'alsoShowOn']) expect({ name, shown: operationsOf(name) }).toEqual({ name, shown: ['logEvent'] });
	expect(operationsOf('returnAll').sort()).toEqual(['getManyComments', 'getManyLogEntries']);
	// Log an Event's options: Icon Code and the request options, alphabetical; no Retry Unknown Outcomes, as nothing is sent twice that may not be.
	const [logOptions] = named('options').filter((p) => (p.displayOptions!.show!.operation as string[]).includes('logEvent'));
	const names = (logOptions.options as INodeProperties[]).map((o) => o.displayName);
	expect(names).toEqual([...names].sort());
	expect((logOptions.options as INodeProperties[]).map((o) => o.name)).toContain('iconCode');
	expect((logOptions.options as INodeProperties[]).map((o) => o.name)).not.toContain('retryUnknownOutcome');
});

test("each of Timeline's parameter names keeps one kind across the node (n8n reads a name as one parameter)", () => {
	const kinds = new Map<string, Set<string>>();
	const own = new Set(timeline.map((p) => p.name));
	for (const p of description.properties.filter((candidate) => own.has(candidate.name))) kinds.set(p.name, (kinds.get(p.name) ?? new Set()).add(p.type));
	const mixed = [...kinds].filter(([, types]) => types.size > 1).map(([name, types]) => `${name}: ${[...types].join(', ')}`);
	expect(mixed).toEqual([]);
});
