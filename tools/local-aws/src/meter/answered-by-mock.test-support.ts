/**
 * aws-sdk-client-mock stubs a client's `send()`, so a mocked client never runs its middleware stack and a meter
 * attached to it would see nothing. Here the metered client stays real: its whole stack runs (the document
 * client's marshalling, the meter, serialisation, signing), and only where the HTTP request would leave does a
 * terminal middleware rebuild the command and ask a twin client, mocked with aws-sdk-client-mock, for the answer.
 * Tests configure and inspect the twin's mock as usual (`mock.on(PutItemCommand).resolves(...)`,
 * `toHaveReceivedCommandWith`).
 */

type Input = Readonly<Record<string, unknown>>;
type CommandClass = new (input: Input) => unknown;
interface Twin { send(command: never): Promise<unknown> }
interface Stack {
  add(middleware: unknown, options: object): void;
  addRelativeTo(middleware: unknown, options: object): void;
}

/**
 * Answers `client`'s calls with `twin`'s. `commands` is the client package's exports (`import * as commands from
 * '@aws-sdk/client-dynamodb'`), where the command named in the call is found. A client used through a DynamoDB
 * document client passes `documentClient: true`, so the answer is still unmarshalled on its way back.
 */
export function answeredByMock(
  client: { readonly middlewareStack: unknown }, twin: Twin, commands: Readonly<Record<string, unknown>>, { documentClient = false } = {},
): void {
  const terminal = () => (_next: unknown, context: { commandName?: string }) => async (args: { input: Input }) => {
    const Command = commands[context.commandName ?? ''] as CommandClass | undefined;
    if (typeof Command !== 'function') throw new Error(`answeredByMock: no command class ${context.commandName}`);
    const output = await twin.send(new Command(args.input) as never);
    return { output: { $metadata: {}, ...(output as object | undefined) }, response: {} };
  };
  const stack = client.middlewareStack as Stack;
  // The document client unmarshals in a middleware placed just before the deserializer: answer inside it.
  if (documentClient) stack.addRelativeTo(terminal(), { relation: 'after', toMiddleware: 'DocumentUnmarshall', name: 'answeredByMock' });
  else stack.add(terminal(), { step: 'deserialize', priority: 'high', name: 'answeredByMock' });
}
