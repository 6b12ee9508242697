/**
 * Every dropdown of both nodes that may stay empty loads a list holding the empty value ("(Not Set)" first):
 * n8n's editor marks a value missing from a dropdown's loaded list as "not supported", which turned correct,
 * empty optional dropdowns red after a run (issue 23).
 */
import type { INodeProperties, INodePropertyCollection } from 'n8n-workflow';

import { Bitrix24 } from '../../../nodes/Bitrix24/Bitrix24.node';
import { Bitrix24Trigger } from '../../../nodes/Bitrix24/Bitrix24Trigger.node';

/** Every parameter, those inside collections and fixed collections too. */
function* parameters(list: Array<INodeProperties | INodePropertyCollection>): Generator<INodeProperties> {
	for (const entry of list) {
		if ('values' in entry) yield* parameters(entry.values);
		else {
			yield entry;
			if (entry.options) yield* parameters(entry.options as Array<INodeProperties | INodePropertyCollection>);
		}
	}
}

const OPTIONAL_LOADERS = ['getPipelinesOptional', 'getStagesOptional', 'getUsersOptional'];

test.each([
	['Bitrix24', new Bitrix24()],
	['Bitrix24 Trigger', new Bitrix24Trigger()],
])('%s: a portal dropdown loads the list with "(Not Set)" exactly when it may stay empty', (_name, node) => {
	const dropdowns = [...parameters(node.description.properties)].filter((p) => p.type === 'options' && p.typeOptions?.loadOptionsMethod);
	const portal = dropdowns.filter((p) => /^get(Pipelines|Stages|Users)/.test(String(p.typeOptions?.loadOptionsMethod)));
	expect(portal.length).toBeGreaterThan(0);
	for (const dropdown of portal) {
		const optional = !dropdown.required && dropdown.default === '';
		expect([dropdown.displayName, OPTIONAL_LOADERS.includes(String(dropdown.typeOptions?.loadOptionsMethod))]).toEqual([dropdown.displayName, optional]);
	}
	for (const method of Object.keys(node.methods.loadOptions)) expect(typeof node.methods.loadOptions[method as keyof typeof node.methods.loadOptions]).toBe('function');
});
