import { arch, availableParallelism, cpus, release, totalmem, type } from 'node:os';
import type { MachineInfo } from './benchmark-report';

/** CPU model, cores, memory, Node and OS: what a reader needs to compare figures, nothing that identifies the host. */
export function machineInfo(): MachineInfo {
  return {
    cpu: cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${type()} ${release()} ${arch()}`,
  };
}
