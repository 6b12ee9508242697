import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { unknownTriggerError } from '../../errors';
import { ENTITY_TYPES } from '../../helpers/entities';
import { notFound } from '../../helpers/records';
import { fetchTriggers } from '../../helpers/triggers';
import { PATTERNS, locatorValue, parseEntity, parseEntityType, parseTriggerCode } from '../../helpers/validate';
import { vibeRequest } from '../../transport';
import { entityLocator } from '../entityLocator';
import { requestOptions } from '../requestOptions';
import { runItems, type ItemOperation } from '../runItems';

const properties: INodeProperties[] = [
	{
		displayName: 'Entity Type',
		name: 'entityType',
		type: 'options',
		noDataExpression: false,
		options: ENTITY_TYPES.map(({ name, value }) => ({ name, value })),
		default: 'deal',
		required: true,
		description: 'The kind of CRM record the trigger fires on',
	},
	entityLocator(
		"The CRM record to fire the trigger on, by its numeric ID (the number in its Bitrix24 address, e.g. 5141 in /crm/deal/details/5141/). Bitrix24 runs the robots configured for the trigger at the record's current stage.",
	),
	{
		displayName: 'Trigger',
		name: 'trigger',
		type: 'resourceLocator',
		// By Code works with every key; From List needs an OAuth application key or codes listed on the credential.
		default: { mode: 'code', value: '' },
		required: true,
		description: 'The code of the automation trigger to fire, e.g. payment_received (the CODE that Get Many returns)',
		modes: [
			{
				displayName: 'By Code',
				name: 'code',
				type: 'string',
				placeholder: 'e.g. payment_received',
				// A parameter's hint cannot see the credential's key type, so it says what each type does.
				hint: "An OAuth application credential checks the code against the portal's triggers. A personal key cannot: list your codes in its Trigger Codes field, or read the output's verified field.",
				validation: [
					{
						type: 'regex',
						properties: {
							regex: PATTERNS.triggerCode,
							errorMessage: 'A trigger code has letters, digits, "_", "-", "." or ":" only',
						},
					},
				],
			},
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a trigger…',
				hint: "Lists the portal's triggers with an OAuth Application credential, or the credential's Trigger Codes with a personal key.",
				typeOptions: { searchListMethod: 'searchTriggers', searchable: true },
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			...requestOptions,
			{
				displayName: 'Verify Trigger Code',
				name: 'verifyTriggerCode',
				type: 'boolean',
				default: true,
				description:
					"Whether to check each code before firing: against the portal's trigger list with an OAuth Application credential (one list request per run), or against the credential's Trigger Codes with a personal key. VibeCode itself accepts unknown codes silently.",
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['automationTrigger'], operation: ['fire'] } }, properties);

interface FireRequest {
	entityType: string;
	entityId: number;
	triggerId: string;
}

/**
 * Whether a run's trigger codes were checked before firing, and against what: `verification` is what every output
 * item repeats, short, so that a list of items stays readable; `warning`, said once as the run's execution hint.
 */
export interface Verification {
	verified: boolean;
	verification: string;
	warning?: string;
}

export const VERIFICATION = {
	portal: {
		verified: true,
		verification: "The trigger code was checked against the portal's trigger list before firing.",
	},
	credential: {
		verified: true,
		verification:
			"The trigger code was checked against the credential's Trigger Codes list before firing. VibeCode cannot confirm codes for a personal key, so keep that list in step with the portal.",
	},
	personal: {
		verified: false,
		verification: "Not verified: a personal key cannot read the portal's triggers (see the credential's Trigger Codes)",
		warning:
			"Not verified: a personal key cannot read the portal's trigger list, and VibeCode accepts any code, so a misspelt code fires nothing and raises no error. List your trigger codes in the credential's Trigger Codes field to have them checked.",
	},
	off: {
		verified: false,
		verification: 'Not verified: Verify Trigger Code is off',
		warning: 'Not verified: Verify Trigger Code is off, and VibeCode accepts any code, so a misspelt code fires nothing and raises no error.',
	},
} satisfies Record<string, Verification>;

/**
 * POST /v1/triggers/fire for each item: `{ success, accepted, verified, verification, entityType, entityId, triggerId }`.
 * An unverified run also leaves a warning in the editor's output panel, where the running n8n has execution hints.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const verify = (this.getNodeParameter('options', 0, {}) as IDataObject).verifyTriggerCode !== false;
	let verification: Verification = verify ? VERIFICATION.personal : VERIFICATION.off;
	const fire: ItemOperation<FireRequest> = {
		read: (itemIndex) => {
			const entityType = parseEntityType(this.getNodeParameter('entityType', itemIndex));
			return {
				entityType,
				entityId: parseEntity(this.getNodeParameter('entity', itemIndex), entityType),
				triggerId: parseTriggerCode(this.getNodeParameter('trigger', itemIndex)),
			};
		},

		// An unknown code fails its item instead of firing into the void. An OAuth application checks against
		// the portal's list (one GET /v1/triggers per run); a personal key against the codes its credential declares.
		check: async (session, items) => {
			if (!verify) return new Map();
			let known: string[];
			if (session.keyType === 'oauthApp') {
				known = (await fetchTriggers.call(this, session, items[0].itemIndex)).map(({ code }) => code);
				verification = VERIFICATION.portal;
			} else if (session.triggerCodes.length > 0) {
				known = session.triggerCodes;
				verification = VERIFICATION.credential;
			} else {
				return new Map();
			}
			const source = session.keyType === 'oauthApp' ? 'portal' : 'credential';
			return new Map(
				items
					.filter(({ request }) => !known.includes(request.triggerId))
					.map(({ itemIndex, request }) => [itemIndex, unknownTriggerError(request.triggerId, known, source)]),
			);
		},

		send: async (session, request, itemIndex) => {
			const { data } = await vibeRequest.call(this, session, {
				method: 'POST',
				path: '/v1/triggers/fire',
				body: { ...request },
				itemIndex,
				errorTexts: notFound(request.entityType, request.entityId),
			});
			return [{ success: true, accepted: data === true, ...verification, ...request }];
		},

		// An item refused before sending shows its values as given, so it can be found and fixed.
		fields: (itemIndex, request) => {
			if (request) return { ...request };
			const given = (name: string) => {
				try {
					return (locatorValue(this.getNodeParameter(name, itemIndex)) ?? null) as IDataObject[string];
				} catch {
					return null;
				}
			};
			return { entityType: given('entityType'), entityId: given('entity'), triggerId: given('trigger') };
		},
	};
	const output = await runItems.call(this, fire);
	// Execution hints exist from n8n 1.3x on; older versions show the same words in the output only.
	if (!verification.verified && output.some(({ json }) => json.success === true) && typeof this.addExecutionHints === 'function') {
		this.addExecutionHints({ message: verification.warning ?? verification.verification, type: 'warning', location: 'outputPane' });
	}
	return output;
}
