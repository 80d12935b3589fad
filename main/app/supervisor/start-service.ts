/**
 * Reaches the tunnel service the way the ServiceCommand says: spawn a child for 'direct',
 * 'pkexec' and 'custom', connect to the daemon's socket for 'socket'. Either way the caller gets
 * a ServiceConnection that has answered hello with our RPC version, or an Error saying why not.
 */
import type { ServiceConnection, ServiceStartOptions } from './service-connection';
import type { ServiceCommand } from './launch';
import { ServiceProcess } from './service-process';
import { ServiceSocket } from './service-socket';

export function startService(command: ServiceCommand, options: ServiceStartOptions): Promise<ServiceConnection> {
  if (command.mode === 'socket') return ServiceSocket.start(command, options);
  return ServiceProcess.start(command, options);
}
