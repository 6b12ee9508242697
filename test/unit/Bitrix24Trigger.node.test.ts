/** The polling trigger node's description, without any network. */
import type { INodeProperties } from 'n8n-workflow';

import { Bitrix24Trigger } from '../../nodes/Bitrix24/Bitrix24Trigger.node';

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

test('watches new records of the six entity types, with filters', () => {
	expect(values(field('event'))).toEqual(['newRecord']);
	expect(values(field('entityType'))).toEqual(['company', 'contact', 'deal', 'invoice', 'lead', 'quote']);
	expect(values(field('filters'))).toEqual(['assignedById', 'categoryId', 'stageId', 'statusId']);
});
