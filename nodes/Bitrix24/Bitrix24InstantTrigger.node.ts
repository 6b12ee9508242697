import type { IDataObject, IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { getInstantPipelines, getInstantStages, getSmartProcessTypes, getUsers } from './methods/loadOptions';
import { getInstantWatchableFields } from './methods/watchableFields';

import { deliveryMemory } from './instant/deliveries';
import { chosenSmartProcesses, eventsSubtitle, instantProperties, SMART_PROCESS_TYPES } from './instant/description';
import { deliveryJson, deliveryKey, eventChosen, parseDelivery } from './instant/parse';
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
	skipped: { status: 200, body: { status: 'skipped', message: 'The record does not match the trigger\'s filters or watched fields' } },
} as const;

/** What the editor shows when its test call carried another token (never the token itself). */
const TOKEN_HINT =
	"The call was answered 401 and nothing ran. Paste the application token Bitrix24 shows for this outgoing webhook into Application Token (several separated by commas), or turn on Options → Accept Robot Calls Without Token for a Webhook robot that sends none.";

/** The answer of an event that starts the workflow: n8n sends it once the execution has started (`onReceived`). */
const ACCEPTED = { status: 'accepted' };

/**
 * The instant trigger: Bitrix24's outgoing webhooks and the "Webhook" robot call its URL. Each call is checked
 * (the application token in constant time, the event chosen, a delivery seen before), then the record is read and
 * filtered, and only an event that starts an execution is answered "accepted", by n8n, once the execution has
 * started (as n8n's Webhook node answers "Respond Immediately"). Answering before that would lose the event for good
 * when n8n stops in between: Bitrix24 never sends a call again after a 2xx, but it does after no answer
 * (docs/instant-trigger.md, "What 'accepted' guarantees").
 * Its own node type, so the polling Bitrix24 Trigger's saved workflows stay as they are.
 */
export class Bitrix24InstantTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Instant Trigger',
		name: 'bitrix24InstantTrigger',
		icon: { light: 'file:bitrix24.svg', dark: 'file:bitrix24.dark.svg' },
		group: ['trigger'],
		version: 1,
		// The events' names as the Events list shows them ("Deal Updated, Robot Call"), not their values.
		subtitle: eventsSubtitle,
		description: "Starts a workflow the moment Bitrix24 sends a CRM event or a Webhook robot's call",
		defaults: { name: 'Bitrix24 Instant Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Only to read the record: without Read the Record the node needs no VibeCode key at all. `hide`, not
		// `show: { readRecord: [true] }`: n8n's editor takes a parameter named in a credential's `show` for the node's
		// authentication field (its node helpers' getMainAuthField: a field whose every value shows a credential, a
		// boolean has no values to miss) and hides it from the parameters, so Read the Record could not be turned on.
		// It reads only `show` for that; `hide` shows and hides the credential the same way. A run with Read the Record
		// on and no credential fails at the read, saying which credential is missing (transport's openSession).
		credentials: [{ name: 'bitrix24VibeApi', required: true, displayOptions: { hide: { readRecord: [false] } } }],
		// What the canvas shows under the node while it listens for a test event (n8n: "Waiting for you to create an
		// event in Bitrix24 Instant"). n8n's panel keeps its own "Go to Bitrix24 Instant and create an event".
		eventTriggerDescription: 'Waiting for Bitrix24 to call the Test URL',
		activationMessage: "Bitrix24's calls to the Production URL now start this workflow: paste that URL into Bitrix24's outgoing webhook or \"Webhook\" robot if you have not yet.",
		// `responseData: ''`: without it n8n takes its default, 'firstEntryJson', and answers that very string instead of
		// the node's webhookResponse ({ status: 'accepted' }) once the execution has started.
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'bitrix24' }],
		properties: instantProperties,
	};

	methods = { loadOptions: { getInstantPipelines, getInstantStages, getInstantWatchableFields, getSmartProcessTypes, getUsers } };

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
		// Calls that start nothing are answered here; a call that starts the workflow is answered by n8n (see ACCEPTED).
		const answer = ({ status, body }: { status: number; body: IDataObject }): IWebhookResponseData => {
			this.getResponseObject().status(status).json(body);
			return { noWebhookResponse: true };
		};
		const start = (json: IDataObject): IWebhookResponseData => ({ webhookResponse: ACCEPTED, workflowData: [[{ json }]] });
		const delivery = parseDelivery(this.getBodyData(), this.getQueryData());

		// The token first: a caller without it learns nothing else.
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const robotWithoutToken = delivery.kind === 'robot' && delivery.token === undefined && options.robotWithoutToken === true;
		if (!robotWithoutToken && !tokenAccepted(delivery.token, acceptedTokens(this.getNodeParameter('applicationToken', '')))) {
			const refused = answer(ANSWERS.unauthorized);
			// While the editor listens (the Test URL), the refusal is shown there too, so that a wrong token does not
			// look like a call that never came. Production calls start nothing.
			if (this.getMode() !== 'manual') return refused;
			const { error, message } = ANSWERS.unauthorized.body;
			return { ...refused, workflowData: [[{ json: { code: error, error: message, hint: TOKEN_HINT, refusedWith: 401 } }]] };
		}
		if (delivery.kind === 'unknown') return answer(ANSWERS.unknown);
		const events = this.getNodeParameter('events', []) as string[];
		if (!eventChosen(delivery, events, chosenSmartProcesses(this.getNodeParameter(SMART_PROCESS_TYPES, [])))) return answer(ANSWERS.ignored);

		// Checked and noted before anything is awaited: of two copies arriving together, one starts the workflow.
		// The memory lives and dies with this process, as do the calls not yet answered: after a restart, a call that
		// got no answer and is sent again is new.
		const key = deliveryKey(delivery);
		const node = this.getNode();
		const owner = `${this.getWorkflow().id ?? ''}/${node.id ?? node.name}/${this.getMode()}`;
		if (key !== undefined && !deliveryMemory(owner).firstTime(key)) {
			return answer(ANSWERS.duplicate);
		}

		const event = deliveryJson(delivery);
		if (!(this.getNodeParameter('readRecord', false) as boolean) || !readable(delivery)) return start(event);
		const outcome = await readRecord.call(this, delivery);
		// A failed read (after its retries) still starts the execution, with the reason (see instant/record.ts).
		if ('failure' in outcome) return start({ ...event, ...outcome.failure });
		// Watch Fields before the filters: the values are noted for every read, also of a record the filters skip.
		const watched = startsWorkflow(owner, delivery, outcome.record, watchedFields(this.getNodeParameter('watchFields', [])));
		if (!watched || !passesFilters(outcome.record, readFilters(this.getNodeParameter('filters', {}) as IDataObject))) return answer(ANSWERS.skipped);
		return start({ ...outcome.record, bitrix24Event: event });
	}
}
