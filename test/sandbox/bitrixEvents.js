'use strict';
/**
 * Sends what Bitrix24 sends to an instant trigger's URL, so tests and the demo need no portal: outgoing-webhook
 * events (`event=ONCRMDEALUPDATE&data[FIELDS][ID]=…&auth[application_token]=…`, form-encoded as Bitrix24's PHP
 * encodes it, brackets percent-encoded) and the "Webhook" robot's call (`document_id[]=crm&…=DEAL_123`, in either
 * form shape: `document_id[0]=…` or `document_id[]=…`), with the right or a wrong token, once, twice, or in a burst.
 *
 *   node test/sandbox/bitrixEvents.js <url> [--token T] [--event ONCRMDEALUPDATE] [--id 5141]
 *   node test/sandbox/bitrixEvents.js <url> --robot [--id 5142] [--param name=value …]
 *   node test/sandbox/bitrixEvents.js <url> --burst 100 [--first-id 5141] [--duplicates 10] [--wrong 5]
 *
 * Plain JavaScript with no dependencies, like server.js; never shipped.
 */

/** The application token the demo workflow and `npm start`'s instructions use. */
const SANDBOX_TOKEN = 'sandbox_application_token_0123456789';
const PORTAL = 'sandbox.bitrix24.com';
const MEMBER_ID = 'a223c6b3710f85df22e9377d6c4f7553';

/** Bitrix24's robot document class and document prefix per entity type. */
const DOCUMENTS = {
	deal: ['CCrmDocumentDeal', 'DEAL'],
	lead: ['CCrmDocumentLead', 'LEAD'],
	contact: ['CCrmDocumentContact', 'CONTACT'],
	company: ['CCrmDocumentCompany', 'COMPANY'],
	quote: ['Bitrix\\Crm\\Integration\\BizProc\\Document\\Quote', 'QUOTE'],
	invoice: ['Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice', 'SMART_INVOICE'],
};

let clock = Math.floor(Date.now() / 1000);
/** A fresh Bitrix24 timestamp (Unix seconds) per call unless one is given: distinct events never look alike. */
const nextTs = () => ++clock;

const authPairs = ({ token = SANDBOX_TOKEN, domain = PORTAL, memberId = MEMBER_ID } = {}) => [
	['auth[domain]', domain],
	['auth[client_endpoint]', `https://${domain}/rest/`],
	['auth[server_endpoint]', 'https://oauth.bitrix.info/rest/'],
	['auth[member_id]', memberId],
	...(token === null ? [] : [['auth[application_token]', token]]),
];

/**
 * An outgoing-webhook event: `{ event: 'ONCRMDEALUPDATE', id: 5141 }`; a smart invoice is
 * `{ event: 'ONCRMDYNAMICITEMUPDATE', id, entityTypeId: 31 }`. Returns the body's key-value pairs in Bitrix24's order.
 */
function eventPairs({ event = 'ONCRMDEALUPDATE', id, entityTypeId, handlerId = '17', ts = nextTs(), token, domain, memberId } = {}) {
	return [
		['event', event],
		['event_handler_id', String(handlerId)],
		['data[FIELDS][ID]', String(id)],
		...(entityTypeId === undefined ? [] : [['data[FIELDS][ENTITY_TYPE_ID]', String(entityTypeId)]]),
		['ts', String(ts)],
		...authPairs({ token, domain, memberId }),
	];
}

/**
 * The Webhook robot's call for a record: `{ entity: 'deal', id: 123, params: { stage: 'WON' } }`. `shape` is
 * `indexed` (`document_id[0]=crm`) or `brackets` (`document_id[]=crm`); `token: null` sends none.
 */
function robotPairs({ entity = 'deal', id, params = {}, shape = 'indexed', ts = nextTs(), token, domain, memberId } = {}) {
	const [documentClass, prefix] = DOCUMENTS[entity];
	const list = (name, values) => values.map((value, index) => [`${name}[${shape === 'brackets' ? '' : index}]`, value]);
	return [
		...list('document_id', ['crm', documentClass, `${prefix}_${id}`]),
		...list('document_type', ['crm', documentClass, prefix]),
		...Object.entries(params).map(([name, value]) => [name, String(value)]),
		['ts', String(ts)],
		...authPairs({ token, domain, memberId }),
	];
}

/** Form-encodes pairs as Bitrix24 does (brackets percent-encoded, spaces as +). */
const formBody = (pairs) => new URLSearchParams(pairs).toString();

/**
 * POSTs one call. Resolves { status, body, sentAt, ms }: `sentAt` is the wall-clock time the request left
 * (Date.now()), for measuring how long after the call the workflow started.
 */
async function post(url, pairs, { contentType = 'application/x-www-form-urlencoded' } = {}) {
	const sentAt = Date.now();
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: formBody(pairs) });
	const text = await response.text();
	let body;
	try {
		body = JSON.parse(text);
	} catch {
		body = text;
	}
	return { status: response.status, body, sentAt, ms: Date.now() - sentAt };
}

/**
 * Like `post`, and sends the call again after an answer of 5xx or no answer at all, as Bitrix24's queue sends a call
 * again that was not answered with 2xx (its own schedule is not documented; here `retries` times, `retryMs` apart).
 * A 4xx (401 for a wrong token) is final, unless `resend: 'non-2xx'`: then every answer but a 2xx is sent again (a
 * 404 of a webhook n8n has not registered yet after a restart), as Bitrix24 does. `onAttempt(attempt)` hears of every
 * attempt as it ends: { attempt, sentAt, at, status, code? } or { attempt, sentAt, at, error } (no answer: the connection
 * refused or dropped). Resolves the last answer with `sentAt` of the first attempt, `attempts` and `history` (every
 * attempt, as onAttempt got it).
 */
async function postRetrying(url, pairs, { retries = 0, retryMs = 1000, resend = '5xx', onAttempt, beforeResend } = {}) {
	const first = Date.now();
	const history = [];
	const again = (status) => (resend === 'non-2xx' ? status < 200 || status > 299 : status >= 500);
	for (let attempt = 1; ; attempt++) {
		let answer;
		const sentAt = Date.now();
		try {
			answer = await post(url, pairs);
			const code = typeof answer.body?.error === 'string' ? answer.body.error : undefined;
			history.push({ attempt, sentAt, at: Date.now(), status: answer.status, ...(code ? { code } : {}) });
		} catch (error) {
			history.push({ attempt, sentAt, at: Date.now(), error: String(error?.cause?.code ?? error?.message ?? error) });
			onAttempt?.(history[history.length - 1]);
			if (attempt > retries) throw Object.assign(error, { history });
		}
		if (answer) onAttempt?.(history[history.length - 1]);
		if (answer && (!again(answer.status) || attempt > retries)) return { ...answer, sentAt: first, ms: Date.now() - first, attempts: attempt, history };
		await new Promise((resolve) => setTimeout(resolve, retryMs));
		await beforeResend?.();
	}
}

/**
 * Sends many calls, at most `concurrency` at a time, in the order given; resolves their results in that order.
 * `retries` (default 0): how often a call answered 5xx (or not at all; with `resend: 'non-2xx'` anything but 2xx) is
 * sent again, as Bitrix24 does; `beforeResend()` is awaited before each resend. `onAttempt(index, attempt)`: every
 * attempt of the call at `index` as it ends.
 */
async function sendAll(url, calls, { concurrency = 50, retries = 0, retryMs = 1000, resend, onAttempt, beforeResend } = {}) {
	const results = new Array(calls.length);
	let next = 0;
	const worker = async () => {
		while (next < calls.length) {
			const index = next++;
			results[index] = await postRetrying(url, calls[index].pairs, { retries, retryMs, resend, beforeResend, onAttempt: onAttempt && ((attempt) => onAttempt(index, attempt)) });
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, calls.length) }, worker));
	return results;
}

/**
 * A burst as Bitrix24's queue may deliver it: one call per record of `ids` (outgoing-webhook events, every
 * `robotEvery`-th a robot call), `duplicates` of them delivered a second time (the copy interleaved later in the
 * burst), and one call with a wrong token per record of `wrongIds`. Each call says what it is:
 * { pairs, id, kind: 'event' | 'robot', copy: boolean, wrongToken: boolean }.
 */
function burst({ ids, duplicates = 0, wrongIds = [], robotEvery = 0, event = 'ONCRMDEALUPDATE', token = SANDBOX_TOKEN, seed = 1 }) {
	const originals = ids.map((id, index) => {
		const robot = robotEvery > 0 && index % robotEvery === robotEvery - 1;
		return { pairs: robot ? robotPairs({ id, token, shape: index % 2 ? 'brackets' : 'indexed' }) : eventPairs({ event, id, token }), id, kind: robot ? 'robot' : 'event', copy: false, wrongToken: false };
	});
	const calls = [...originals];
	// A small deterministic shuffle, so that runs compare.
	let state = seed;
	const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
	const copies = originals.filter((_, index) => index % Math.max(1, Math.floor(originals.length / Math.max(duplicates, 1))) === 0).slice(0, duplicates);
	for (const original of copies) {
		const from = calls.indexOf(original) + 1;
		calls.splice(from + Math.floor(random() * (calls.length - from + 1)), 0, { ...original, copy: true });
	}
	for (const id of wrongIds) {
		const call = { pairs: eventPairs({ event, id, token: `${token}-wrong` }), id, kind: 'event', copy: false, wrongToken: true };
		calls.splice(Math.floor(random() * (calls.length + 1)), 0, call);
	}
	return calls;
}

module.exports = { SANDBOX_TOKEN, PORTAL, MEMBER_ID, DOCUMENTS, eventPairs, robotPairs, formBody, post, postRetrying, sendAll, burst };

if (require.main === module) {
	const args = process.argv.slice(2);
	const url = args.find((arg) => /^https?:\/\//.test(arg));
	const option = (name, fallback) => {
		const index = args.indexOf(`--${name}`);
		return index < 0 ? fallback : args[index + 1];
	};
	if (!url) {
		process.stderr.write('Usage: node test/sandbox/bitrixEvents.js <url> [--token T] [--event ONCRMDEALUPDATE | --robot] [--id 5141] [--param name=value] [--burst N --duplicates D --wrong W]\n');
		process.exit(2);
	}
	const token = option('token', SANDBOX_TOKEN);
	const id = Number(option('id', 5142));
	const params = Object.fromEntries(
		args.flatMap((arg, index) => (args[index - 1] === '--param' ? [arg.split('=')] : [])).map(([name, ...value]) => [name, value.join('=')]),
	);
	const count = Number(option('burst', 0));
	const calls = count
		? burst({
				ids: Array.from({ length: count }, (_, index) => Number(option('first-id', id)) + index),
				duplicates: Number(option('duplicates', 0)),
				wrongIds: Array.from({ length: Number(option('wrong', 0)) }, (_, index) => 900_000 + index),
				event: option('event', 'ONCRMDEALUPDATE'),
				token,
			})
		: [{ pairs: args.includes('--robot') ? robotPairs({ id, params, token }) : eventPairs({ event: option('event', 'ONCRMDEALUPDATE'), id, token }) }];
	sendAll(url, calls, { retries: 5 }).then(
		(results) => {
			const tally = {};
			for (const { status, body } of results) {
				const key = `${status} ${typeof body === 'object' && body ? (body.status ?? body.error ?? '') : ''}`.trim();
				tally[key] = (tally[key] ?? 0) + 1;
			}
			for (const [key, n] of Object.entries(tally)) process.stdout.write(`${n} × ${key}\n`);
		},
		(error) => {
			process.stderr.write(`${error.message}\n`);
			process.exit(1);
		},
	);
}
