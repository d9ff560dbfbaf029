// Compiled by test/package/types.test.ts against the published declarations: correct uses must
// compile, and each misuse below must be rejected (an unused @ts-expect-error fails the build).
import {
  type Agent,
  type AgentOptions,
  type ClientSessionHeader,
  type LogMessage,
  MethodSourceInfo,
  createAgent,
  install,
  logMessageSeverity,
} from 'loupe-agent';

const options: AgentOptions = {
  logServer: 'https://logs.example.com',
  propagateTo: ['https://api.example.com', /\.example\.com$/],
  propagateOnError: false,
  debug: true,
};
const agent: Agent = install(options);
createAgent({ propagateTo: (url) => url.hostname.endsWith('.example.com') });

agent.information('Category', 'Caption', 'Description');
agent.error('Category', 'Caption', 'Description {0}', ['value'], new Error('x'), {
  any: 'details',
});
agent.warning(
  'Category',
  'Caption',
  'D',
  null,
  null,
  null,
  new MethodSourceInfo('a.js', 'save', 1, 2),
);
agent.write(logMessageSeverity.critical, 'Category', 'Caption', 'Description');
agent.write('verbose', 'Category', 'Caption');
agent.recordException(new Error('boom'), { extra: 1 }, 'Checkout');
agent.setSessionId('session');
agent.setLogServer('https://logs.example.com', true);
agent.corsOrigin(null);
agent.addHeader({ name: 'X-Key', value: 'v' });
agent.propagateOnError = true;
const header: ClientSessionHeader = agent.clientSessionHeader();
const name: 'loupe-agent-sessionId' = header.headerName;
const done: Promise<void> = agent.flush();
const patches: string[] = agent.diagnostics().patches;
agent.uninstall();
const severity: LogMessage['severity'] = 16;

// @ts-expect-error severity must be a Loupe severity number or name
agent.write(3, 'Category', 'Caption');
// @ts-expect-error the category is required
agent.information();
// @ts-expect-error headers are {name, value}
agent.addHeader({ header: 'X' });
// @ts-expect-error unknown option
createAgent({ logserver: 'typo' });
// @ts-expect-error propagateOnError is a boolean
createAgent({ propagateOnError: 'no' });
// @ts-expect-error clientSessionHeader returns the fixed header name
const wrongName: 'LoupeSessionId' = agent.clientSessionHeader().headerName;
// @ts-expect-error flush returns a promise, not a boolean
const flushed: boolean = agent.flush();

export { done, flushed, name, patches, severity, wrongName };
