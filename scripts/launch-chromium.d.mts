import type { Browser, LaunchOptions } from 'playwright-core';

export function launchChromium(extraArgs?: string[], options?: LaunchOptions): Promise<Browser>;
