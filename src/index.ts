export { createAgent, install } from './agent';
export { MethodSourceInfo } from './message/methodSourceInfo';
export { logMessageSeverity } from './severity';
export type {
  Agent,
  AgentOptions,
  ClientSessionHeader,
  Diagnostics,
  Header,
  LogException,
  LogMessage,
  LogMessageSeverityMap,
  LogMethod,
  MethodSourceInfoConstructor,
  MessageContext,
  MethodSourceInfoShape,
  OutgoingMessage,
  PropagateTo,
  PropagationTarget,
  Severity,
  TextPattern,
} from './types';
