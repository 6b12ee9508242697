import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import {
	ExecutionCancelledError,
	ManualExecutionCancelledError,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import {
	apiRoot,
	credentialProblem,
	readCredentials,
	type VibeCredentials,
} from './credentials';
import { STATUS_FALLBACK, errorText } from './errors';
import { Pacer } from './pacer';
import { wait } from './wait';

export const CREDENTIAL_TYPE = 'bitrix24VibeApi';

export type VibeContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface RequestSettings {
	/** Retries after a rate limit or an overloaded portal (never after an unknown outcome unless allowed). */
	maxRetries: number;
	/** The longest single wait the node accepts before giving up on an item. */
	maxWaitMs: number;
	/** How long one request may take. VibeCode gives up on its own queue after 30 s (504 QUEUE_TIMEOUT). */
	timeoutMs: number;
	/** Retry after a timeout, a broken connection or a 5xx whose outcome is unknown: may run a trigger twice. */
	retryUnknownOutcome: boolean;
}

export const DEFAULT_SETTINGS: RequestSettings = {
	maxRetries: 4,
	maxWaitMs: 60_000,
	timeoutMs: 35_000,
	retryUnknownOutcome: false,
};

/** What one execution shares between its requests: credentials read once, settings, the rate pacer. */
export interface VibeSession {
	keyType: VibeCredentials['keyType'];
	root: string;
	secrets: string[];
	settings: RequestSettings;
	pacer: Pacer;
}

export async function openSession(
	this: VibeContext,
	settings: Partial<RequestSettings> = {},
): Promise<VibeSession> {
	const creds = readCredentials(await this.getCredentials(CREDENTIAL_TYPE));
	const problem = credentialProblem(creds);
	if (problem) {
		throw new NodeOperationError(this.getNode(), problem, {
			description: 'Open the Bitrix24 VibeCode credential and correct it. Nothing was sent.',
		});
	}
	return {
		keyType: creds.keyType,
		root: apiRoot(creds.baseUrl),
		secrets: [creds.apiKey, creds.sessionToken].filter((secret) => secret.length > 0),
		settings: { ...DEFAULT_SETTINGS, ...settings },
		pacer: new Pacer(),
	};
}

export interface VibeRequest {
	method: 'GET' | 'POST';
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	itemIndex?: number;
}

export interface VibeResponse {
	data: unknown;
	body: IDataObject;
}

/** What went wrong with one attempt, before it becomes a NodeApiError. */
interface Failure {
	code: string;
	status?: number;
	apiMessage?: string;
	apiHint?: string;
	requestId?: string;
	retryAfterMs?: number;
	/** True when VibeCode may have acted on the request (timeout, reset, 5xx without a VibeCode answer). */
	unknownOutcome?: boolean;
}

/** Codes whose request VibeCode refused before acting on it, so sending it again cannot run a trigger twice. */
const RETRYABLE = new Set(['RATE_LIMITED', 'QUEUE_TIMEOUT', 'BITRIX_UNAVAILABLE', 'SERVICE_UNAVAILABLE']);

/**
 * The one function that talks to VibeCode. It reads the `{ success, data | error }` envelope (HTTP 200
 * with `success: false` is a failure too), paces itself by the rate-limit headers, retries only what is
 * safe to retry, and turns every failure into a NodeApiError with code, message, hint and HTTP status.
 */
export async function vibeRequest(
	this: VibeContext,
	session: VibeSession,
	request: VibeRequest,
): Promise<VibeResponse> {
	const { settings, pacer } = session;
	const signal = 'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal() : undefined;
	for (let attempt = 0; ; attempt++) {
		await pacer.ready(signal);
		// A stopped execution sends nothing more, even with Continue On Fail.
		if (signal?.aborted) throw new ManualExecutionCancelledError(this.getExecutionId?.() ?? '');
		const outcome = await sendOnce.call(this, session, request);
		if ('body' in outcome) return outcome;

		const failure = outcome.failure;
		if (failure.code === 'RATE_LIMITED') pacer.pause(failure.retryAfterMs ?? 1000);
		const safe =
			RETRYABLE.has(failure.code) ||
			(failure.unknownOutcome === true && (request.method === 'GET' || settings.retryUnknownOutcome));
		const waitMs = failure.retryAfterMs ?? Math.min(1000 * 2 ** attempt, settings.maxWaitMs);
		if (!safe || attempt >= settings.maxRetries || waitMs > settings.maxWaitMs || signal?.aborted) {
			throw toNodeApiError(this, session, failure, request.itemIndex, attempt);
		}
		await wait(waitMs, signal);
	}
}

async function sendOnce(
	this: VibeContext,
	session: VibeSession,
	request: VibeRequest,
): Promise<VibeResponse | { failure: Failure }> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${session.root}${request.path}`,
		qs: request.qs,
		headers: { Accept: 'application/json' },
		encoding: 'text',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: session.settings.timeoutMs,
	};
	if (request.body) {
		options.headers!['Content-Type'] = 'application/json';
		options.body = JSON.stringify(request.body);
	}

	let response: { body: unknown; headers: Record<string, unknown>; statusCode: number };
	try {
		response = await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options);
	} catch (error) {
		return { failure: networkFailure(error) };
	}

	const { statusCode: status, headers } = response;
	session.pacer.observe(headers);
	const requestId = headerText(headers, 'x-request-id');
	const text = typeof response.body === 'string' ? response.body : '';
	let body: IDataObject | undefined;
	try {
		const parsed: unknown = text ? JSON.parse(text) : undefined;
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as IDataObject;
	} catch {
		body = undefined;
	}

	if (status >= 200 && status < 300 && body && body.success !== false) {
		return { data: body.data, body };
	}

	const error = (body?.error && typeof body.error === 'object' ? body.error : {}) as IDataObject;
	const retryAfterSeconds = Number(headerText(headers, 'retry-after') ?? error.retryAfter);
	const failure: Failure = {
		code: typeof error.code === 'string' && error.code ? error.code : fallbackCode(status, body),
		status,
		apiMessage: typeof error.message === 'string' ? error.message : undefined,
		apiHint: [error.hint, error.userMessage].filter((part) => typeof part === 'string').join(' ') || undefined,
		requestId,
		retryAfterMs: Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0 ? retryAfterSeconds * 1000 : undefined,
	};
	if (!body) {
		// A proxy page, an empty or a truncated body: VibeCode's answer never arrived whole.
		failure.apiMessage = text ? `HTTP ${status}: ${text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200)}` : `HTTP ${status} with an empty body`;
		failure.unknownOutcome = status >= 500 || status < 300;
	} else if (status >= 500 && !RETRYABLE.has(failure.code)) {
		failure.unknownOutcome = true;
	}
	return { failure };
}

function fallbackCode(status: number, body: IDataObject | undefined): string {
	if (!body) return status >= 200 && status < 300 ? 'INVALID_RESPONSE' : (STATUS_FALLBACK[status] ?? 'INVALID_RESPONSE');
	return STATUS_FALLBACK[status] ?? 'UNKNOWN_ERROR';
}

/** n8n wraps network errors in a NodeApiError that keeps the Node.js code in `httpCode`. */
function networkFailure(error: {
	code?: string;
	httpCode?: string | null;
	message?: string;
	cause?: { code?: string; message?: string };
}): Failure {
	const code = `${error.cause?.code ?? error.code ?? error.httpCode ?? ''}`;
	const message = `${error.cause?.message ?? error.message ?? ''}`;
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message)) {
		return { code: 'TIMEOUT', unknownOutcome: true };
	}
	if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') {
		return { code: 'CONNECTION_FAILED', apiMessage: `Network error ${code}` };
	}
	if (code === 'ERR_CANCELED' || /aborted|canceled/i.test(message)) {
		return { code: 'CONNECTION_FAILED', apiMessage: 'The execution was stopped' };
	}
	return { code: 'CONNECTION_RESET', unknownOutcome: true, apiMessage: code ? `Network error ${code}` : undefined };
}

function headerText(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers?.[name];
	return value === undefined || value === null ? undefined : String(value);
}

/** Replaces anything that looks like a VibeCode secret, so a server that echoes headers leaks nothing. */
export function scrub(text: string, secrets: string[]): string {
	let clean = text;
	for (const secret of secrets) clean = clean.split(secret).join('***');
	return clean.replace(/vibe_(api|app|live|mgmt|session)_[A-Za-z0-9_\-.]+/g, 'vibe_$1_***');
}

function toNodeApiError(
	ctx: VibeContext,
	session: VibeSession,
	failure: Failure,
	itemIndex: number | undefined,
	retries: number,
): NodeApiError {
	const text = errorText(failure.code);
	const said = [failure.apiMessage, failure.apiHint].filter(Boolean).join(' ');
	const details = [
		text.hint,
		said ? `VibeCode said: ${said}` : '',
		retries > 0 ? `Tried ${retries + 1} times.` : '',
		failure.requestId ? `Request ID: ${failure.requestId}.` : '',
	]
		.filter(Boolean)
		.join('\n');
	const description = scrub(details, session.secrets);
	const httpCode = failure.status ? String(failure.status) : null;
	// `vibeCode`, not `code`: NodeApiError would take a `code` key for the HTTP status.
	const errorBody: JsonObject = {
		vibeCode: failure.code,
		message: text.message,
		hint: text.hint,
		httpCode,
		apiMessage: failure.apiMessage ? scrub(failure.apiMessage, session.secrets) : null,
		requestId: failure.requestId ?? null,
	};
	const error = new NodeApiError(ctx.getNode(), errorBody, {
		message: `${text.message} [${failure.code}]`,
		description,
		httpCode: httpCode ?? undefined,
		itemIndex,
	});
	error.context.vibeCode = failure.code;
	return error;
}

/**
 * Errors leave the node as NodeApiError / NodeOperationError. Those (and n8n's cancellation) pass through
 * unchanged, never wrapped twice; anything else, such as a bug's TypeError, is wrapped with the item index.
 */
export function ensureNodeError(node: INode, error: unknown, itemIndex?: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof ExecutionCancelledError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}
