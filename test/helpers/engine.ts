/**
 * Runs the Bitrix24 node inside n8n-core's real execution engine (WorkflowExecute), the way n8n's own
 * node tests do: a Workflow built from node JSON, NodeTypes, a credentials helper that resolves the
 * credential and applies its declarative `authenticate` as n8n's CredentialsHelper does, lifecycle hooks.
 * Requests go over real HTTP to the sandbox.
 */
import { ExecuteContext, ExecutionLifecycleHooks, LoadOptionsContext, PollContext, RoutingNode, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeListSearchResult,
	INodePropertyOptions,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	ResourceMapperField,
	ResourceMapperFields,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, createDeferredPromise, createEmptyRunExecutionData, NodeHelpers, Workflow } from 'n8n-workflow';

import { Bitrix24VibeApi } from '../../credentials/Bitrix24VibeApi.credentials';
import { Bitrix24 } from '../../nodes/Bitrix24/Bitrix24.node';
import { Bitrix24Trigger } from '../../nodes/Bitrix24/Bitrix24Trigger.node';
import { Bitrix24InstantTrigger } from '../../nodes/Bitrix24/Bitrix24InstantTrigger.node';

export const NODE_TYPE = 'n8n-nodes-bitrix24-vibecode.bitrix24';
export const TRIGGER_TYPE = 'n8n-nodes-bitrix24-vibecode.bitrix24Trigger';
export const INSTANT_TYPE = 'n8n-nodes-bitrix24-vibecode.bitrix24InstantTrigger';
const credentialType = new Bitrix24VibeApi();

type NodeTypeMap = Record<string, INodeType | IVersionedNodeType>;

/** The package's three node types (and any extra ones a test adds), as n8n's registry gives them. */
export class TestNodeTypes implements INodeTypes {
	private readonly types: NodeTypeMap;

	constructor(extra: NodeTypeMap = {}) {
		this.types = { [NODE_TYPE]: new Bitrix24(), [TRIGGER_TYPE]: new Bitrix24Trigger(), [INSTANT_TYPE]: new Bitrix24InstantTrigger(), ...extra };
	}

	getByName(name: string): INodeType | IVersionedNodeType {
		return this.types[name];
	}

	getByNameAndVersion(name: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.types[name], version);
	}

	getKnownTypes() {
		return {};
	}
}

/**
 * Resolves our one credential type; its declarative `authenticate` is applied as n8n's CredentialsHelper applies a
 * generic one (n8n 2.8.4, dist/credentials-helper.js): each header's name and value resolved as an expression with
 * `$credentials` in scope, a value that resolves to nothing sent as ''.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, options: IHttpRequestOptions, workflow: Workflow, node: INode) {
		if (typeName !== credentialType.name) throw new Error(`unknown credential type ${typeName}`);
		return applyAuthenticate(credentials, options, workflow, node);
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used');
	}

	async getDecrypted(_additionalData: IWorkflowExecuteAdditionalData, _details: INodeCredentialsDetails, type: string) {
		if (type !== credentialType.name) throw new Error(`unknown credential type ${type}`);
		// Defaults first, as n8n's helper applies credential property defaults.
		const defaults = Object.fromEntries(credentialType.properties.map((p) => [p.name, p.default]));
		return { ...defaults, ...this.data } as ICredentialDataDecryptedObject;
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return credentialType.properties;
	}
}

/** The credential's generic `authenticate` applied to one request, as n8n's CredentialsHelper.authenticate does. */
export function applyAuthenticate(credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions, workflow: Workflow, node: INode): IHttpRequestOptions {
	const resolve = (value: string) => {
		if (value.charAt(0) !== '=') return value;
		const resolved = workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials } as never, undefined, '');
		return resolved ? String(resolved) : '';
	};
	options.headers ??= {};
	const { authenticate } = credentialType;
	for (const [outer, entries] of Object.entries(authenticate.properties)) {
		const target = ((options as unknown as Record<string, Record<string, string>>)[outer] ??= {});
		for (const [key, value] of Object.entries(entries as Record<string, string>)) target[resolve(key)] = resolve(value);
	}
	return options;
}

export interface RunResult {
	run: IRun;
	/** The node's output items (main output 0), or undefined when the node failed. */
	items?: INodeExecutionData[];
	/** Every main output (with "Continue (using error output)", output 1 holds the error items). */
	outputs?: Array<INodeExecutionData[] | null>;
	/** The node's execution error, as n8n stores it in run data. */
	error?: IDataObject & { message: string; description?: string; context?: IDataObject; httpCode?: string | null };
}

export interface RunOptions {
	parameters: IDataObject;
	credentials: ICredentialDataDecryptedObject;
	input?: IDataObject[];
	continueOnFail?: boolean;
	mode?: WorkflowExecuteMode;
	/** Gets the running execution, so a test can cancel it as n8n's Stop button does. */
	onStart?: (running: { cancel: () => void }) => void;
	/** Runs another node type in the same place (the benchmark's HTTP Request node), with node settings. */
	node?: Partial<INode>;
	extraTypes?: NodeTypeMap;
}

function buildNode(parameters: IDataObject, continueOnFail = false): INode {
	return {
		id: '0b5a8c1e-4c0e-4d3b-9a1e-5d3f3a0b7c11',
		name: 'Bitrix24',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: { bitrix24VibeApi: { id: 'cred-1', name: 'VibeCode' } },
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

function buildWorkflow(node: INode, extraTypes?: NodeTypeMap, staticData?: IDataObject): Workflow {
	return new Workflow({
		id: 'test-workflow',
		staticData,
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes(extraTypes),
		// The zone is explicit: n8n's expressions set luxon's default zone to the workflow's (else n8n's default,
		// America/New_York) each time one is resolved, and the credential's headers are expressions, so a date-time
		// without a zone would otherwise be read in a zone that depends on what ran before.
		settings: { executionOrder: 'v1', timezone: 'UTC' },
	});
}

function buildAdditionalData(
	credentials: ICredentialDataDecryptedObject,
	hooks?: ExecutionLifecycleHooks,
	currentNodeParameters?: IDataObject,
): IWorkflowExecuteAdditionalData {
	return {
		hooks,
		credentialsHelper: new TestCredentialsHelper(credentials),
		executionId: 'exec-1',
		currentNodeParameters,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
		userId: 'user-1',
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not used');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** Calls a listSearch method through n8n-core's LoadOptionsContext, as the editor's REST call does. */
export async function listSearch(
	method: 'searchTriggers' | 'searchEntities',
	options: { parameters: IDataObject; credentials: ICredentialDataDecryptedObject; filter?: string; paginationToken?: string },
): Promise<INodeListSearchResult> {
	const node = buildNode(options.parameters);
	const context = new LoadOptionsContext(
		buildWorkflow(node),
		node,
		buildAdditionalData(options.credentials, undefined, options.parameters),
		'parameters.trigger',
	);
	const type = new Bitrix24();
	return await type.methods.listSearch[method].call(context, options.filter, options.paginationToken);
}

/** Calls one of the Bitrix24 Trigger's loadOptions methods through n8n-core's LoadOptionsContext. */
export async function loadTriggerOptions(
	method: keyof Bitrix24Trigger['methods']['loadOptions'],
	options: { parameters: IDataObject; credentials: ICredentialDataDecryptedObject },
) {
	const node: INode = { ...buildNode(options.parameters), name: 'Bitrix24 Trigger', type: TRIGGER_TYPE };
	const context = new LoadOptionsContext(
		buildWorkflow(node),
		node,
		buildAdditionalData(options.credentials, undefined, options.parameters),
		`parameters.${method}`,
	);
	return await new Bitrix24Trigger().methods.loadOptions[method].call(context);
}

/** The same for the Bitrix24 Instant Trigger's load-options methods. */
export async function loadInstantOptions(
	method: keyof Bitrix24InstantTrigger['methods']['loadOptions'],
	options: { parameters: IDataObject; credentials: ICredentialDataDecryptedObject },
) {
	const node: INode = { ...buildNode(options.parameters), name: 'Bitrix24 Instant Trigger', type: INSTANT_TYPE };
	const context = new LoadOptionsContext(
		buildWorkflow(node),
		node,
		buildAdditionalData(options.credentials, undefined, options.parameters),
		`parameters.${method}`,
	);
	return await new Bitrix24InstantTrigger().methods.loadOptions[method].call(context);
}

/**
 * Calls the Bitrix24 node's resource mapper method (the field mapper's "Fields" list) through n8n-core's
 * LoadOptionsContext, as the editor's REST call does with the node's current parameters.
 */
export async function loadMapperFields(options: { parameters: IDataObject; credentials: ICredentialDataDecryptedObject }): Promise<ResourceMapperFields> {
	const node = buildNode(options.parameters);
	const context = new LoadOptionsContext(
		buildWorkflow(node),
		node,
		buildAdditionalData(options.credentials, undefined, options.parameters),
		'parameters.columns',
	);
	return await new Bitrix24().methods.resourceMapping.getRecordFields.call(context);
}

/** Calls one of the Bitrix24 node's own loadOptions methods (record resources) through n8n-core's LoadOptionsContext. */
export async function loadNodeOptions(
	method: keyof Bitrix24['methods']['loadOptions'],
	options: { parameters: IDataObject; credentials: ICredentialDataDecryptedObject },
): Promise<INodePropertyOptions[]> {
	const node = buildNode(options.parameters);
	const context = new LoadOptionsContext(
		buildWorkflow(node),
		node,
		buildAdditionalData(options.credentials, undefined, options.parameters),
		`parameters.${method}`,
	);
	return await new Bitrix24().methods.loadOptions[method].call(context);
}

/**
 * One poll of the Bitrix24 Trigger through n8n-core's PollContext, as n8n's poller calls it. The static data
 * goes in and comes out as JSON, the way n8n stores it in its database between polls and restarts.
 */
export async function poll(options: {
	parameters: IDataObject;
	credentials: ICredentialDataDecryptedObject;
	staticData?: string;
	/**
	 * A live static-data object shared by several polls, as n8n shares one activated workflow's static data
	 * between a poll still running and the next one it starts on schedule.
	 */
	liveStaticData?: IDataObject;
	mode?: 'manual' | 'trigger';
}): Promise<{ items: INodeExecutionData[] | null; staticData: string }> {
	const node: INode = { ...buildNode(options.parameters), name: 'Bitrix24 Trigger', type: TRIGGER_TYPE };
	const workflow = buildWorkflow(node, undefined, options.liveStaticData ?? (options.staticData ? JSON.parse(options.staticData) : {}));
	const mode = options.mode ?? 'trigger';
	const context = new PollContext(workflow, node, buildAdditionalData(options.credentials), mode, mode === 'manual' ? 'manual' : 'activate');
	const result = await new Bitrix24Trigger().poll.call(context);
	return { items: result?.[0] ?? null, staticData: JSON.stringify(workflow.staticData) };
}

export async function runNode(options: RunOptions): Promise<RunResult> {
	const node = { ...buildNode(options.parameters, options.continueOnFail), ...options.node };
	const workflow = buildWorkflow(node, options.extraTypes);
	// A production run (as after a trigger) unless a test asks for the editor's manual run, which reads more
	// (helpers/keyExpiry.ts) and so is tested on its own.
	const mode = options.mode ?? 'trigger';

	const hooks = new ExecutionLifecycleHooks(mode, 'exec-1', {
		id: 'test-workflow',
		name: 'test',
		active: false,
		isArchived: false,
		nodes: [node],
		connections: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as never);
	const done = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (run) => done.resolve(run));
	const additionalData = buildAdditionalData(options.credentials, hooks);

	const input = (options.input ?? [{}]).map((json) => ({ json }));
	const runData: IRunExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [{ node, data: { main: [input] }, source: null }],
		},
	} as unknown as IRunExecutionData;

	const execute = new WorkflowExecute(additionalData, mode, runData);
	const running = execute.processRunExecutionData(workflow);
	options.onStart?.(running);
	const run = await done.promise;
	await running;
	const task = run.data.resultData.runData.Bitrix24?.[0];
	return {
		run,
		items: task?.data?.main?.[0] ?? undefined,
		outputs: task?.data?.main,
		error: (task?.error ?? run.data.resultData.error) as RunResult['error'],
	};
}

/** The field mapper's fields as the editor saves them with the workflow (`columns.schema`): what getRecordFields returns. */
export async function mapperSchema(
	credentials: ICredentialDataDecryptedObject,
	resource: string,
	operation: 'create' | 'upsert' | 'update',
): Promise<ResourceMapperField[]> {
	const { fields } = await loadMapperFields({ parameters: { resource, operation }, credentials });
	return fields;
}

/**
 * The credential window's Test button for a declarative `test`, step for step as n8n's CredentialsTester does it
 * (n8n 2.8.4, dist/services/credentials-tester.service.js): the request runs through n8n-core's RoutingNode
 * with the credential's `authenticate`; a transport failure gives its code or message, an HTTP error the matching
 * `responseCode` rule or the status text, and an answer the first `responseSuccessBody` rule whose path equals its
 * value. The end-to-end suite runs the same test in real n8n.
 */
export async function testCredential(data: ICredentialDataDecryptedObject): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const test = credentialType.test!;
	const defaults = Object.fromEntries(credentialType.properties.map((p) => [p.name, p.default]));
	const decrypted = { id: 'cred-1', name: 'VibeCode', type: credentialType.name, data: { ...defaults, ...data } as ICredentialDataDecryptedObject };
	const probe: INodeType = {
		description: {
			displayName: 'Temp',
			name: 'credentialProbe',
			group: [],
			version: 1,
			description: '',
			defaults: {},
			inputs: [],
			outputs: [],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: test.request }, default: '' }],
		},
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'credentialProbe',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType.name]: { id: 'cred-1', name: 'VibeCode' } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new TestNodeTypes({ credentialProbe: probe }) });
	const context = new ExecuteContext(
		workflow,
		node,
		buildAdditionalData(decrypted.data),
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await new RoutingNode(context, probe, decrypted).runNode();
	} catch (error) {
		const cause = (error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }).cause;
		if (cause?.response) {
			const status = cause.response.status;
			const rule = test.rules?.find((r) => r.type === 'responseCode' && r.properties.value === status);
			if (rule) return { status: 'Error', message: rule.properties.message };
			return { status: 'Error', message: cause.response.statusText || `Received HTTP status code: ${status}` };
		}
		if (cause?.code) return { status: 'Error', message: cause.code };
		return { status: 'Error', message: String((error as Error).message) };
	}
	for (const rule of test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const body = response?.[0]?.[0]?.json;
		const value = rule.properties.key.split('.').reduce<unknown>((at, part) => (at as IDataObject | undefined)?.[part], body);
		if (value === rule.properties.value) return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
