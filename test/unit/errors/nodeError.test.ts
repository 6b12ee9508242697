import type { INode } from 'n8n-workflow';
import { ManualExecutionCancelledError, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ApiFailure, ERROR_TABLE, InputError, answerFailure, nodeError } from '../../../nodes/Bitrix24/errors';

const node: INode = { id: 'n1', name: 'Bitrix24', type: 'n8n-nodes-bitrix24-vibecode.bitrix24', typeVersion: 1, position: [0, 0], parameters: {} };

describe('VibeCode failures become a NodeApiError', () => {
	test("with the table's message and hint, VibeCode's words, the tries, the request ID and the HTTP status", () => {
		const failure = new ApiFailure('RATE_LIMITED', { status: 429, apiMessage: 'QUERY_LIMIT_EXCEEDED', apiHint: 'Wait', requestId: 'req-7', attempts: 3 });
		const error = nodeError(node, failure, { itemIndex: 2 }) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('VibeCode rate limit reached [RATE_LIMITED]');
		expect(error.description).toBe(`${ERROR_TABLE.RATE_LIMITED.hint}\nVibeCode said: QUERY_LIMIT_EXCEEDED. Wait.\nTried 3 times.\nRequest ID: req-7.`);
		expect(error.httpCode).toBe('429');
		expect(error.context).toMatchObject({ vibeCode: 'RATE_LIMITED', itemIndex: 2 });
	});

	test("a proxy's HTML page is described as the proxy's, not as something VibeCode said", () => {
		const html = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>';
		const error = nodeError(node, answerFailure({ status: 502, body: undefined, text: html })) as NodeApiError;
		expect(error.message).toBe('A proxy in front of VibeCode answered with an error page [GATEWAY_ERROR]');
		expect(error.description).not.toMatch(/VibeCode said/);
		expect(error.description).toContain('A proxy or gateway in front of VibeCode answered with HTTP 502 and a non-JSON page: "502 Bad Gateway');
		expect(error.httpCode).toBe('502');
	});

	test('an unknown code keeps its name with the generic text', () => {
		const error = nodeError(node, new ApiFailure('SOMETHING_NEW', { status: 400, apiMessage: 'Brand new' })) as NodeApiError;
		expect(error.message).toBe('VibeCode returned an error [SOMETHING_NEW]');
		expect(error.context.vibeCode).toBe('SOMETHING_NEW');
	});

	test('a reading given for the request replaces the table text for that code', () => {
		const texts = { BITRIX_ACCESS_DENIED: { message: 'The list needs an application key', hint: 'Use By Code.' } };
		const error = nodeError(node, new ApiFailure('BITRIX_ACCESS_DENIED', { status: 403 }), { texts });
		expect(error.message).toBe('The list needs an application key [BITRIX_ACCESS_DENIED]');
		expect((error as NodeApiError).description).toBe('Use By Code.');
	});

	test('secrets never appear, whatever the server echoed', () => {
		const failure = new ApiFailure('INTERNAL_ERROR', {
			status: 500,
			apiMessage: 'Upstream failed for {"x-api-key":"my-secret-key"}',
			apiHint: 'authorization was Bearer vibe_session_abc',
			observed: 'page with my-secret-key',
		});
		const error = nodeError(node, failure, { secrets: ['my-secret-key'] }) as NodeApiError;
		const everything = JSON.stringify({ message: error.message, description: error.description, context: error.context, body: error.errorResponse });
		expect(everything).not.toContain('my-secret-key');
		expect(everything).not.toContain('vibe_session_abc');
		expect(error.description).toContain('Upstream failed for {"x-api-key":"***"}');
	});
});

describe('input errors become a NodeOperationError', () => {
	test('with the item index, the code, and "nothing was sent" for an item', () => {
		const error = nodeError(node, new InputError('Entity ID must be a positive whole number; got ""', 'Use the record ID.'), { itemIndex: 4 });
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Entity ID must be a positive whole number; got ""');
		expect((error as NodeOperationError).description).toBe('Use the record ID. Nothing was sent for this item.');
		expect((error as NodeOperationError).context).toMatchObject({ itemIndex: 4, vibeCode: 'INVALID_PARAMETER' });
	});

	test("without an item, the code's hint as it stands", () => {
		const error = nodeError(node, new InputError('The credential has no API key.', undefined, 'INVALID_CREDENTIAL')) as NodeOperationError;
		expect(error.description).toBe(ERROR_TABLE.INVALID_CREDENTIAL.hint);
		expect(error.context.vibeCode).toBe('INVALID_CREDENTIAL');
	});
});

describe('never wrapped twice', () => {
	test('node errors and cancellations pass through as the same object', () => {
		const api = nodeError(node, new ApiFailure('TIMEOUT'), { itemIndex: 0 });
		const input = nodeError(node, new InputError('bad'), { itemIndex: 1 });
		const cancelled = new ManualExecutionCancelledError('exec-1');
		expect(nodeError(node, api, { itemIndex: 5 })).toBe(api);
		expect(nodeError(node, input, { itemIndex: 5 })).toBe(input);
		expect(nodeError(node, cancelled, { itemIndex: 5 })).toBe(cancelled);
		expect((nodeError(node, api, { itemIndex: 5 }) as NodeApiError).context.itemIndex).toBe(0);
	});

	test("anything else is wrapped once, with the item index and the place's code", () => {
		const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
		const wrapped = nodeError(node, bug, { itemIndex: 3 }) as NodeOperationError;
		expect(wrapped).toBeInstanceOf(NodeOperationError);
		expect(wrapped.message).toBe(bug.message);
		expect(wrapped.context).toMatchObject({ itemIndex: 3, vibeCode: 'UNEXPECTED_ERROR' });
		expect((nodeError(node, new Error('expression failed'), { code: 'INVALID_PARAMETER' }) as NodeOperationError).context.vibeCode).toBe('INVALID_PARAMETER');
	});
});

test("n8n's own node error without a code gets the place's code, and stays the same object", () => {
	const fromN8n = new NodeOperationError(node, 'Could not get parameter', { itemIndex: 2 });
	expect(nodeError(node, fromN8n, { itemIndex: 2, code: 'INVALID_PARAMETER' })).toBe(fromN8n);
	expect(fromN8n.context.vibeCode).toBe('INVALID_PARAMETER');
	const coded = nodeError(node, new ApiFailure('TIMEOUT')) as NodeApiError;
	expect(nodeError(node, coded, { code: 'INVALID_PARAMETER' }).context).toMatchObject({ vibeCode: 'TIMEOUT' });
});
