import type { IDataObject, IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { getInstantStages, getPipelines, getUsers } from './methods/loadOptions';
import { getInstantWatchableFields } from './methods/watchableFields';

import { deliveryMemory } from './instant/deliveries';
import { instantProperties } from './instant/description';
import { deliveryJson, deliveryKey, eventOption, parseDelivery } from './instant/parse';
import { passesFilters, readable, readFilters, readRecord } from './instant/record';
import { acceptedTokens, tokenAccepted } from './instant/token';
import { startsWorkflow } from './instant/watched';
import { watchedFields } from './trigger/parameters';

/** What the node answers Bitrix24; short, and never the token. */
const ANSWERS = {
	unauthorized: { status: 401, body: { error: 'UNAUTHORIZED', message: 'The application token is missing or does not match' } },
	unknown: { status: 400, body: { error: 'UNKNOWN_CALL', message: 'Neither a Bitrix24 event nor a Webhook robot call' } },
	ignored: { status: 200, body: { status: 'ignored', message: 'This event is not selected in the trigger' } },
	duplicate: { status: 200, body: { status: 'duplicate', message: 'This delivery was received before' } },
	accepted: { status: 200, body: { status: 'accepted' } },
} as const;

/**
 * The instant trigger: Bitrix24's outgoing webhooks and the "Webhook" robot call its URL. Each call is checked
 * (the application token in constant time, the event chosen, a delivery seen before), answered at once, and only
 * then worked on (the record read, the filters), so a slow read never makes Bitrix24's queue slow down this handler.
 * Its own node type, so the polling Bitrix24 Trigger's saved workflows stay as they are.
 */
export class Bitrix24InstantTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Instant Trigger',
		name: 'bitrix24InstantTrigger',
		icon: { light: 'file:bitrix24.svg', dark: 'file:bitrix24.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description: "Starts a workflow the moment Bitrix24 sends a CRM event or a Webhook robot's call",
		defaults: { name: 'Bitrix24 Instant Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Only to read the record: without Read the Record the node needs no VibeCode key at all.
		credentials: [{ name: 'bitrix24VibeApi', required: true, displayOptions: { show: { readRecord: [true] } } }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'bitrix24' }],
		properties: instantProperties,
	};

	methods = { loadOptions: { getInstantStages, getInstantWatchableFields, getPipelines, getUsers } };

	/**
	 * Bitrix24 has no API this node could use to subscribe its URL (VibeCode's event subscriptions reach only
	 * servers hosted on VibeCode): the user pastes the URL into Bitrix24 once, as the notice says. So activation
	 * registers nothing and deactivation removes nothing; the URL simply stops answering while the workflow is off.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const response = this.getResponseObject();
		const answer = ({ status, body }: { status: number; body: IDataObject }): IWebhookResponseData => {
			response.status(status).json(body);
			return { noWebhookResponse: true };
		};
		const delivery = parseDelivery(this.getBodyData(), this.getQueryData());

		// The token first: a caller without it learns nothing else.
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const robotWithoutToken = delivery.kind === 'robot' && delivery.token === undefined && options.robotWithoutToken === true;
		if (!robotWithoutToken && !tokenAccepted(delivery.token, acceptedTokens(this.getNodeParameter('applicationToken', '')))) {
			return answer(ANSWERS.unauthorized);
		}
		if (delivery.kind === 'unknown') return answer(ANSWERS.unknown);
		const option = eventOption(delivery);
		const events = this.getNodeParameter('events', []) as string[];
		if (!option || !events.includes(option)) return answer(ANSWERS.ignored);

		// Checked and noted before anything is awaited: of two copies arriving together, one starts the workflow.
		const key = deliveryKey(delivery);
		const node = this.getNode();
		const owner = `${this.getWorkflow().id ?? ''}/${node.id ?? node.name}/${this.getMode()}`;
		if (key !== undefined && !deliveryMemory(owner).firstTime(key)) {
			return answer(ANSWERS.duplicate);
		}
		answer(ANSWERS.accepted);

		const event = deliveryJson(delivery);
		if (!(this.getNodeParameter('readRecord', false) as boolean) || !readable(delivery)) {
			return { noWebhookResponse: true, workflowData: [[{ json: event }]] };
		}
		const outcome = await readRecord.call(this, delivery);
		// The read failed after Bitrix24 had its answer: the execution starts with the reason (see instant/record.ts).
		if ('failure' in outcome) return { noWebhookResponse: true, workflowData: [[{ json: { ...event, ...outcome.failure } }]] };
		// Watch Fields before the filters: the values are noted for every read, also of a record the filters skip.
		const watched = startsWorkflow(owner, delivery, outcome.record, watchedFields(this.getNodeParameter('watchFields', [])));
		if (!watched || !passesFilters(outcome.record, readFilters(this.getNodeParameter('filters', {}) as IDataObject))) return { noWebhookResponse: true };
		return { noWebhookResponse: true, workflowData: [[{ json: { ...outcome.record, bitrix24Event: event } }]] };
	}
}
