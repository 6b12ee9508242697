// Types for the sandbox (plain JavaScript so that `npm run sandbox` needs no build).
export interface Fire {
	entityType: string;
	entityId: number;
	triggerId: string;
	keyType: string;
	requestId: string;
	at: number;
}

export interface Fault {
	kind: 'error' | 'successFalse' | 'html' | 'empty' | 'badjson' | 'echo' | 'reset' | 'hang';
	path?: string;
	method?: string;
	times?: number;
	status?: number;
	code?: string;
	message?: string;
	hint?: string;
	retryAfter?: number;
	delayMs?: number;
	/** Apply the fault after the request was processed (a fire is journaled, then the answer is lost). */
	afterProcessing?: boolean;
}

export interface SandboxConfig {
	rateLimit: number;
	windowMs: number;
	latencyMs: number;
	checkEntityExists: boolean;
}

export interface Sandbox {
	url: string;
	keys: typeof KEYS;
	portal: string;
	journal: Fire[];
	requests: Array<{ method: string; path: string; status: number | string; at: number }>;
	faults: Fault[];
	config: SandboxConfig;
	start(port?: number, host?: string): Promise<Sandbox>;
	stop(): Promise<void>;
	reset(): Sandbox;
	configure(changes: Partial<SandboxConfig>): Sandbox;
	addFault(fault: Fault): Sandbox;
	createRecord(type: string, fields?: Record<string, unknown>, at?: Date): Record<string, unknown> & { id: number };
	/** Changes a record as PATCH /v1/{entity}/:id does; its update time becomes `at`. Undefined when there is none. */
	updateRecord(type: string, id: number | string, changes?: Record<string, unknown>, at?: Date): (Record<string, unknown> & { id: number }) | undefined;
	seedRecords(type: string, count: number, make?: (i: number) => Record<string, unknown>): void;
	setTriggers(list: Array<Record<string, unknown>>, app?: string): void;
	fires(): number;
}

export declare const KEYS: {
	personal: string;
	app: string;
	session: string;
	expiredSession: string;
	otherAppSession: string;
	noCrm: string;
	readonly: string;
	revoked: string;
	management: string;
	emptyApp: string;
	emptySession: string;
	expiringSoon: string;
};
export declare const PORTAL: string;
export declare const DEFAULT_TRIGGERS: Array<{ NAME: string; CODE: string }>;
export declare function createSandbox(options?: Partial<SandboxConfig>): Sandbox;
