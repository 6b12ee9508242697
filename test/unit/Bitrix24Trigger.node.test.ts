/** The polling trigger node's description, without any network. */
import type { INodeProperties } from 'n8n-workflow';

import { Bitrix24 } from '../../nodes/Bitrix24/Bitrix24.node';
import { Bitrix24Trigger } from '../../nodes/Bitrix24/Bitrix24Trigger.node';
import { TRIGGER_DESCRIPTION } from '../../nodes/Bitrix24/trigger/description';

const { description } = new Bitrix24Trigger();
const field = (name: string) => description.properties.find((p) => p.name === name) as INodeProperties;
const values = (p: INodeProperties) => ((p.options ?? []) as Array<{ value?: string; name: string }>).map((o) => o.value ?? o.name);

test('is a polling trigger node with the same credential', () => {
	expect(description).toMatchObject({
		name: 'bitrix24Trigger',
		displayName: 'Bitrix24 Trigger',
		group: ['trigger'],
		polling: true,
		inputs: [],
		outputs: ['main'],
		credentials: [{ name: 'bitrix24VibeApi', required: true }],
	});
});

const events = (entityType: string) =>
	values(description.properties.find((p) => p.name === 'event' && p.displayOptions?.show?.entityType?.includes(entityType)) as INodeProperties);

test('events per entity type: stages for deals, quotes, invoices and smart-process items, statuses for leads, neither for people and companies', () => {
	expect(values(field('entityType'))).toEqual(['company', 'contact', 'deal', 'invoice', 'lead', 'quote', 'smartProcessItem']);
	for (const type of ['deal', 'invoice', 'quote', 'smartProcessItem']) expect(events(type)).toEqual(['newRecord', 'updatedRecord', 'enteredStage']);
	expect(events('lead')).toEqual(['newRecord', 'updatedRecord', 'enteredStage']);
	const leadEvent = description.properties.find((p) => p.name === 'event' && p.displayOptions?.show?.entityType?.includes('lead'));
	expect((leadEvent?.options as Array<{ name: string }>).map((o) => o.name)).toContain('Entered Status');
	for (const type of ['company', 'contact']) expect(events(type)).toEqual(['newRecord', 'updatedRecord']);
	expect(new Set(description.properties.filter((p) => p.name === 'event').flatMap((p) => p.displayOptions?.show?.entityType))).toEqual(
		new Set(['company', 'contact', 'deal', 'invoice', 'lead', 'quote', 'smartProcessItem']),
	);
});

describe('filters are offered only for the entity types they apply to', () => {
	const filters = field('filters').options as INodeProperties[];
	const filter = (name: string) => filters.find((f) => f.name === name) as INodeProperties;
	const shownFor = (name: string) => (filter(name).displayOptions?.show?.['/entityType'] as string[] | undefined) ?? 'all';

	test('Responsible User for all, Pipeline for deals and smart-process items, Stage for those, quotes and invoices, Status for leads only', () => {
		expect(filters.map((f) => f.name)).toEqual(['assignedById', 'categoryId', 'stageId', 'statusId']);
		expect(shownFor('assignedById')).toBe('all');
		expect(shownFor('categoryId')).toEqual(['deal', 'smartProcessItem']);
		expect(shownFor('stageId')).toEqual(['deal', 'invoice', 'quote', 'smartProcessItem']);
		expect(shownFor('statusId')).toEqual(['lead']);
	});

	test('pickers load from the portal and accept an ID; adding Pipeline does not mean the default pipeline', () => {
		expect(filter('assignedById')).toMatchObject({ type: 'options', typeOptions: { loadOptionsMethod: 'getUsersOptional' }, default: '' });
		expect(filter('categoryId')).toMatchObject({ type: 'options', typeOptions: { loadOptionsMethod: 'getPipelinesOptional' }, default: '' });
		expect(filter('stageId')).toMatchObject({ type: 'options', typeOptions: { loadOptionsMethod: 'getStagesOptional', loadOptionsDependsOn: ['entityType', 'smartProcessType', 'filters.categoryId'] } });
		expect(filter('statusId')).toMatchObject({ type: 'options', typeOptions: { loadOptionsMethod: 'getStagesOptional' } });
	});

	test('Entered Stage watches its own Stage; the stage filters are hidden there', () => {
		expect(filter('stageId').displayOptions?.show?.['/event']).toEqual(['newRecord', 'updatedRecord']);
		const stage = description.properties.filter((p) => p.name === 'stage');
		expect(stage.map((p) => [p.displayName, p.displayOptions?.show?.entityType])).toEqual([
			['Stage Name or ID', ['deal', 'invoice', 'quote', 'smartProcessItem']],
			['Status Name or ID', ['lead']],
		]);
		expect(field('pipeline')).toMatchObject({ typeOptions: { loadOptionsMethod: 'getPipelinesOptional' }, displayOptions: { show: { entityType: ['deal', 'smartProcessItem'], event: ['enteredStage'] } } });
	});

	test('Smart Process Item: its type picked from the portal, shown for it only', () => {
		expect(field('smartProcessType')).toMatchObject({ type: 'options', required: true, typeOptions: { loadOptionsMethod: 'getSmartProcessTypes' }, displayOptions: { show: { entityType: ['smartProcessItem'] } } });
		expect(new Bitrix24Trigger().methods.loadOptions.getSmartProcessTypes).toBeInstanceOf(Function);
	});
});

describe('Updated Record: Watch Fields', () => {
	test('a multi-select loaded from the portal\'s fields of the entity type, shown for Updated Record only, empty by default', () => {
		expect(field('watchFields')).toMatchObject({
			type: 'multiOptions',
			default: [],
			typeOptions: { loadOptionsMethod: 'getWatchableFields', loadOptionsDependsOn: ['entityType', 'smartProcessType'] },
			displayOptions: { show: { event: ['updatedRecord'] } },
		});
		expect(new Bitrix24Trigger().methods.loadOptions.getWatchableFields).toBeInstanceOf(Function);
	});
});

describe('the editor\'s node creator', () => {
	/**
	 * n8n's editor (useActionsGeneration.ts, generateMergedNodesAndActions) lists a trigger whose type name is
	 * another node's plus "Trigger" as one entry with that node, and gives the entry the trigger's description,
	 * in the trigger panel and in "What happens next?" alike. This is that rule.
	 */
	function nodeCreatorEntries(nodes: Array<{ name: string; description: string; group: string[] }>) {
		const entries = nodes.filter((node) => !node.group.includes('trigger')).map((node) => ({ ...node }));
		for (const trigger of nodes.filter((node) => node.group.includes('trigger'))) {
			const app = entries.find((entry) => entry.name === trigger.name.replace('Trigger', ''));
			if (app) app.description = trigger.description;
			else entries.push({ ...trigger });
		}
		return entries;
	}

	test('the one Bitrix24 entry, shown in both panels, describes what both nodes do', () => {
		const node = new Bitrix24().description;
		const entries = nodeCreatorEntries([node, description]);
		expect(entries.map((entry) => entry.name)).toEqual(['bitrix24']);
		const [entry] = entries;
		expect(entry.description).toBe(TRIGGER_DESCRIPTION);
		// "What happens next?": what the Bitrix24 node itself does comes first, in its own words...
		expect(entry.description.startsWith(node.description.replace(/ through the Bitrix24 VibeCode API$/, ''))).toBe(true);
		// ...and "What triggers this workflow?": what the trigger does.
		expect(entry.description).toMatch(/start a workflow when records are created, changed or reach a stage$/);
	});
});
