/**
 * Whether n8n is stopping, seen from the call itself. On SIGTERM n8n first closes its HTTP server (its shutdown
 * handlers, 1.x and 2.x: `AbstractServer.onShutdown`), then waits for the executions it has started, then exits.
 * A call whose record read ends after that wait may be answered and its execution created in the moment before the
 * exit: n8n 1.123.81 did so in CI, and the execution was left "crashed" with the event answered `accepted`, lost
 * for good. Once the server no longer listens, the node answers 503 instead and starts nothing: Bitrix24 sends the
 * call again, and n8n, started again, runs it (docs/instant-trigger.md, "What 'accepted' guarantees").
 */

/** The part of the request's socket read here: Node's net.Server sets `server` on every socket it accepts. */
interface AcceptedSocket {
	server?: { listening: boolean } | null;
}

/** True once the server that took this call has stopped listening (`server.close()` ends that at once). */
export function serverStopping(socket: unknown): boolean {
	const server = (socket as AcceptedSocket | undefined)?.server;
	return server !== undefined && server !== null && server.listening === false;
}
