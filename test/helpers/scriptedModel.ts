/**
 * Types for the local OpenAI-compatible model (test/sandbox/model.js, plain JavaScript so that `npm start` runs it
 * for the AI agent demo).
 */
export interface OfferedTool {
	name: string;
	description: string;
	parameters: { type: string; properties: Record<string, { type?: string; description?: string }>; required?: string[] };
}

export interface ToolResult {
	name: string;
	output: string;
}

export interface ModelRequest {
	api: 'chat' | 'responses';
	userText: string;
	tools: OfferedTool[];
	results: ToolResult[];
}

/** The next step for a conversation: call a tool (by its name as offered) with arguments, or answer. */
export type Step = { tool: string; args: Record<string, unknown> } | { answer: string };
export type Script = (request: ModelRequest) => Step;

export interface ScriptedModel {
	requests: ModelRequest[];
	/** Calls the model did not expect (another path, streaming): a test fails on them. */
	unexpected: string[];
	readonly url: string;
	start(port?: number): Promise<void>;
	stop(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const model = require('../sandbox/model') as { createScriptedModel(script: Script): ScriptedModel; demoScript: Script };

export const createScriptedModel = model.createScriptedModel;
export const demoScript = model.demoScript;
