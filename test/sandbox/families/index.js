/**
 * The sandbox's families beyond its own (auth.js, triggers.js, users.js, otherEntities.js and crm/, which `server.js`
 * wires itself, in the order its routes need): one file each, listed here. A family is `(context) => family`, where
 * `context` is what `server.js` shares (see `familyContext` there) and `family` may have:
 * - `name`: its name under `GET /__sandbox/store/{name}` (what it stores, for tests that run the sandbox elsewhere);
 * - `reset()`: back to its seed, on every sandbox reset;
 * - `scopes(path)`: the scopes a path of the family needs (any one of them), or undefined for a path not its own;
 * - `entities(scopes)`: the entity paths a key with these scopes may use, for `GET /v1/me`;
 * - `route(req, path, url, raw, caller)`: `[status, body]` for a request of the family, undefined for another's;
 * - `store()`: what it stores, as plain data;
 * - `records()`: its records, as stored, for `sandbox.othersOf(name)` (the Other Entity tests read tasks so);
 * - `options`: `{ name: { values } }`, sandbox options of its own (read from `context.sandbox.config`), the first value
 *   the default: where VibeCode's pages disagree, the current page's reading first, the other kept as an option.
 */
module.exports = [require('./im'), require('./productRows'), require('./tasks'), require('./timeline')];
