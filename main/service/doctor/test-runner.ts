/**
 * The service's connection tests (the `test` RPC): one at a time, never while the service's
 * tunnel is up or connecting (the probe would compete with it for the server and the GRE
 * socket), and while a test runs the service refuses `connect` (guardConnect). Each test is a
 * runProbe (probe.ts): no TUN device, no routes, no DNS. The password, when the app sends one,
 * lives only in the probe's options for the test's duration.
 *
 * Must not: touch the tunnel driver beyond reading its state.
 */
import type { DoctorResult, DoctorStepRecord } from '../../../preload/schema/doctor';
import type { ServiceTunnelState } from '../../../preload/vocabulary';
import type { ConnectOptions } from '../connect-options';
import { RpcError } from '../rpc/server';
import { runProbe, type ProbeOptions } from './probe';

export interface TestRunnerOptions {
  readonly tunnelState: () => ServiceTunnelState;
  readonly privileged: boolean;
  readonly privilegeRequirement: string;
  /** Test seam: the probe. */
  readonly probe?: (o: ProbeOptions) => Promise<DoctorResult>;
}

export class TestRunner {
  private running = false;

  constructor(private readonly o: TestRunnerOptions) {}

  get busy(): boolean {
    return this.running;
  }

  async test(options: ConnectOptions, credentials: boolean, onStep: (step: DoctorStepRecord) => void): Promise<DoctorResult> {
    if (this.o.tunnelState() !== 'idle') throw new RpcError('busy', 'a tunnel is up or connecting: disconnect it before testing');
    if (this.running) throw new RpcError('busy', 'a connection test is already running');
    this.running = true;
    try {
      return await (this.o.probe ?? runProbe)({
        options,
        withCredentials: credentials,
        onStep,
        privileged: this.o.privileged,
        privilegeRequirement: this.o.privilegeRequirement,
      });
    } finally {
      this.running = false;
    }
  }

  /** Wraps the tunnel's connect: refused with 'busy' while a test runs. */
  guardConnect<A extends unknown[]>(connect: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
    return async (...args) => {
      if (this.running) throw new RpcError('busy', 'a connection test is running: wait for it to finish');
      return connect(...args);
    };
  }
}
