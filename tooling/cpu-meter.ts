import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process CPU time in clock ticks; 100 per second on every common kernel build. */
const ticksPerSecond = 100;

/** CPU time (user + system) a process has used so far, from /proc; undefined where there is no /proc. */
export function readProcessCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

function readMachineBusySeconds(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, ...values] = line.trim().split(/\s+/).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = values;
    return (user + nice + system + irq + softirq + steal) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** The pid of a running process whose command line contains every given argument (Linux only). */
export function findProcessByArgs(args: string[]): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
        if (args.every((arg) => cmdline.includes(arg))) return Number(entry);
      } catch {}
    }
  } catch {}
  return undefined;
}

export interface CpuReading {
  process: string;
  cores: number;
}

/**
 * Starts measuring CPU use of the runner itself, the given processes and the whole machine (which shows
 * how busy other work on it was); `stop()` returns average cores used per process over the interval.
 */
export function startCpuMeter(processes: { name: string; pid: number | undefined }[]) {
  const started = performance.now();
  const self = process.cpuUsage();
  const before = processes.map((p) => (p.pid === undefined ? undefined : readProcessCpuSeconds(p.pid)));
  const machineBefore = readMachineBusySeconds();
  return {
    stop(): CpuReading[] {
      const seconds = (performance.now() - started) / 1000;
      const readings: CpuReading[] = [];
      const selfUsage = process.cpuUsage(self);
      const selfCores = (selfUsage.user + selfUsage.system) / 1e6 / seconds;
      readings.push({ process: 'load generator (this runner)', cores: selfCores });
      let ours = selfCores;
      processes.forEach((p, i) => {
        const after = p.pid === undefined ? undefined : readProcessCpuSeconds(p.pid);
        const start = before[i];
        if (after === undefined || start === undefined) return;
        const cores = (after - start) / seconds;
        ours += cores;
        readings.push({ process: p.name, cores });
      });
      const machineAfter = readMachineBusySeconds();
      if (machineBefore !== undefined && machineAfter !== undefined) {
        const machine = (machineAfter - machineBefore) / seconds;
        readings.push({ process: 'everything else on the machine', cores: Math.max(0, machine - ours) });
      }
      return readings;
    },
  };
}
