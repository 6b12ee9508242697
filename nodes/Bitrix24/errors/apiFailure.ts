import type { IDataObject } from 'n8n-workflow';

import { PORTAL_CODES, REFUSED_UNRUN, STATUS_FALLBACK, type ErrorCode } from './table';

/** What went wrong with one request, before `nodeError` makes it a NodeApiError. */
export class ApiFailure {
	status?: number;
	/** VibeCode's own words: its error message, then its hint. */
	apiMessage?: string;
	apiHint?: string;
	/** What the node saw when VibeCode's answer never arrived as JSON (a network error, a proxy's page). */
	observed?: string;
	requestId?: string;
	retryAfterMs?: number;
	/** True when VibeCode may have acted on the request (timeout, reset, 5xx without a VibeCode answer). */
	unknownOutcome?: boolean;
	/** Requests sent, retries included. */
	attempts = 1;
	/** A batch refused as a whole: VibeCode's errors by call ID or item place (`data.errors`), for the items they name. */
	batchErrors?: IDataObject;

	constructor(
		readonly code: string,
		details: Partial<Omit<ApiFailure, 'code'>> = {},
	) {
		Object.assign(this, details);
	}
}

/** The longest piece of a non-JSON answer quoted to the user. */
const EXCERPT_LENGTH = 200;

/**
 * A failed HTTP answer: VibeCode's `{ success: false, error }` envelope (at any status), or anything else that
 * arrived instead of it (an HTML page from a proxy, an empty or truncated body).
 */
export function answerFailure(answer: {
	status: number;
	/** The parsed JSON object, or undefined when the answer was not one. */
	body: IDataObject | undefined;
	text: string;
	requestId?: string;
	retryAfterSeconds?: number;
}): ApiFailure {
	const { status, body, text } = answer;
	const error = (body?.error && typeof body.error === 'object' ? body.error : {}) as IDataObject;
	const retryAfter = answer.retryAfterSeconds ?? Number(error.retryAfter);
	const code = typeof error.code === 'string' && error.code ? error.code : fallbackCode(status, body);
	const failure = new ApiFailure(code === 'BITRIX_ERROR' ? (portalCode(error.message) ?? code) : code, {
		status,
		requestId: answer.requestId,
		retryAfterMs: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined,
	});
	if (body) {
		if (typeof error.message === 'string') failure.apiMessage = error.message;
		const hint = [error.hint, error.userMessage].filter((part) => typeof part === 'string').join(' ');
		if (hint) failure.apiHint = hint;
		const named = (body.data as IDataObject | undefined)?.errors;
		if (named && typeof named === 'object' && !Array.isArray(named)) failure.batchErrors = named as IDataObject;
		if (status >= 500 && !REFUSED_UNRUN.has(failure.code)) failure.unknownOutcome = true;
		return failure;
	}
	// Not VibeCode's JSON: an error status came from something in front of it; a 2xx lost its body on the way.
	const excerpt = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, EXCERPT_LENGTH);
	const what = excerpt ? `a non-JSON page: "${excerpt}"` : 'an empty body';
	failure.observed =
		status >= 300
			? `A proxy or gateway in front of VibeCode answered with HTTP ${status} and ${what}.`
			: `The answer (HTTP ${status}) was ${excerpt ? `not JSON: "${excerpt}"` : 'empty'}.`;
	failure.unknownOutcome = status >= 500 || status < 300;
	return failure;
}

/** The Bitrix24 code a BITRIX_ERROR message names as a word of its own ("TASKS_BAD_TITLE: …"), when the node knows it. */
function portalCode(message: unknown): ErrorCode | undefined {
	if (typeof message !== 'string') return undefined;
	const named = Object.keys(PORTAL_CODES).find((portal) => new RegExp(`(^|[^A-Za-z0-9_])${portal}([^A-Za-z0-9_]|$)`).test(message));
	return named === undefined ? undefined : PORTAL_CODES[named];
}

function fallbackCode(status: number, body: IDataObject | undefined): ErrorCode {
	if (!body) return status >= 200 && status < 300 ? 'INVALID_RESPONSE' : (STATUS_FALLBACK[status] ?? 'INVALID_RESPONSE');
	return STATUS_FALLBACK[status] ?? 'UNKNOWN_ERROR';
}

/** No answer at all. n8n wraps network errors in a NodeApiError that keeps the Node.js code in `httpCode`. */
export function networkFailure(error: {
	code?: string;
	httpCode?: string | null;
	message?: string;
	cause?: { code?: string; message?: string };
}): ApiFailure {
	const code = `${error.cause?.code ?? error.code ?? error.httpCode ?? ''}`;
	const message = `${error.cause?.message ?? error.message ?? ''}`;
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message)) {
		return new ApiFailure('TIMEOUT', { unknownOutcome: true });
	}
	if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') {
		return new ApiFailure('CONNECTION_FAILED', { observed: `Network error ${code}.` });
	}
	if (code === 'ERR_CANCELED' || /aborted|canceled/i.test(message)) {
		return new ApiFailure('CONNECTION_FAILED', { observed: 'The execution was stopped.' });
	}
	return new ApiFailure('CONNECTION_RESET', { unknownOutcome: true, observed: code ? `Network error ${code}.` : undefined });
}
