/**
 * A gate in front of `ip` for the service under test, so a fault can be placed exactly between
 * two steps of the network apply or restore. The service's mount namespace sees a small shell
 * script at /usr/sbin/ip (soak-service.ts bind-mounts it there) that logs its arguments and,
 * when an armed gate's pattern is part of them, stops before running the real `ip` (a copy in
 * the gate directory) until the soak opens the gate again.
 *
 * Owns: the gate directory (wrapper, real-ip copy, gate and arrival files). Must not: change what
 * `ip` does: the real binary runs with the same arguments once the gate opens.
 */
import { copyFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const WRAPPER = `#!/bin/sh
# soak ip gate: log, wait at an armed gate, then run the real ip.
D=@DIR@
echo "$*" >> "$D/calls.log"
for g in "$D"/gate-*; do
  [ -f "$g" ] || continue
  pat=$(cat "$g")
  case " $* " in
    *"$pat"*)
      : > "$D/arrived-\${g##*/gate-}"
      while [ -f "$g" ]; do sleep 0.02; done ;;
  esac
done
exec "$D/ip.real" "$@"
`;

export class IpGate {
  private seq = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    copyFileSync('/usr/sbin/ip', path.join(dir, 'ip.real'));
    chmodSync(path.join(dir, 'ip.real'), 0o755);
    writeFileSync(path.join(dir, 'ip'), WRAPPER.replace('@DIR@', dir), { mode: 0o755 });
  }

  /** Arms a gate: the next `ip` call whose arguments contain `pattern` waits until released. */
  arm(pattern: string): Gate {
    const name = `${++this.seq}`;
    const gateFile = path.join(this.dir, `gate-${name}`);
    const arrivedFile = path.join(this.dir, `arrived-${name}`);
    writeFileSync(gateFile, pattern);
    return {
      pattern,
      arrived: () => existsSync(arrivedFile),
      async waitArrived(timeoutMs: number): Promise<boolean> {
        const by = Date.now() + timeoutMs;
        while (!existsSync(arrivedFile)) {
          if (Date.now() > by) return false;
          await new Promise((r) => setTimeout(r, 20));
        }
        return true;
      },
      release: () => {
        rmSync(gateFile, { force: true });
        rmSync(arrivedFile, { force: true });
      },
    };
  }

  /** Every `ip` call the service made so far (one line each). */
  calls(): string[] {
    try {
      return readFileSync(path.join(this.dir, 'calls.log'), 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }

  releaseAll(): void {
    for (let i = 1; i <= this.seq; i++) rmSync(path.join(this.dir, `gate-${i}`), { force: true });
  }
}

export interface Gate {
  readonly pattern: string;
  arrived(): boolean;
  waitArrived(timeoutMs: number): Promise<boolean>;
  release(): void;
}
