/**
 * Loading this worktree's own native helper (native-helper/index.cjs, not whatever copy
 * node_modules links to) for the unit tests of its C++, and the skip-or-fail rule for when it
 * is not built: skip and say why, or fail under PPTP_REQUIRE_SYSTEM_TESTS=1 (as CI sets).
 */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as NativeHelper from 'pptp-native-helper';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const HELPER_DIR = join(REPO_ROOT, 'native-helper');
export const REQUIRED = process.env.PPTP_REQUIRE_SYSTEM_TESTS === '1';

export type NativeHelperModule = typeof NativeHelper;

/** The helper module, or why its addon cannot be used here. */
export function loadNativeHelper(): { helper: NativeHelperModule; blocker: null } | { helper: null; blocker: string } {
  const helper = createRequire(import.meta.url)(join(HELPER_DIR, 'index.cjs')) as NativeHelperModule;
  if (helper.utunFraming === null) {
    return { helper: null, blocker: `the native helper is not built (cd native-helper && npx node-gyp rebuild): ${String(helper.loadError)}` };
  }
  return { helper, blocker: null };
}

/** Logs the skip reason, or throws when PPTP_REQUIRE_SYSTEM_TESTS=1 demands the tests run. */
export function reportBlocker(suite: string, blocker: string | null): void {
  if (blocker === null) return;
  if (REQUIRED) throw new Error(`${suite}: required (PPTP_REQUIRE_SYSTEM_TESTS=1) but cannot run: ${blocker}`);
  console.warn(`[unit] ${suite} skipped: ${blocker}`);
}
