'use strict';
/** What every route of the sandbox shares of HTTP: the error it throws for VibeCode's error envelope, the JSON body it reads. */

class HttpError extends Error {
	constructor(status, code, message, extra = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.extra = extra;
	}
}

function parseBody(req, raw) {
	if (!/application\/json/i.test(req.headers['content-type'] ?? '')) {
		throw new HttpError(400, 'VALIDATION_ERROR', 'Content-Type must be application/json');
	}
	try {
		const body = JSON.parse(raw || '{}');
		if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
		return body;
	} catch {
		throw new HttpError(400, 'VALIDATION_ERROR', 'Request body is not valid JSON');
	}
}

module.exports = { HttpError, parseBody };
