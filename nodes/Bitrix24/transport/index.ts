import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { ManualExecutionCancelledError, NodeApiError } from 'n8n-workflow';

import {
	ApiFailure,
	InputError,
	NO_CREDENTIAL,
	REFUSED_UNRUN,
	SESSION_CODES,
	answerFailure,
	networkFailure,
	nodeError,
	withSignInLink,
	type ErrorText,
} from '../errors';
import { apiRoot, credentialProblem, readCredentials, type VibeCredentials } from './credentials';
import type { Pacer } from './pacer';
import { sharedPacers } from './sharedPacers';
import { DEFAULT_SETTINGS, type RequestSettings } from './settings';
import { wait } from './wait';

export { DEFAULT_SETTINGS, MAX_BATCH_SIZE, OPTION_DEFAULTS, readSettings, type RequestSettings } from './settings';

export const CREDENTIAL_TYPE = 'bitrix24VibeApi';

export type VibeContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IWebhookFunctions;

/** What one execution shares between its requests: credentials read once, settings, the rate pacer. */
export interface VibeSession {
	keyType: VibeCredentials['keyType'];
	root: string;
	secrets: string[];
	/** The trigger codes declared on the credential; empty when none were. */
	triggerCodes: string[];
	settings: RequestSettings;
	pacer: Pacer;
}

export async function openSession(
	this: VibeContext,
	settings: Partial<RequestSettings> = {},
): Promise<VibeSession> {
	const creds = readCredentials(await credentialData.call(this));
	// The one check of a malformed credential before any request (the credential's declarative `authenticate` has
	// no way to refuse one).
	const problem = credentialProblem(creds);
	if (problem) throw nodeError(this.getNode(), new InputError(problem, undefined, 'INVALID_CREDENTIAL'));
	return {
		keyType: creds.keyType,
		root: apiRoot(creds.baseUrl),
		secrets: [creds.apiKey, creds.sessionToken].filter((secret) => secret.length > 0),
		triggerCodes: creds.triggerCodes,
		settings: { ...DEFAULT_SETTINGS, ...settings },
		pacer: sharedPacers.pacerFor(creds, settings.timeoutMs),
	};
}

/**
 * The credential's data. The Instant Trigger's credential is optional (needed only with Read the Record, see its
 * description), and n8n answers a read of an optional credential that is not set with "Node does not require
 * credentials": reworded here so the run says which credential is missing.
 */
async function credentialData(this: VibeContext) {
	try {
		return await this.getCredentials(CREDENTIAL_TYPE);
	} catch (error) {
		if (this.getNode().credentials?.[CREDENTIAL_TYPE] === undefined) {
			throw nodeError(this.getNode(), new InputError(NO_CREDENTIAL.message, NO_CREDENTIAL.hint, 'INVALID_CREDENTIAL'));
		}
		// n8n's own error (a credential that cannot be decrypted, no access to it) passes through as it is.
		throw nodeError(this.getNode(), error);
	}
}

export interface VibeRequest {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	path: string;
	/**
	 * Whether sending the request twice does no harm (a read, a search, an update to the same values, a delete),
	 * so it is retried after an unknown outcome. Defaults to true for GET only: a create or a fire is sent again
	 * only when the user turned Retry Unknown Outcomes on.
	 */
	idempotent?: boolean;
	body?: IDataObject;
	qs?: IDataObject;
	itemIndex?: number;
	/** Readings of error codes that say more than the error table for this request. */
	errorTexts?: Partial<Record<string, ErrorText>>;
	/** Units of the key's rate limit the request costs (1; an entity batch one per 50 records). */
	cost?: number;
}

export interface VibeResponse {
	data: unknown;
	body: IDataObject;
}

/**
 * The one function that talks to VibeCode. It reads the `{ success, data | error }` envelope (HTTP 200
 * with `success: false` is a failure too), paces itself by the rate-limit headers, retries only what is
 * safe to retry, and throws every failure as a NodeApiError (see errors/nodeError.ts).
 */
export async function vibeRequest(
	this: VibeContext,
	session: VibeSession,
	request: VibeRequest,
): Promise<VibeResponse> {
	const { settings, pacer } = session;
	const signal = 'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal() : undefined;
	for (let attempt = 0; ; attempt++) {
		await pacer.ready(signal, request.cost);
		// A stopped execution sends nothing more, even with Continue On Fail.
		if (signal?.aborted) throw new ManualExecutionCancelledError(this.getExecutionId?.() ?? '');
		const outcome = await sendOnce.call(this, session, request);
		if (!(outcome instanceof ApiFailure)) return outcome;

		outcome.attempts = attempt + 1;
		if (outcome.code === 'RATE_LIMITED') pacer.pause(outcome.retryAfterMs ?? 1000);
		const safe =
			REFUSED_UNRUN.has(outcome.code) ||
			(outcome.unknownOutcome === true && ((request.idempotent ?? request.method === 'GET') || settings.retryUnknownOutcome));
		const waitMs = outcome.retryAfterMs ?? Math.min(1000 * 2 ** attempt, settings.maxWaitMs);
		if (!safe || attempt >= settings.maxRetries || waitMs > settings.maxWaitMs || signal?.aborted) {
			const error = nodeError(this.getNode(), outcome, {
				itemIndex: request.itemIndex,
				secrets: session.secrets,
				texts: { ...(await sessionTexts.call(this, session, outcome.code)), ...request.errorTexts },
			});
			// The one place that decides whether a failed request may have been carried out (read by mayHaveRun).
			if (error instanceof NodeApiError) error.context.mayHaveRun = outcome.unknownOutcome === true;
			throw error;
		}
		await wait(waitMs, signal);
	}
}

/**
 * For an OAuth application without a live session, the hint with the application's own sign-in link, which
 * GET /v1/me gives (it answers without a session). The connection test cannot quote it, so a run does.
 */
async function sessionTexts(this: VibeContext, session: VibeSession, code: string): Promise<Record<string, ErrorText>> {
	if (session.keyType !== 'oauthApp' || !SESSION_CODES.has(code)) return {};
	await session.pacer.ready();
	const me = await sendOnce.call(this, session, { method: 'GET', path: '/v1/me' });
	const oauth = me instanceof ApiFailure ? undefined : ((me.data as IDataObject | undefined)?.oauth as IDataObject | undefined);
	const link = typeof oauth?.authorizeUrl === 'string' && /^https?:\/\/\S+$/.test(oauth.authorizeUrl) ? oauth.authorizeUrl : undefined;
	return link ? { [code]: withSignInLink(code, link) } : {};
}

async function sendOnce(
	this: VibeContext,
	session: VibeSession,
	request: VibeRequest,
): Promise<VibeResponse | ApiFailure> {
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
		// No answer (a timeout, a reset): the request no longer holds one of the key's places in flight.
		session.pacer.observe(undefined);
		return networkFailure(error);
	}

	const { statusCode: status, headers } = response;
	session.pacer.observe(headers);
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
	// A delete answers 204 with no body at all.
	if (status === 204 && text.trim() === '') return { data: undefined, body: {} };
	const retryAfter = headerText(headers, 'retry-after');
	return answerFailure({
		status,
		body,
		text,
		requestId: headerText(headers, 'x-request-id'),
		retryAfterSeconds: retryAfter === undefined ? undefined : Number(retryAfter),
	});
}

/** Whether a request that failed may still have been carried out: no answer came, or a 5xx that is no refusal. */
export function mayHaveRun(error: unknown): boolean {
	return error instanceof NodeApiError && error.context.mayHaveRun === true;
}

function headerText(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers?.[name];
	return value === undefined || value === null ? undefined : String(value);
}

/** The session without the retries after an unknown outcome: for a request the node must know ran once, or not twice. */
export const sentOnce = (session: VibeSession): VibeSession => ({ ...session, settings: { ...session.settings, retryUnknownOutcome: false } });

/**
 * A DELETE (204, no body), first without the retries after an unknown outcome, so that the node knows when one
 * happened; then sent again, and a 404 (ENTITY_NOT_FOUND) of that second attempt is the deletion the first one made,
 * not an error. Records, product rows and timeline entries are deleted so.
 */
export async function deleteOnce(this: VibeContext, session: VibeSession, request: Omit<VibeRequest, 'method' | 'idempotent'>): Promise<void> {
	/** Sends the delete; resolves to its failure, or undefined when it was deleted. */
	const send = async (target: VibeSession, idempotent: boolean): Promise<unknown> =>
		await vibeRequest.call(this, target, { ...request, method: 'DELETE', idempotent }).then(
			() => undefined,
			(failure: unknown) => failure,
		);
	const first = await send(sentOnce(session), false);
	if (first === undefined) return;
	if (!mayHaveRun(first)) throw first;
	const again = await send(session, true);
	if (again === undefined || (again instanceof NodeApiError && again.context.vibeCode === 'ENTITY_NOT_FOUND')) return;
	throw again;
}

