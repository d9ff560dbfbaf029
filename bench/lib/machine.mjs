// What the figures were measured on.
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

function cpuModel() {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1].trim();
  } catch {}
  return cpus()[0]?.model ?? 'unknown';
}

export function describeMachine(browser) {
  return {
    cpu: cpuModel(),
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${process.platform} ${release()}`,
    loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
    chromium: browser.version(),
    node: process.version,
  };
}
