/** A CPU profile as Chrome's `Profiler.stop` returns it (the fields read here). */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string };
    children?: number[];
  }>;
  samples: number[];
  timeDeltas: number[];
}

export function startProfile(cdp: {
  send(method: string, params?: object): Promise<any>;
}): Promise<() => Promise<CpuProfile>>;

export function scriptTime(
  profile: CpuProfile,
  scriptPath: string,
): { scriptMs: number; sendMs: number; gcMs: number };
