/**
 * The CRM timeline (docs/vibecode-contract.md, "Timeline"): user comments at `/v1/timelines` (crm.timeline.comment.*,
 * the older docs' Timelines pages) and log entries at `/v1/timeline-logs` (crm.timeline.logmessage.*, the current
 * CRM Timeline page), with the pins and bindings of a log entry. Both need the `crm` scope.
 *
 * As documented: comments name their record by a string `entityType` (`deal`, `DYNAMIC_1038`; a numeric one fails
 * with `422 BITRIX_ERROR Access denied.`) and answer it lower-case; a comment list needs both `filter[entityType]` and
 * `filter[entityId]` (`400 MISSING_REQUIRED_FILTER`); an empty comment is `422 BITRIX_ERROR Empty comment message`;
 * a missing comment is `422 BITRIX_ERROR Not found.` on get and `404 ENTITY_NOT_FOUND` on update and delete. Log
 * entries name it by a numeric `entityTypeId` (1 lead, 2 deal, 3 contact, 4 company, 7 quote, 31 invoice, ≥128 a
 * smart process); a missing field is `400 INVALID_PARAMS` naming it; a personal key's delete is always
 * `403 CROSS_APP_DELETE_FORBIDDEN`, and an application may delete only the entries it created.
 *
 * Inferred, and options where a reading matters: what a write on a record that does not exist answers
 * (`timelineMissingRecord`: Bitrix24's permission check, `422 BITRIX_ERROR Access denied.`, or `404 ENTITY_NOT_FOUND`),
 * whether a write answers the whole entry as documented or only its ID (`timelineWriteAnswer`), the comment types
 * `quote` and `smart_invoice` (Bitrix24's names of those types), the log list's query (`entityTypeId`, `entityId`,
 * `offset`; ten entries a page, newest first, as crm.timeline.logmessage.list) and the bindings' shape.
 */
const CRM_TYPE_IDS = { lead: 1, deal: 2, contact: 3, company: 4, quote: 7, invoice: 31 };
/** A comment's `entityType` → the sandbox's record type. */
const COMMENT_TYPES = { lead: 'lead', deal: 'deal', contact: 'contact', company: 'company', quote: 'quote', smart_invoice: 'invoice' };
const TYPE_BY_ID = Object.fromEntries(Object.entries(CRM_TYPE_IDS).map(([type, id]) => [id, type]));
/** Log-entry types the pages map (14 is the shop's order, which the sandbox does not serve). */
const MAPPED_TYPE_IDS = new Set([...Object.values(CRM_TYPE_IDS), 14]);

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const isPositiveInteger = (value) => Number.isSafeInteger(value) && value > 0;

module.exports = function timeline(context) {
	const { HttpError, sandbox, KEY_USER } = context;
	let comments;
	let logs;

	const config = () => sandbox.config;
	const blockWrite = (caller, action) => {
		if (caller.accessMode === 'READONLY') throw new HttpError(403, 'WRITE_BLOCKED_READONLY_KEY', `Write blocked: crm.timeline.${action}`);
	};
	/** A write or list on a record the portal lacks: see `timelineMissingRecord`. */
	const missingRecord = () => {
		if (config().timelineMissingRecord === 'ENTITY_NOT_FOUND') return new HttpError(404, 'ENTITY_NOT_FOUND', 'Item not found');
		return new HttpError(422, 'BITRIX_ERROR', 'Access denied.');
	};
	const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, '.000Z');

	/** A comment's `entityType` as the sandbox's record type: the four documented names, two inferred, `DYNAMIC_{n}`. */
	function commentType(value) {
		// A numeric CRM code (as a number or its text) is refused as the pages say.
		if (typeof value !== 'string' || /^\s*\d+\s*$/.test(value)) throw new HttpError(422, 'BITRIX_ERROR', 'Access denied.');
		const name = value.trim().toLowerCase();
		if (COMMENT_TYPES[name]) return COMMENT_TYPES[name];
		if (/^dynamic_\d+$/.test(name)) return name;
		throw new HttpError(422, 'BITRIX_ERROR', 'Access denied.');
	}
	/** The lower-case `entityType` a comment is answered with. */
	const commentTypeName = (type) => Object.entries(COMMENT_TYPES).find(([, value]) => value === type)?.[0] ?? type;

	/** A log entry's `entityTypeId` as the sandbox's record type (undefined for a type it does not serve). */
	const logType = (entityTypeId) => TYPE_BY_ID[entityTypeId] ?? (entityTypeId >= 128 ? `dynamic_${entityTypeId}` : undefined);

	const existing = (type, id) => {
		if (!type || !context.record(type, id)) throw missingRecord();
	};

	const commentAnswer = (comment) => {
		const { id, entityId, entityType, comment: text, authorId, createdAt } = comment;
		return { id, entityId, entityType: commentTypeName(entityType), comment: text, authorId, createdAt };
	};
	const writeAnswer = (entry, whole) => (config().timelineWriteAnswer === 'id' ? { id: entry.id } : whole(entry));
	const logAnswer = ({ id, created, authorId, title, text, iconCode }) => ({ id, created, authorId, title, text, iconCode });

	function pathId(raw) {
		if (!/^\d+$/.test(raw) || Number(raw) <= 0) throw new HttpError(400, 'INVALID_PARAMS', 'Path parameter :id must be a positive integer');
		return Number(raw);
	}

	/** A comment's text as Bitrix24 refuses it: absent, not text, or only spaces. */
	function commentText(body) {
		if (typeof body.comment !== 'string' || body.comment.trim() === '') throw new HttpError(422, 'BITRIX_ERROR', 'Empty comment message');
		return body.comment;
	}

	function comment(req, path, url, raw, caller) {
		const method = req.method;
		if (method === 'GET' && path === '/v1/timelines/fields') {
			return [200, { success: true, data: { fields: {
				id: { type: 'number', readonly: true },
				entityType: { type: 'string', readonly: false },
				entityId: { type: 'number', readonly: false },
				comment: { type: 'string', readonly: false },
				authorId: { type: 'number', readonly: false },
				createdAt: { type: 'datetime', readonly: true },
			} } }];
		}
		if (method === 'GET' && path === '/v1/timelines') {
			const query = context.queryOf(url);
			const { entityType, entityId } = query.filter;
			if (entityType === undefined || entityId === undefined || entityType === '' || entityId === '') {
				throw new HttpError(400, 'MISSING_REQUIRED_FILTER', 'GET /v1/timelines requires filter fields: entityType, entityId. Example: GET /v1/timelines?filter[entityType]=...&filter[entityId]=...');
			}
			const type = commentType(entityType);
			const id = Number(entityId);
			existing(type, id);
			const all = [...comments.values()].filter((entry) => entry.entityType === type && entry.entityId === id).sort((a, b) => a.id - b.id);
			const limit = Math.min(Number.isFinite(query.limit) && query.limit > 0 ? query.limit : 50, 5000);
			const offset = Number.isFinite(query.offset) && query.offset > 0 ? query.offset : 0;
			const page = all.slice(offset, offset + limit).map(commentAnswer);
			return [200, { success: true, data: page, meta: { total: all.length, hasMore: offset + page.length < all.length } }];
		}
		if (method === 'POST' && path === '/v1/timelines') {
			blockWrite(caller, 'comment.add');
			const body = context.parseBody(req, raw);
			const text = commentText(body);
			const type = commentType(body.entityType);
			if (!isPositiveInteger(body.entityId)) throw new HttpError(422, 'BITRIX_ERROR', 'Access denied.');
			existing(type, body.entityId);
			const entry = { id: context.newId(), entityType: type, entityId: body.entityId, comment: text, authorId: KEY_USER, createdAt: now() };
			comments.set(entry.id, entry);
			return [201, { success: true, data: writeAnswer(entry, commentAnswer) }];
		}
		const one = /^\/v1\/timelines\/([^/]+)$/.exec(path);
		if (!one) return undefined;
		const id = pathId(one[1]);
		if (method === 'GET') {
			if (!comments.has(id)) throw new HttpError(422, 'BITRIX_ERROR', 'Not found.');
			return [200, { success: true, data: commentAnswer(comments.get(id)) }];
		}
		if (method === 'PATCH') {
			blockWrite(caller, 'comment.update');
			if (!comments.has(id)) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Элемент не найден');
			const text = commentText(context.parseBody(req, raw));
			// entityType and entityId are fixed at creation: anything but the comment is left as it is.
			const entry = comments.get(id);
			entry.comment = text;
			return [200, { success: true, data: writeAnswer(entry, commentAnswer) }];
		}
		if (method === 'DELETE') {
			blockWrite(caller, 'comment.delete');
			if (!comments.has(id)) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Элемент не найден');
			comments.delete(id);
			return [204, undefined];
		}
		return undefined;
	}

	/** `{ entityTypeId, entityId }` of a pin or binding body: both required, numbers; a bind may name the type as text. */
	function ownerOf(body, { textType = false } = {}) {
		let entityTypeId = body.entityTypeId;
		if (entityTypeId === undefined && textType && typeof body.entityType === 'string') {
			const name = body.entityType.trim().toLowerCase();
			entityTypeId = CRM_TYPE_IDS[COMMENT_TYPES[name]] ?? (/^dynamic_\d+$/.test(name) ? Number(name.slice('dynamic_'.length)) : undefined);
			if (entityTypeId === undefined) throw new HttpError(400, 'INVALID_PARAMS', `entityType "${body.entityType}" is not a CRM type`);
		}
		if (!isPositiveInteger(entityTypeId)) throw new HttpError(400, 'INVALID_PARAMS', 'entityTypeId is required and must be a positive integer');
		if (!isPositiveInteger(body.entityId)) throw new HttpError(400, 'INVALID_PARAMS', 'entityId is required and must be a positive integer');
		return { entityTypeId, entityId: body.entityId };
	}

	function log(req, path, url, raw, caller) {
		const method = req.method;
		if (path === '/v1/timeline-logs') {
			if (method === 'POST') {
				blockWrite(caller, 'logmessage.add');
				const body = context.parseBody(req, raw);
				const { entityTypeId, entityId } = ownerOf(body);
				for (const name of ['title', 'text']) {
					if (typeof body[name] !== 'string' || body[name].trim() === '') throw new HttpError(400, 'INVALID_PARAMS', `${name} is required and must be a non-empty string`);
				}
				if (body.iconCode !== undefined && typeof body.iconCode !== 'string') throw new HttpError(400, 'INVALID_PARAMS', 'iconCode must be a string');
				existing(logType(entityTypeId), entityId);
				const entry = {
					id: context.newId(),
					created: new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00'),
					authorId: KEY_USER,
					title: body.title,
					text: body.text,
					iconCode: body.iconCode ?? '',
					// Who may delete it: the application that created it; a personal key's calls look like a new application each time.
					creator: caller.type === 'oauth_app' ? caller.app : undefined,
					bindings: [{ entityTypeId, entityId }],
					pinned: [],
				};
				logs.set(entry.id, entry);
				return [201, { success: true, data: writeAnswer(entry, logAnswer) }];
			}
			if (method === 'GET') {
				const params = url.searchParams;
				const entityTypeId = Number(params.get('entityTypeId'));
				const entityId = Number(params.get('entityId'));
				if (!isPositiveInteger(entityTypeId)) throw new HttpError(400, 'INVALID_PARAMS', 'entityTypeId is required and must be a positive integer');
				if (!isPositiveInteger(entityId)) throw new HttpError(400, 'INVALID_PARAMS', 'entityId is required and must be a positive integer');
				existing(logType(entityTypeId), entityId);
				const all = [...logs.values()]
					.filter((entry) => entry.bindings.some((b) => b.entityTypeId === entityTypeId && b.entityId === entityId))
					.sort((a, b) => b.id - a.id);
				const offset = Math.max(0, Number(params.get('offset')) || 0);
				const page = all.slice(offset, offset + 10).map(logAnswer);
				return [200, { success: true, data: page, meta: { total: all.length, hasMore: offset + page.length < all.length } }];
			}
			return undefined;
		}
		const match = /^\/v1\/timeline-logs\/([^/]+)(?:\/(pin|unpin|bind|unbind|bindings))?$/.exec(path);
		if (!match) return undefined;
		const [, rawId, action] = match;
		const id = pathId(rawId);
		if (!action && method === 'DELETE') {
			blockWrite(caller, 'logmessage.delete');
			// A personal key's tokens rotate between calls: to Bitrix24 each call is another application.
			if (caller.type !== 'oauth_app') throw new HttpError(403, 'CROSS_APP_DELETE_FORBIDDEN', 'Only the application that created the log entry can delete it');
			if (!logs.has(id)) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Log entry not found');
			if (logs.get(id).creator !== caller.app) throw new HttpError(403, 'CROSS_APP_DELETE_FORBIDDEN', 'Only the application that created the log entry can delete it');
			logs.delete(id);
			return [204, undefined];
		}
		if (!action && method === 'GET') {
			if (!logs.has(id)) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Log entry not found');
			return [200, { success: true, data: logAnswer(logs.get(id)) }];
		}
		if (action === 'bindings' && method === 'GET') {
			if (!logs.has(id)) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Log entry not found');
			return [200, { success: true, data: logs.get(id).bindings.map(({ entityTypeId, entityId }) => ({ ownerId: id, entityId, entityType: logType(entityTypeId) })) }];
		}
		if (action && action !== 'bindings' && method === 'POST') {
			blockWrite(caller, action === 'pin' || action === 'unpin' ? `item.${action}` : `bindings.${action}`);
			const body = context.parseBody(req, raw);
			const owner = ownerOf(body, { textType: action === 'bind' || action === 'unbind' });
			if ((action === 'bind' || action === 'unbind') && owner.entityTypeId < 128 && !MAPPED_TYPE_IDS.has(owner.entityTypeId)) {
				throw new HttpError(400, 'INVALID_ENTITY_TYPE_ID', `entityTypeId ${owner.entityTypeId} has no ENTITY_TYPE mapping`);
			}
			if (!logs.has(id)) throw new HttpError(404, 'ENTITY_NOT_FOUND', 'Log entry not found');
			existing(logType(owner.entityTypeId), owner.entityId);
			const entry = logs.get(id);
			const same = (b) => b.entityTypeId === owner.entityTypeId && b.entityId === owner.entityId;
			if (action === 'bind' && !entry.bindings.some(same)) entry.bindings.push(owner);
			if (action === 'unbind') entry.bindings = entry.bindings.filter((b) => !same(b));
			if (action === 'pin' || action === 'unpin') {
				// An entry is pinned in the timeline of a record it is shown on.
				if (!entry.bindings.some(same)) throw new HttpError(422, 'BITRIX_ERROR', 'Timeline item is not bound to this entity');
				entry.pinned = entry.pinned.filter((b) => !same(b));
				if (action === 'pin') entry.pinned.push(owner);
			}
			return [200, { success: true, data: true }];
		}
		return undefined;
	}

	const seed = () => {
		comments = new Map();
		logs = new Map();
		const entry = { id: 9001, entityType: 'deal', entityId: 5142, comment: 'Client asked for an annual invoice', authorId: KEY_USER, createdAt: '2026-11-01T09:30:00.000Z' };
		comments.set(entry.id, entry);
	};
	seed();

	return {
		name: 'timeline',
		reset: seed,
		scopes: (path) => (/^\/v1\/(timelines|timeline-logs)(\/|$)/.test(path) ? ['crm'] : undefined),
		route: (req, path, url, raw, caller) => {
			if (/^\/v1\/timelines(\/|$)/.test(path)) return comment(req, path, url, raw, caller);
			if (/^\/v1\/timeline-logs(\/|$)/.test(path)) return log(req, path, url, raw, caller);
			return undefined;
		},
		store: () => ({
			comments: [...comments.values()].map((entry) => ({ ...entry })),
			logs: [...logs.values()].map(({ bindings, pinned, ...entry }) => ({
				...entry,
				bindings: bindings.map((b) => ({ ...b })),
				pinned: pinned.map((b) => ({ ...b })),
			})),
		}),
		options: {
			timelineWriteAnswer: { values: ['record', 'id'] },
			timelineMissingRecord: { values: ['BITRIX_ERROR', 'ENTITY_NOT_FOUND'] },
		},
	};
};
