/** Everything that turns a failure into what the user sees (see ARCHITECTURE.md). */
export { ApiFailure, answerFailure, networkFailure } from './apiFailure';
export { errorItem, runsAsTool, type ErrorItemPlace } from './errorItem';
export { InputError } from './inputError';
export { nodeError, type ErrorPlace, type NodeFailure } from './nodeError';
export { quote } from './quote';
export { scrub } from './scrub';
export { nearestCodes, unknownTriggerError } from './unknownTrigger';
export {
	ERROR_TABLE,
	NO_CREDENTIAL,
	PORTAL_CODES,
	REFUSED_UNRUN,
	SESSION_CODES,
	STATUS_FALLBACK,
	TASK_SCOPE,
	TRIGGER_LIST_FOR_GET_MANY,
	TRIGGER_LIST_WITH_PERSONAL_KEY,
	errorText,
	scopeTexts,
	signInHint,
	withSignInLink,
	type ErrorCode,
	type ErrorText,
} from './table';
