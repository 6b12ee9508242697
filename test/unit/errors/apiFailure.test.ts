import { answerFailure, networkFailure } from '../../../nodes/Bitrix24/errors';

const NGINX_502 = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>';

test("VibeCode's envelope: its code, words, request ID and Retry-After", () => {
	const failure = answerFailure({
		status: 429,
		body: { success: false, error: { code: 'RATE_LIMITED', message: 'QUERY_LIMIT_EXCEEDED', hint: 'Slow down', retryAfter: 3 } },
		text: '',
		requestId: 'req-1',
	});
	expect(failure).toMatchObject({ code: 'RATE_LIMITED', status: 429, apiMessage: 'QUERY_LIMIT_EXCEEDED', apiHint: 'Slow down', requestId: 'req-1', retryAfterMs: 3000 });
	expect(failure.observed).toBeUndefined();
	expect(answerFailure({ status: 429, body: { success: false, error: { code: 'RATE_LIMITED', retryAfter: 3 } }, text: '', retryAfterSeconds: 1 }).retryAfterMs).toBe(1000);
});

test('a 5xx VibeCode did not refuse before acting has an unknown outcome; a refused one does not', () => {
	expect(answerFailure({ status: 500, body: { success: false, error: { code: 'INTERNAL_ERROR' } }, text: '' }).unknownOutcome).toBe(true);
	expect(answerFailure({ status: 502, body: { success: false, error: { code: 'BITRIX_UNAVAILABLE' } }, text: '' }).unknownOutcome).toBeUndefined();
	expect(answerFailure({ status: 400, body: { success: false, error: { code: 'VALIDATION_ERROR' } }, text: '' }).unknownOutcome).toBeUndefined();
});

test('a JSON answer without a code takes the code of its status', () => {
	expect(answerFailure({ status: 401, body: { success: false }, text: '' }).code).toBe('INVALID_API_KEY');
	expect(answerFailure({ status: 418, body: { success: false }, text: '' }).code).toBe('UNKNOWN_ERROR');
	expect(answerFailure({ status: 200, body: { success: false }, text: '' }).code).toBe('UNKNOWN_ERROR');
});

test("an HTML page from a proxy is not credited to VibeCode: it is what a proxy in front of VibeCode answered", () => {
	const failure = answerFailure({ status: 502, body: undefined, text: NGINX_502 });
	expect(failure).toMatchObject({ code: 'GATEWAY_ERROR', status: 502, unknownOutcome: true });
	expect(failure.apiMessage).toBeUndefined();
	expect(failure.observed).toBe('A proxy or gateway in front of VibeCode answered with HTTP 502 and a non-JSON page: "502 Bad Gateway 502 Bad Gateway nginx".');
	expect(answerFailure({ status: 500, body: undefined, text: '' }).observed).toBe('A proxy or gateway in front of VibeCode answered with HTTP 500 and an empty body.');
	expect(answerFailure({ status: 402, body: undefined, text: NGINX_502 }).code).toBe('PAYMENT_REQUIRED');
	expect(answerFailure({ status: 418, body: undefined, text: 'teapot' }).code).toBe('INVALID_RESPONSE');
});

test('a 2xx answer that is not JSON lost its body on the way: the outcome is unknown', () => {
	const cut = answerFailure({ status: 200, body: undefined, text: '{"success": true, "data": tr' });
	expect(cut).toMatchObject({ code: 'INVALID_RESPONSE', unknownOutcome: true, observed: 'The answer (HTTP 200) was not JSON: "{"success": true, "data": tr".' });
	expect(answerFailure({ status: 200, body: undefined, text: '' }).observed).toBe('The answer (HTTP 200) was empty.');
	expect(answerFailure({ status: 502, body: undefined, text: 'x'.repeat(1000) }).observed!.length).toBeLessThan(300);
});

test('network errors: timeouts and resets may have run, refused connections sent nothing', () => {
	expect(networkFailure({ code: 'ECONNABORTED', message: 'timeout of 1000ms exceeded' })).toMatchObject({ code: 'TIMEOUT', unknownOutcome: true });
	expect(networkFailure({ message: 'x', cause: { code: 'ETIMEDOUT' } })).toMatchObject({ code: 'TIMEOUT' });
	expect(networkFailure({ cause: { code: 'ECONNREFUSED' } })).toMatchObject({ code: 'CONNECTION_FAILED', observed: 'Network error ECONNREFUSED.' });
	expect(networkFailure({ httpCode: 'ENOTFOUND' }).unknownOutcome).toBeUndefined();
	expect(networkFailure({ code: 'ERR_CANCELED' })).toMatchObject({ code: 'CONNECTION_FAILED', observed: 'The execution was stopped.' });
	expect(networkFailure({ code: 'ECONNRESET', message: 'socket hang up' })).toMatchObject({ code: 'CONNECTION_RESET', unknownOutcome: true, observed: 'Network error ECONNRESET.' });
	expect(networkFailure({})).toMatchObject({ code: 'CONNECTION_RESET', observed: undefined });
});

test("a portal error (BITRIX_ERROR) whose text names a Bitrix24 code the node knows is read as that code; VibeCode's words kept", () => {
	const long = answerFailure({ status: 422, body: { success: false, error: { code: 'BITRIX_ERROR', message: 'TASKS_BAD_TITLE: The task title is longer than 250 characters' } }, text: '' });
	expect(long).toMatchObject({ code: 'TASKS_BAD_TITLE', status: 422, apiMessage: 'TASKS_BAD_TITLE: The task title is longer than 250 characters' });
	expect(answerFailure({ status: 422, body: { success: false, error: { code: 'BITRIX_ERROR', message: 'insufficient_scope: higher privileges' } }, text: '' }).code).toBe('PORTAL_SCOPE_MISSING');
	// Only as a word of its own, and only under BITRIX_ERROR; the code itself passes as it is.
	expect(answerFailure({ status: 422, body: { success: false, error: { code: 'BITRIX_ERROR', message: 'NOT_TASKS_BAD_TITLE_AT_ALL' } }, text: '' }).code).toBe('BITRIX_ERROR');
	expect(answerFailure({ status: 400, body: { success: false, error: { code: 'VALIDATION_ERROR', message: 'TASKS_BAD_TITLE' } }, text: '' }).code).toBe('VALIDATION_ERROR');
	expect(answerFailure({ status: 422, body: { success: false, error: { code: 'TASKS_BAD_TITLE', message: 'too long' } }, text: '' }).code).toBe('TASKS_BAD_TITLE');
});
