/** scripts/start.js: what `npm start` prints of n8n's output. */
const { startLog } = require('../../scripts/start.js') as { startLog: (text: string) => string };

test("n8n's long Python task-runner warning becomes one short line; every other line passes unchanged", () => {
	const warning =
		'Failed to start Python task runner in internal mode. because Python 3 is missing from this system. Launching a Python runner in internal mode is intended only for debugging and is not recommended for production. Users are encouraged to deploy in external mode. See: https://docs.n8n.io/hosting/configuration/task-runners/#setting-up-external-mode\n';
	const other = 'Editor is now accessible via:\nhttp://localhost:5678\n';
	expect(startLog(`${other}${warning}`)).toBe(`${other}n8n: no python3 here, so Python Code nodes cannot run (the demo uses none; JavaScript Code nodes work).\n`);
	expect(startLog(other)).toBe(other);
});
