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
  MethodSourceInfoShape,
  PropagateTo,
  PropagationTarget,
  Severity,
} from './types';
