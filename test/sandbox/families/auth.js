'use strict';
/**
 * Keys and sessions: which key is which (`KEYS`), what it may reach (`authenticate`: its type, status, session and
 * scopes), `GET /v1/me`, and the sandbox's OAuth sign-in page (`GET /v1/oauth/authorize`).
 */
const { HttpError } = require('../common/http');
const { ENTITIES } = require('./crm/tables');
const { OTHER_ENTITIES } = require('./otherEntities');

const KEYS = {
	personal: 'vibe_api_sandbox_personal',
	app: 'vibe_app_sandbox_application',
	session: 'vibe_session_sandbox_valid',
	expiredSession: 'vibe_session_sandbox_expired',
	otherAppSession: 'vibe_session_sandbox_other_app',
	noCrm: 'vibe_api_sandbox_without_crm',
	readonly: 'vibe_api_sandbox_readonly',
	revoked: 'vibe_api_sandbox_revoked',
	management: 'vibe_live_sandbox_management',
	emptyApp: 'vibe_app_sandbox_no_triggers',
	emptySession: 'vibe_session_sandbox_no_triggers',
	expiringSoon: 'vibe_api_sandbox_expiring_soon',
};

const PORTAL = 'sandbox.bitrix24.com';

function keyTable() {
	return {
		[KEYS.personal]: { type: 'personal', scopes: ['crm', 'task', 'user', 'department', 'im'], status: 'ACTIVE', accessMode: 'READWRITE' },
		[KEYS.app]: { type: 'oauth_app', scopes: ['crm'], status: 'ACTIVE', accessMode: 'READWRITE', app: 'app-1' },
		[KEYS.emptyApp]: { type: 'oauth_app', scopes: ['crm'], status: 'ACTIVE', accessMode: 'READWRITE', app: 'app-2' },
		[KEYS.noCrm]: { type: 'personal', scopes: ['task'], status: 'ACTIVE', accessMode: 'READWRITE' },
		[KEYS.readonly]: { type: 'personal', scopes: ['crm', 'im'], status: 'ACTIVE', accessMode: 'READONLY' },
		[KEYS.revoked]: { type: 'personal', scopes: ['crm'], status: 'REVOKED', accessMode: 'READWRITE' },
		// Expires three days after the sandbox (re)starts: the connection test warns about keys expiring within 7 days.
		[KEYS.expiringSoon]: { type: 'personal', scopes: ['crm'], status: 'ACTIVE', accessMode: 'READWRITE', expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString() },
		[KEYS.management]: { type: 'management', scopes: ['vibe:mgmt:keys'], status: 'ACTIVE', accessMode: 'READWRITE' },
	};
}

function sessionTable() {
	return {
		[KEYS.session]: { app: 'app-1', expired: false },
		[KEYS.expiredSession]: { app: 'app-1', expired: true },
		[KEYS.otherAppSession]: { app: 'app-9', expired: false },
		[KEYS.emptySession]: { app: 'app-2', expired: false },
	};
}

/** The user every sandbox key acts as: Bitrix24 makes it a new record's creator and, unless told, its responsible. */
const KEY_USER = 1;

/** `families`: the families (families/index.js), whose paths need their own scopes and are listed by `GET /v1/me`. */
module.exports = (context, families) => {
	const { sandbox } = context;
	let keys;
	let sessions;

	function authenticate(req, path) {
		let key = req.headers['x-api-key'];
		const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
		if (!key && bearer && /^vibe_(api|live)_/.test(bearer)) key = bearer;
		if (!key) throw new HttpError(401, 'MISSING_API_KEY', 'API key required. Pass via X-Api-Key header.');
		const info = keys[key];
		if (!info) throw new HttpError(401, 'INVALID_API_KEY', 'Invalid or expired API key');
		if (info.status !== 'ACTIVE') throw new HttpError(401, 'KEY_INACTIVE', 'API key is revoked or expired');
		const caller = { key, ...info };
		if (path === '/v1/me') return caller;
		if (info.type === 'management') {
			throw new HttpError(403, 'MANAGEMENT_KEY_NO_ENTITY_ACCESS', 'Management keys have no access to entity data');
		}
		if (info.type === 'oauth_app') {
			if (!bearer || bearer === key) throw new HttpError(401, 'TOKEN_MISSING', 'The OAuth key has no active user session — Authorization: Bearer is missing');
			const session = sessions[bearer];
			if (!session) throw new HttpError(401, 'INVALID_SESSION', 'Invalid session token');
			if (session.expired) throw new HttpError(401, 'TOKEN_EXPIRED', 'The OAuth user session has expired — re-authorize via /v1/oauth/authorize');
			if (session.app !== info.app) throw new HttpError(403, 'SESSION_APP_MISMATCH', 'Session belongs to another application');
		}
		// The users page puts users under the `user` scope; everything else the sandbox serves is CRM.
		const scope = /^\/v1\/users(\/|$)/.test(path) ? 'user' : 'crm';
		// A family's path or an Other Entity path needs its own scope, any one of those listed (tasks: `task` or `tasks`).
		const needs = families.map((family) => family.scopes?.(path)).find(Boolean) ?? OTHER_ENTITIES[path.split('/')[2]]?.scopes ?? [scope];
		if (!needs.some((name) => info.scopes.includes(name))) throw new HttpError(403, 'SCOPE_DENIED', `This endpoint requires '${needs[0]}' scope`);
		return caller;
	}

	function me(caller) {
		if (caller.type === 'management') {
			return { success: true, data: { type: 'management', keyPrefix: 'vibe_live_sand', scopes: caller.scopes, portals: [{ id: 1, domain: PORTAL, status: 'ACTIVE', role: 'ADMIN' }] } };
		}
		const data = {
			type: caller.type,
			portal: PORTAL,
			scopes: caller.scopes,
			accessMode: caller.accessMode,
			rateLimit: { requestsPerSecond: 10 },
			expiresAt: caller.expiresAt ?? null,
		};
		if (caller.type === 'oauth_app') {
			data.app = { title: 'Sandbox App', id: caller.app };
			// The application's ID, never its key: the link is shown to the user and opened in a browser.
			data.oauth = { authorizeUrl: `${sandbox.url}/v1/oauth/authorize?app=${encodeURIComponent(caller.app)}`, tokenUrl: `${sandbox.url}/v1/oauth/token` };
		} else {
			// `userId`: seen by third parties, not on VibeCode's pages.
			data.owner = { name: 'Sandbox Owner', userId: KEY_USER };
		}
		// The entity paths the key may use, by its scopes, in the older docs' shape: name → "/v1/{path}".
		const paths = [
			...(caller.scopes.includes('crm') ? Object.values(ENTITIES).map(({ path }) => path).filter((path) => !path.startsWith('items/')) : []),
			...(caller.scopes.includes('user') ? ['users'] : []),
			...Object.entries(OTHER_ENTITIES).filter(([, { scopes }]) => scopes.some((scope) => caller.scopes.includes(scope))).map(([path]) => path),
			...families.flatMap((family) => family.entities?.(caller.scopes) ?? []),
		];
		data.api = { entityApi: { entities: Object.fromEntries(paths.map((path) => [path, `/v1/${path}`])) } };
		return { success: true, data };
	}

	/**
	 * The sandbox's stand-in for signing in to Bitrix24 and allowing the application (VibeCode's own
	 * /v1/oauth/authorize is not documented): a page that shows the application's valid session token with a copy
	 * button, to paste into the credential's Session Token.
	 */
	function signInPage(app) {
		const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
		const token = Object.entries(sessions).find(([, session]) => session.app === app && !session.expired)?.[0];
		const page = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
		if (!token) {
			return { status: 404, html: page('No such application', `<p>The sandbox has no OAuth application <code>${escape(app)}</code>. Open the link a Bitrix24 node run shows.</p>`) };
		}
		return {
			status: 200,
			html: page(
				'Signed in to the VibeCode sandbox',
				`<p>You are signed in to ${PORTAL} as Sandbox Owner and allowed <b>Sandbox App</b>. Paste this session token into the credential's <b>Session Token</b> field:</p>` +
					`<p><code id="session-token">${escape(token)}</code> <button id="copy-token" type="button" onclick="navigator.clipboard.writeText(document.getElementById('session-token').textContent).then(() => { this.textContent = 'Copied'; })">Copy</button></p>`,
			),
		};
	}

	return {
		reset() {
			keys = keyTable();
			sessions = sessionTable();
		},
		authenticate,
		signInPage,
		route: (req, path, caller) => (req.method === 'GET' && path === '/v1/me' ? [200, me(caller)] : undefined),
	};
};

module.exports.KEYS = KEYS;
module.exports.PORTAL = PORTAL;
module.exports.KEY_USER = KEY_USER;
