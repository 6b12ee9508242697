import type { INode, JsonObject } from 'n8n-workflow';
import { ExecutionCancelledError, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ApiFailure } from './apiFailure';
import { InputError } from './inputError';
import { scrub } from './scrub';
import { errorText, type ErrorCode, type ErrorText } from './table';

/** What an item's refusal adds about what was sent for it. */
const AFTER: Record<InputError['sent'], string> = {
	nothing: 'Nothing was sent for this item.',
	read: 'Nothing was written for this item (only a search or read was sent).',
};

/** Where a failure happened, and what its error may and may not show. */
export interface ErrorPlace {
	itemIndex?: number;
	/** The credential's key and token: scrubbed from anything a server sent back. */
	secrets?: string[];
	/** Readings of codes that say more than the table for one request (the trigger list with a personal key, a missing record). */
	texts?: Partial<Record<string, ErrorText>>;
	/** The code for a cause the node did not raise itself (a parameter n8n could not resolve). */
	code?: ErrorCode;
}

/** What leaves the node when something fails: n8n's two node errors, or n8n's own cancellation. */
export type NodeFailure = NodeApiError | NodeOperationError | ExecutionCancelledError;

/**
 * The one factory of the node's errors. An ApiFailure becomes a NodeApiError with the table's message and
 * hint, VibeCode's own words, the HTTP status and the request ID; an InputError becomes a NodeOperationError;
 * both carry their code in `context.vibeCode` (`vibeCode`, not `code`: NodeApiError would take a `code` key
 * for the HTTP status). Node errors and cancellations pass through unchanged, never wrapped twice; anything
 * else, such as a bug's TypeError, is wrapped with the item index.
 */
export function nodeError(node: INode, cause: unknown, place: ErrorPlace = {}): NodeFailure {
	if (cause instanceof ExecutionCancelledError) return cause;
	if (cause instanceof NodeApiError || cause instanceof NodeOperationError) {
		// n8n's own errors (a parameter it could not resolve) get the place's code; nothing else changes.
		if (place.code && cause.context.vibeCode === undefined) cause.context.vibeCode = place.code;
		return cause;
	}
	if (cause instanceof ApiFailure) return apiError(node, cause, place);
	if (cause instanceof InputError) {
		const error = new NodeOperationError(node, cause.message, {
			itemIndex: place.itemIndex,
			description: place.itemIndex === undefined ? cause.description : `${cause.description} ${AFTER[cause.sent]}`,
		});
		error.context.vibeCode = cause.code;
		return error;
	}
	const error = new NodeOperationError(node, cause as Error, { itemIndex: place.itemIndex });
	error.context.vibeCode = place.code ?? 'UNEXPECTED_ERROR';
	return error;
}

function apiError(node: INode, failure: ApiFailure, { itemIndex, secrets = [], texts }: ErrorPlace): NodeApiError {
	const text = texts?.[failure.code] ?? errorText(failure.code);
	// Each of VibeCode's sentences ends with a full stop, so the lines still read apart where n8n joins them.
	const said = [failure.apiMessage, failure.apiHint]
		.filter(Boolean)
		.map((sentence) => (/[.!?]$/.test(sentence!.trim()) ? sentence!.trim() : `${sentence!.trim()}.`))
		.join(' ');
	const details = [
		text.hint,
		said ? `VibeCode said: ${said}` : '',
		failure.observed ?? '',
		failure.attempts > 1 ? `Tried ${failure.attempts} times.` : '',
		failure.requestId ? `Request ID: ${failure.requestId}.` : '',
	]
		.filter(Boolean)
		.join('\n');
	const httpCode = failure.status ? String(failure.status) : null;
	const errorBody: JsonObject = {
		vibeCode: failure.code,
		message: text.message,
		hint: text.hint,
		httpCode,
		apiMessage: failure.apiMessage ? scrub(failure.apiMessage, secrets) : null,
		observed: failure.observed ? scrub(failure.observed, secrets) : null,
		requestId: failure.requestId ?? null,
	};
	const error = new NodeApiError(node, errorBody, {
		message: `${text.message} [${failure.code}]`,
		description: scrub(details, secrets),
		httpCode: httpCode ?? undefined,
		itemIndex,
	});
	error.context.vibeCode = failure.code;
	if (failure.batchErrors) error.context.batchErrors = failure.batchErrors;
	return error;
}
