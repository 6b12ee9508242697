/**
 * Runs the Bitrix24 Instant Trigger's webhook() through n8n-core's WebhookContext, as n8n's webhook handler does
 * when a call arrives: a Workflow built from node JSON, the credential resolved by the same helper the engine tests
 * use (its `authenticate` applied as n8n does), the request's body and query as n8n's body parser leaves them,
 * and a response object that records what the node answered and when. Record reads go over real HTTP to the
 * sandbox.
 */
import { parse as parseQueryString } from 'node:querystring';

import { WebhookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { Bitrix24InstantTrigger } from '../../nodes/Bitrix24/Bitrix24InstantTrigger.node';
import { INSTANT_TYPE, TestCredentialsHelper, TestNodeTypes } from './engine';

const nodeType = new Bitrix24InstantTrigger();

/** What the node answered: HTTP status and JSON body, and when (ms since the call). */
export interface Answer {
	status: number;
	body: IDataObject;
	atMs: number;
}

export interface WebhookCall {
	parameters: IDataObject;
	/** The credential's data; without it the node has no credential set, as in the editor. */
	credentials?: ICredentialDataDecryptedObject;
	/** The body as n8n's parser gives it; a string is form-encoded text and is parsed as n8n 1.x and 2.x do. */
	body: IDataObject | string;
	query?: IDataObject;
	/** Isolates the duplicate memory between tests (it is kept per workflow and node, in the process). */
	workflowId?: string;
	mode?: WorkflowExecuteMode;
}

export interface WebhookOutcome {
	answer?: Answer;
	result: IWebhookResponseData;
	/** How long webhook() took in all (ms); the answer's atMs says when Bitrix24 got its answer. */
	totalMs: number;
	/** The output items of the execution n8n would start; undefined when none starts. */
	items?: IDataObject[];
}

/** One call of the trigger's URL. */
export async function callWebhook(call: WebhookCall): Promise<WebhookOutcome> {
	const node: INode = {
		id: 'a7c1e0d2-3b4f-4c5d-8e9f-0a1b2c3d4e5f',
		name: 'Bitrix24 Instant Trigger',
		type: INSTANT_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: '0d0f9a77-1c2b-4e3d-9f8a-7b6c5d4e3f2a',
		parameters: call.parameters as INode['parameters'],
		...(call.credentials ? { credentials: { bitrix24VibeApi: { id: 'cred-1', name: 'VibeCode' } } } : {}),
	};
	const workflow = new Workflow({
		id: call.workflowId ?? 'instant-workflow',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: new TestNodeTypes(),
		settings: { executionOrder: 'v1' },
	});
	const started = Date.now();
	let answer: Answer | undefined;
	const response = {
		statusCode: 200,
		status(code: number) {
			this.statusCode = code;
			return this;
		},
		json(body: IDataObject) {
			if (answer) throw new Error('answered twice');
			answer = { status: this.statusCode, body, atMs: Date.now() - started };
			return this;
		},
	};
	const body = typeof call.body === 'string' ? { ...parseQueryString(call.body, undefined, undefined, { maxKeys: 1000 }) } : call.body;
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(call.credentials ?? {}),
		executionId: 'webhook-1',
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
		userId: 'user-1',
		httpRequest: { body, query: call.query ?? {}, headers: { 'content-type': 'application/x-www-form-urlencoded' }, params: {} },
		httpResponse: response,
	} as unknown as IWorkflowExecuteAdditionalData;
	const webhookData: IWebhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: `${node.webhookId}/bitrix24`,
		webhookDescription: nodeType.description.webhooks![0],
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
	};
	const context = new WebhookContext(workflow, node, additionalData, call.mode ?? 'webhook', webhookData, [], null);
	const result = await nodeType.webhook.call(context);
	// n8n's `onReceived` (webhook-helpers, 1.x and 2.x): when the node did not answer itself, n8n answers once it has
	// started the execution (here: the moment webhook() returned) with the description's `responseData` if that is
	// set, which it is by default ('firstEntryJson', a string n8n then sends as it is), else the node's
	// webhookResponse, else its own "Workflow was started".
	if (!answer && !result.noWebhookResponse) {
		const responseData = nodeType.description.webhooks![0].responseData ?? 'firstEntryJson';
		const body = responseData === 'noData' ? {} : responseData ? responseData : ((result.webhookResponse as IDataObject | undefined) ?? { message: 'Workflow was started' });
		answer = { status: 200, body: body as IDataObject, atMs: Date.now() - started };
	}
	return { answer, result, totalMs: Date.now() - started, items: result.workflowData?.[0]?.map((item) => item.json) };
}
