/**
 * The one table of error codes the node can emit: VibeCode's own codes and the few the node raises itself
 * (network failures, bad input, an unknown trigger code). Each has what a user reads (message) and what to
 * do (hint). `nodeError.ts` turns a failure into n8n's error with these texts; VibeCode's own words are kept
 * beside them (they often name the field at fault).
 */
export interface ErrorText {
	message: string;
	hint: string;
}

const REISSUE_KEY = 'Create a new key in the VibeCode dashboard and paste it into the credential.';
/**
 * How to get a session token. With the application's sign-in link when the node could read it (GET /v1/me,
 * transport/index.ts); without it, where the dashboard shows it (the connection test cannot quote it).
 */
export function signInHint(link?: string): string {
	const where = link ? `Open ${link} in your browser` : "Open your application's sign-in link (in the VibeCode dashboard under Applications → your application)";
	return `${where}, sign in to Bitrix24, allow the application, and paste the session token it shows (vibe_session_…) into the credential's Session Token. A session lasts about a day.`;
}
const SIGN_IN_AGAIN = signInHint();

/** The codes that mean "get a new session": their hint gets the application's own sign-in link. */
export const SESSION_CODES = new Set(['TOKEN_MISSING', 'TOKEN_EXPIRED', 'INVALID_SESSION']);

/** A session code's text with the application's sign-in link in place of the dashboard's. */
export function withSignInLink(code: string, link: string): ErrorText {
	const text = errorText(code);
	return { message: text.message, hint: text.hint.replace(SIGN_IN_AGAIN, signInHint(link)) };
}
const PAID_PLAN = 'Choose a paid plan in the VibeCode dashboard.';

const TABLE = {
	// Keys and sessions
	MISSING_API_KEY: {
		message: 'The request carried no API key',
		hint: 'Open the Bitrix24 VibeCode credential and paste the API key.',
	},
	INVALID_API_KEY: {
		message: 'VibeCode does not recognise this API key',
		hint: `The key is wrong, deleted or expired. ${REISSUE_KEY}`,
	},
	INVALID_APP_KEY: {
		message: 'The OAuth application key was sent without a user session',
		hint: 'Paste the session token (vibe_session_…) into the credential, or choose Personal Key if this is a vibe_api_ key.',
	},
	TOKEN_MISSING: {
		message: 'The key has no active Bitrix24 user session',
		hint: SIGN_IN_AGAIN,
	},
	TOKEN_EXPIRED: {
		message: 'The OAuth user session has expired',
		hint: `${SIGN_IN_AGAIN} For unattended workflows use a personal key (vibe_api_…).`,
	},
	TOKEN_REFRESH_FAILED: {
		message: "VibeCode could not refresh the portal's Bitrix24 tokens",
		hint: 'Reconnect the portal in the VibeCode dashboard, then re-authorize the application.',
	},
	INVALID_SESSION: {
		message: 'VibeCode does not recognise this session token',
		hint: SIGN_IN_AGAIN,
	},
	SESSION_APP_MISMATCH: {
		message: 'The session token belongs to a different application than the key',
		hint: 'Use the session token issued for this application key.',
	},
	WRONG_KEY_TYPE: {
		message: 'This kind of key cannot call this endpoint',
		hint: 'Use a personal key (vibe_api_…) or an OAuth application key (vibe_app_…) with a session; management keys (vibe_live_…) have no CRM access.',
	},
	KEY_INACTIVE: {
		message: 'The API key has been revoked or has expired',
		hint: REISSUE_KEY,
	},
	KEY_EXPIRED: {
		message: 'The API key has expired',
		hint: REISSUE_KEY,
	},
	// Permissions
	SCOPE_DENIED: {
		message: "The key lacks the 'crm' scope",
		hint: "Re-issue the key with the 'crm' scope ticked (scopes are fixed when a key is created) and paste it into the credential.",
	},
	SCOPE_NOT_ALLOWED: {
		message: 'The key lacks a scope this call needs',
		hint: "Re-issue the key with the 'crm' scope ticked and paste it into the credential.",
	},
	MANAGEMENT_KEY_READ_ONLY: {
		message: 'Management keys are read-only',
		hint: 'Use a personal key (vibe_api_…) or an OAuth application key (vibe_app_…).',
	},
	MANAGEMENT_KEY_NO_ENTITY_ACCESS: {
		message: 'Management keys (vibe_live_…) cannot reach CRM data',
		hint: 'Use a personal key (vibe_api_…) or an OAuth application key (vibe_app_…) bound to the portal.',
	},
	MANAGEMENT_SCOPE_REQUIRED: {
		message: 'The management key lacks the scope this call needs',
		hint: 'Use a personal key (vibe_api_…) or an OAuth application key (vibe_app_…).',
	},
	BITRIX_ACCESS_DENIED: {
		message: 'Bitrix24 denied access',
		hint: 'The key owner may lack rights to this record, or the call needs an OAuth application key with a user session (the trigger list does: with a personal key enter the trigger By Code). A scope added after the key was issued needs a re-issued key.',
	},
	ACCESS_DENIED: {
		message: 'Access denied',
		hint: 'Check that the key owner may see and edit this record in Bitrix24.',
	},
	OAUTH_REQUIRED: {
		message: 'This call needs an OAuth application key with a user session',
		hint: 'Use an OAuth application credential (vibe_app_… plus session token), or with a personal key enter the trigger By Code.',
	},
	WAITLIST_PENDING: {
		message: 'The VibeCode account is still on the waitlist',
		hint: 'Wait for VibeCode to activate the account.',
	},
	IP_NOT_ALLOWED: {
		message: "This n8n server's IP address is not on the key's allow-list",
		hint: "Add the n8n server's public IP address to the key's allowed IPs in the VibeCode dashboard.",
	},
	KEY_POLICY_READONLY_REQUIRED: {
		message: "The portal's policy makes keys read-only",
		hint: 'Ask the portal admin to allow read-write keys, then issue a new key.',
	},
	WRITE_BLOCKED_READONLY_KEY: {
		message: 'The key is read-only and cannot fire triggers',
		hint: 'Issue a key with the READWRITE access mode (or ask the portal admin to allow it).',
	},
	SERVER_WAKE_BLOCKED: {
		message: 'VibeCode blocked the request for billing reasons',
		hint: 'Check the VibeCode subscription and balance in the dashboard.',
	},
	// Validation
	MISSING_PARAMS: {
		message: 'A required parameter is missing (entityType, entityId or triggerId)',
		hint: 'Fill in Entity Type, Entity and Trigger; check that expressions do not resolve to empty values.',
	},
	INVALID_ENTITY_TYPE: {
		message: 'VibeCode does not know this entity type',
		hint: 'Choose one of: company, contact, deal, invoice, lead, quote.',
	},
	VALIDATION_ERROR: {
		message: 'VibeCode rejected the request as invalid',
		hint: 'Check the fields named in the details.',
	},
	INVALID_PARAMS: {
		message: 'VibeCode rejected a parameter',
		hint: 'Check the fields named in the details; IDs must be positive whole numbers.',
	},
	INVALID_REQUEST: {
		message: 'VibeCode rejected the request',
		hint: 'Check the fields named in the details.',
	},
	INVALID_FILTER_FIELD: {
		message: 'The search used a field this entity does not have',
		hint: 'Check the field names for this entity type.',
	},
	MISSING_REQUIRED_FILTER: {
		message: 'The search needs a filter',
		hint: 'Add a filter to the search.',
	},
	UNKNOWN_SORT_FIELD: { message: 'The search sorted by an unknown field', hint: 'Check the sort field name.' },
	INVALID_SORT_TYPE: { message: 'The search sort has the wrong shape', hint: 'Sort by a field name such as "id" or "-id".' },
	INVALID_SORT_DIRECTION: { message: 'The search sort direction is invalid', hint: 'Use "asc" or "desc".' },
	UNSTABLE_OFFSET_PAGINATION: {
		message: 'VibeCode refused unstable paging',
		hint: 'Page with a stable sort by id and a narrower date range.',
	},
	BATCH_LIMIT_EXCEEDED: { message: 'Too many calls in one batch', hint: 'Send at most 50 calls per batch.' },
	INVALID_FILTER_OPERATOR: {
		message: 'The search used an unknown filter operator',
		hint: 'Check the filter syntax.',
	},
	// Not found, conflict
	ENTITY_NOT_FOUND: {
		message: 'The CRM record does not exist',
		hint: 'Check the Entity ID and the Entity Type: the record may have been deleted or belong to another type.',
	},
	NOT_FOUND: {
		message: 'Not found',
		hint: 'Check the Entity ID and the credential Base URL (it should end at the host, without /v1).',
	},
	// Chats and notifications (the `im` scope)
	DIALOG_NOT_FOUND: {
		message: "The chat does not exist or the key's user cannot see it",
		hint: "Check the chat or user ID, and that the key's user is a member of the chat in Bitrix24.",
	},
	CHAT_NOT_FOUND: { message: 'The chat does not exist', hint: 'Check the chat ID in Bitrix24.' },
	MESSAGE_NOT_FOUND: { message: 'The message does not exist', hint: 'Check the message ID in Bitrix24.' },
	UNKNOWN_USER: {
		message: 'The user is not on this portal',
		hint: 'Choose the user from the list, or make the expression return the ID of a portal user.',
	},
	INACTIVE_USER: {
		message: 'The user is inactive (dismissed) on this portal',
		hint: 'Choose an active user: a dismissed user cannot sign in to read it.',
	},
	NO_RECORD_CHAT: {
		message: 'The CRM record has no chat',
		hint: "Start the record's chat in Bitrix24 (the record's card, Chat), or send to the record's responsible user instead.",
	},
	CONFLICT: { message: 'The request conflicts with the current state', hint: 'Retry after the record settles.' },
	ALREADY_EXISTS: { message: 'The record already exists', hint: 'Use the existing record.' },
	// Timeline (/v1/timeline-logs)
	CROSS_APP_DELETE_FORBIDDEN: {
		message: 'Only the OAuth application that logged a timeline entry may delete it',
		hint: 'VibeCode answers every delete with a personal key, and with another application, with 403. Use the Bitrix24 VibeCode credential of the OAuth application that logged the entry; Bitrix24 has no delete button for log entries, so otherwise the entry stays.',
	},
	INVALID_ENTITY_TYPE_ID: {
		message: 'VibeCode cannot show a timeline entry on this CRM type',
		hint: 'Choose a lead, deal, contact, company, quote, invoice or smart process item.',
	},
	// Billing
	BILLING_EXHAUSTED: { message: 'The VibeCode balance is exhausted', hint: 'Top up the balance in the VibeCode dashboard.' },
	ACCOUNT_FROZEN: { message: 'The VibeCode account is frozen', hint: 'Contact VibeCode support or check billing in the dashboard.' },
	COMMERCIAL_PLAN_REQUIRED: {
		message: 'This needs a commercial Bitrix24 plan',
		hint: 'Upgrade the Bitrix24 plan or the VibeCode subscription.',
	},
	TRIAL_EXPIRED: { message: 'The VibeCode trial has expired', hint: PAID_PLAN },
	TRIAL_PORTAL_LIMIT: { message: 'The trial allows no more portals', hint: PAID_PLAN },
	TRIAL_USER_LIMIT: { message: 'The trial allows no more users', hint: PAID_PLAN },
	PLAN_NOT_ALLOWED_ON_TRIAL: { message: 'This is not available on the trial', hint: PAID_PLAN },
	PAYMENT_REQUIRED: { message: 'VibeCode requires payment for this call', hint: 'Check the subscription and balance in the VibeCode dashboard.' },
	// Rate and backend
	RATE_LIMITED: {
		message: 'VibeCode rate limit reached',
		hint: 'The node already waited and retried. Lower Max Parallel Requests, raise Max Retries or Max Wait, or spread the run out.',
	},
	ERROR_LOOP_DETECTED: {
		message: 'VibeCode paused this key after repeated identical failures',
		hint: 'Fix the cause of the earlier failures, then wait about a minute before running again.',
	},
	BITRIX_ERROR: {
		message: 'Bitrix24 rejected the request',
		hint: "Bitrix24's own reason is in the details; check the record and the trigger in Bitrix24.",
	},
	BITRIX_UNAVAILABLE: {
		message: 'Bitrix24 is unavailable or overloaded',
		hint: 'The node already retried. Try again in a few minutes; check the portal status.',
	},
	// A portal error VibeCode passes on as BITRIX_ERROR, read by its Bitrix24 code (PORTAL_CODES), or under its own code
	TASKS_BAD_TITLE: {
		message: 'Bitrix24 refused the task title: it is longer than 250 characters',
		hint: 'Shorten the title to 250 characters or fewer (put the rest in the description). Nothing was saved.',
	},
	PORTAL_SCOPE_MISSING: {
		message: 'The portal refused the call: the key lacks a Bitrix24 scope it needs',
		hint: "VibeCode's words below name the refusal (insufficient_scope). Re-issue the key with the scope the call needs ticked (the task chat needs 'im' beside 'task'; scopes are fixed when a key is created).",
	},
	WINDOWED_SEARCH_FAILED: {
		message: 'Every part of the windowed search failed',
		hint: 'Narrow the date range or try again later.',
	},
	QUEUE_TIMEOUT: {
		message: "The portal's request queue is saturated",
		hint: 'Too many concurrent Bitrix24 calls on this portal. Lower Max Parallel Requests or run later.',
	},
	INTERNAL_ERROR: {
		message: 'VibeCode had an internal error',
		hint: 'The trigger may or may not have run. Check the record in Bitrix24 before running again; report the request ID to VibeCode if it repeats.',
	},
	SERVICE_UNAVAILABLE: {
		message: 'VibeCode is temporarily unavailable',
		hint: 'The node already retried. Try again in a few minutes.',
	},
	GATEWAY_ERROR: {
		message: 'A proxy in front of VibeCode answered with an error page',
		hint: 'The trigger may or may not have run. Check the record in Bitrix24 before running again.',
	},
	INVALID_RESPONSE: {
		message: 'VibeCode sent a response that is not valid JSON',
		hint: 'Check the credential Base URL (it should be https://vibecode.bitrix24.tech, or your sandbox). If it is right, the trigger may or may not have run: check the record in Bitrix24.',
	},
	// Raised by the node itself: no answer arrived, or the node refused before sending
	TIMEOUT: {
		message: 'VibeCode did not answer in time',
		hint: 'The trigger may already have run, so the node did not send it again. Check the record in Bitrix24; raise the Timeout option if the portal is slow. Turn on Retry Unknown Outcomes only if running it twice is harmless.',
	},
	CONNECTION_RESET: {
		message: 'The connection to VibeCode broke before an answer arrived',
		hint: 'The trigger may already have run, so the node did not send it again. Check the record in Bitrix24. Turn on Retry Unknown Outcomes only if running it twice is harmless.',
	},
	CONNECTION_FAILED: {
		message: 'Could not connect to VibeCode',
		hint: 'Check the credential Base URL and that this n8n server can reach it. Nothing was sent.',
	},
	INVALID_PARAMETER: {
		message: 'An input value is not valid',
		hint: 'Correct the parameter or the expression named in the message.',
	},
	INVALID_CREDENTIAL: {
		message: 'The credential cannot work as filled in',
		hint: 'Open the Bitrix24 VibeCode credential and correct it. Nothing was sent.',
	},
	NO_MATCHING_RECORDS: {
		message: 'No record matches the trigger\'s filters',
		hint: 'Check the filters, or create a matching record in Bitrix24 and test again.',
	},
	SEVERAL_MATCHES: {
		message: 'Several records match, so the node cannot tell which one to update',
		hint: 'Match on a field whose value is unique (such as an email or an order number), or use Get Many and then Update.',
	},
	TASK_ACTION_NOT_ALLOWED: {
		message: "Bitrix24 does not let the key's user do this to the task",
		hint: "The task's action list says no for the key's user (the key's owner, or the signed-in user of an OAuth session): it takes the creator, the responsible person or a participant, and a status that allows it. Use the key of a user who works on the task, or ask its creator.",
	},
	WRITE_NOT_APPLIED: {
		message: 'VibeCode answered, but the record does not hold the values sent',
		hint: 'Bitrix24 drops a field it does not know or may not write, and some robots or business processes rewrite values. Check the field in the mapper (reload it), the record in Bitrix24, and turn off Options → Check Written Values only for fields Bitrix24 rewrites on purpose.',
	},
	NO_TRIGGERS: {
		message: 'No triggers are registered by this application on the portal',
		hint: 'VibeCode lists only the triggers this OAuth application registered. Register one in Bitrix24 (crm.automation.trigger.add in the application context), or enter a code By Code.',
	},
	UNEXPECTED_ERROR: {
		message: 'The node failed unexpectedly',
		hint: 'See the details. If it happens again, report it with the error text to the package maintainers.',
	},
	UNKNOWN_TRIGGER: {
		message: 'The trigger code is not registered on the portal',
		hint: 'VibeCode accepts unknown codes silently, so nothing would run. Pick the trigger From List, or turn off Verify Trigger Code if the code is registered by another application.',
	},
	UNDECLARED_TRIGGER: {
		message: "The trigger code is not in the credential's Trigger Codes list",
		hint: "Nothing was fired. Fix the code, or, if it is registered on the portal, add it to Trigger Codes in the Bitrix24 VibeCode credential.",
	},
	UNKNOWN_ERROR: {
		message: 'VibeCode returned an error',
		hint: 'See the details for the code and text VibeCode sent.',
	},
} satisfies Record<string, ErrorText>;

/** A code the node raises itself or reads specially; VibeCode may send others, which read as UNKNOWN_ERROR. */
export type ErrorCode = keyof typeof TABLE;

export const ERROR_TABLE: Readonly<Record<string, ErrorText>> = TABLE;

/** Error codes for HTTP statuses whose bodies carry no VibeCode code. */
export const STATUS_FALLBACK: Record<number, ErrorCode> = {
	401: 'INVALID_API_KEY',
	402: 'PAYMENT_REQUIRED',
	403: 'ACCESS_DENIED',
	404: 'NOT_FOUND',
	422: 'BITRIX_ERROR',
	429: 'RATE_LIMITED',
	500: 'INTERNAL_ERROR',
	502: 'GATEWAY_ERROR',
	503: 'SERVICE_UNAVAILABLE',
	504: 'GATEWAY_ERROR',
};

export function errorText(code: string): ErrorText {
	return ERROR_TABLE[code] ?? ERROR_TABLE.UNKNOWN_ERROR;
}

/**
 * Bitrix24's own error codes that VibeCode passes on inside a `BITRIX_ERROR` message ("TASKS_BAD_TITLE: …",
 * "insufficient_scope: …"; the errors page: a portal error is 422 BITRIX_ERROR with the portal's text): the code the
 * node reads such an answer as, so that its message says what happened.
 */
export const PORTAL_CODES: Readonly<Record<string, ErrorCode>> = {
	TASKS_BAD_TITLE: 'TASKS_BAD_TITLE',
	insufficient_scope: 'PORTAL_SCOPE_MISSING',
};

/** Codes whose request VibeCode refused before acting on it, so sending it again cannot run a trigger twice. */
export const REFUSED_UNRUN = new Set<string>(['RATE_LIMITED', 'QUEUE_TIMEOUT', 'BITRIX_UNAVAILABLE', 'SERVICE_UNAVAILABLE']);

/**
 * The trigger list asked with a personal key: VibeCode answers with a generic "access denied", which this
 * explains (the list needs an application context).
 */
const TRIGGER_LIST_NEEDS_APP =
	'The trigger list needs an OAuth application key: VibeCode lists only the triggers an application registered, and answers a personal key with "application context required"';

/**
 * The trigger list asked for with a personal key, from the Trigger field's From List mode: the editor shows a list's
 * message where the eye is, so the message itself names the field that fills this list for a personal key.
 */
export const TRIGGER_LIST_WITH_PERSONAL_KEY: ErrorText = {
	message: "A personal key cannot list triggers: add your codes to the credential's Trigger Codes",
	hint: "Switch Trigger to By Code and type the trigger code (for example payment_received), or list your codes in the credential's Trigger Codes field to pick them here, or use an OAuth Application credential (vibe_app_… plus session).",
};

/** A node that reads through VibeCode with no credential chosen (the Instant Trigger's is needed only to read). */
export const NO_CREDENTIAL: ErrorText = {
	message: 'No Bitrix24 VibeCode API credential is chosen on this node',
	hint: "Choose one in the node's credential field, or create one with your VibeCode key (the Instant Trigger needs one only with Read the Record on). Nothing was sent.",
};

/** The same, from the Get Many operation, which has no Trigger field. */
export const TRIGGER_LIST_FOR_GET_MANY: ErrorText = {
	message: TRIGGER_LIST_NEEDS_APP,
	hint: 'Get Many works only with an OAuth Application credential (vibe_app_… plus session). With a personal key, type codes into Fire\'s Trigger field By Code, or list them in the credential\'s Trigger Codes field so Fire checks them.',
};

/** The scope tasks need, named as the pages name it: 'task' (the scopes and task chat pages) and 'tasks' (the entity pages). */
export const TASK_SCOPE: ErrorText = {
	message: "The key lacks the 'task' scope",
	hint: "Re-issue the key with the 'task' and 'tasks' scopes ticked (VibeCode's pages name both; scopes are fixed when a key is created) and paste it into the credential.",
};

/**
 * SCOPE_DENIED for a record type whose scope is not 'crm', which the table's text names: the Task resource's ('task'
 * and 'tasks'), or an Other Entity path (`type.other`), whose scope VibeCode's message names (tasks: 'task' and
 * 'tasks', as the scopes page lists them). Nothing for a CRM type, whose table text is right.
 */
export function scopeTexts(type: { other?: true; name: string; path?: string }): Partial<Record<string, ErrorText>> {
	if (!type.other && type.path === 'tasks') return { SCOPE_DENIED: TASK_SCOPE, SCOPE_NOT_ALLOWED: TASK_SCOPE };
	if (!type.other) return {};
	return {
		SCOPE_DENIED: {
			message: `The key lacks the scope ${type.name.toLowerCase()} records need`,
			hint: "Re-issue the key with the scope VibeCode names below ticked (for tasks, both 'task' and 'tasks'; scopes are fixed when a key is created) and paste it into the credential.",
		},
	};
}
