import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../sandbox/server';

export const personal = (sandbox: Sandbox): ICredentialDataDecryptedObject => ({
	keyType: 'personal',
	apiKey: sandbox.keys.personal,
	baseUrl: sandbox.url,
});

export const oauthApp = (sandbox: Sandbox, sessionToken = sandbox.keys.session): ICredentialDataDecryptedObject => ({
	keyType: 'oauthApp',
	apiKey: sandbox.keys.app,
	sessionToken,
	baseUrl: sandbox.url,
});

export interface FireInput {
	entityType?: unknown;
	entity?: unknown;
	trigger?: unknown;
	options?: IDataObject;
}

/** Fire parameters as the editor stores them: resource locators for Entity and Trigger. */
export function fireParameters({ entityType = 'deal', entity = '5141', trigger = 'payment_received', options }: FireInput = {}): IDataObject {
	return {
		resource: 'automationTrigger',
		operation: 'fire',
		entityType: entityType as IDataObject[string],
		entity: typeof entity === 'object' && entity !== null && '__rl' in entity ? entity : { __rl: true, mode: 'id', value: entity },
		trigger: typeof trigger === 'object' && trigger !== null && '__rl' in trigger ? trigger : { __rl: true, mode: 'code', value: trigger },
		options: { maxWait: 5, ...options },
	};
}

/** Everything an error or an output could show a user or a log, as one string. */
export function serialise(value: unknown): string {
	const seen = new WeakSet();
	return JSON.stringify(value, function (_key, inner) {
		if (inner instanceof Error) {
			const plain: IDataObject = {};
			for (const name of Object.getOwnPropertyNames(inner)) plain[name] = (inner as unknown as IDataObject)[name];
			return { ...plain, cause: (inner as { cause?: unknown }).cause, stack: inner.stack };
		}
		if (inner && typeof inner === 'object') {
			if (seen.has(inner)) return '[circular]';
			seen.add(inner);
		}
		return inner;
	});
}
