/**
 * The local model `npm start` runs for the AI agent demo (test/sandbox/model.js, `demoScript`): over real HTTP as
 * n8n's OpenAI Chat Model calls it (Chat Completions and the Responses API), it plays the demo's conversation: the
 * contact by e-mail, the deal by order number, a timeline comment on that deal, then the answer with the stage in
 * words; a tool's failure is answered with its error; without an e-mail and an order number it asks for them.
 */
import { createScriptedModel, demoScript } from '../../helpers/scriptedModel';

const model = createScriptedModel(demoScript);
beforeAll(() => model.start());
afterAll(() => model.stop());

const TOOLS = ['Find_contact_by_e-mail', 'Find_deal_by_order_number', 'Add_a_comment_to_the_deal'].map((name) => ({ type: 'function', function: { name, description: name, parameters: { type: 'object', properties: {} } } }));
const USER = { role: 'user', content: 'Hi, I am ivan.petrov@acme.example, where is my order ord-1001?' };

/** One Chat Completions turn: the conversation so far, each tool call answered with the output given. */
async function chat(outputs: string[]) {
	const messages: unknown[] = [USER];
	outputs.forEach((output, index) => {
		messages.push({ role: 'assistant', content: null, tool_calls: [{ id: `c${index}`, type: 'function', function: { name: TOOLS[index].function.name, arguments: '{}' } }] });
		messages.push({ role: 'tool', tool_call_id: `c${index}`, content: output });
	});
	const response = await fetch(`${model.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1-mini', messages, tools: TOOLS }) });
	return ((await response.json()) as { choices: Array<{ message: { content: string | null; tool_calls?: Array<{ function: { name: string; arguments: string } }> } }> }).choices[0].message;
}
const call = (message: { tool_calls?: Array<{ function: { name: string; arguments: string } }> }) => [message.tool_calls![0].function.name, JSON.parse(message.tool_calls![0].function.arguments)];

test('the demo conversation: contact, deal, a comment on that deal, then the stage in words', async () => {
	expect(call(await chat([]))).toEqual(['Find_contact_by_e-mail', { email: 'ivan.petrov@acme.example' }]);
	const contact = JSON.stringify([{ id: 201, name: 'Ivan' }]);
	expect(call(await chat([contact]))).toEqual(['Find_deal_by_order_number', { orderNumber: 'ORD-1001' }]);
	const deal = JSON.stringify([{ id: 5141, stageId: 'PREPARATION', title: 'Website redesign' }]);
	const [tool, args] = call(await chat([contact, deal]));
	expect([tool, args.dealId]).toEqual(['Add_a_comment_to_the_deal', 5141]);
	expect(args.comment).toMatch(/ivan\.petrov@acme\.example asked where order ORD-1001 is; answered: being packed/);
	const answer = await chat([contact, deal, JSON.stringify([{ id: 9, comment: args.comment }])]);
	expect(answer.content).toBe('Your order ORD-1001 is being packed. I noted your question on the order.');
});

test("a tool's failure is answered with its error; no contact, no order, or no e-mail are said plainly", async () => {
	const failure = JSON.stringify([{ success: false, error: 'The CRM has no deal 1 [ENTITY_NOT_FOUND]', hint: 'Check the ID' }]);
	expect((await chat([failure])).content).toBe('Sorry, I could not look that up: The CRM has no deal 1 [ENTITY_NOT_FOUND] (Check the ID)');
	expect((await chat([JSON.stringify({ results: 0 })])).content).toBe('I found no customer with the e-mail ivan.petrov@acme.example.');
	expect((await chat([JSON.stringify([{ id: 201 }]), JSON.stringify({ results: 0 })])).content).toBe('I found no order ORD-1001.');
	const response = await fetch(`${model.url}/responses`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ model: 'gpt-4.1-mini', input: [{ role: 'user', content: 'where is my order?' }], tools: [] }),
	});
	expect(((await response.json()) as { output: Array<{ content: Array<{ text: string }> }> }).output[0].content[0].text).toMatch(/^Please tell me the e-mail address/);
});
