// Process measurements: wall time and peak RSS of a command, VmHWM/VmRSS of a live process.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

const TIME = '/usr/bin/time';
export const haveGnuTime = existsSync(TIME) && spawnSync(TIME, ['-v', 'true']).status === 0;

/** Kilobytes of a field (VmHWM, VmRSS) of /proc/PID/status, or undefined. */
export function procStatusKb(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Run a command to completion: wall milliseconds (measured here), peak RSS in MB (GNU time's
 * maximum resident set size, else sampled VmHWM) and, with GNU time, CPU milliseconds (user +
 * system, 10 ms steps).
 */
export function measureCommand(cmd, args, { cwd, env, stdoutFile } = {}) {
  return new Promise((resolve, reject) => {
    const useTime = haveGnuTime;
    const out = stdoutFile ? openSync(stdoutFile, 'w') : 'ignore';
    const start = process.hrtime.bigint();
    const child = spawn(useTime ? TIME : cmd, useTime ? ['-v', cmd, ...args] : args, { cwd, env: env ?? process.env, stdio: ['ignore', out, 'pipe'] });
    if (typeof out === 'number') closeSync(out);
    let stderr = '';
    let hwm = 0;
    const timer = useTime ? undefined : setInterval(() => { hwm = Math.max(hwm, procStatusKb(child.pid, 'VmHWM') ?? 0); }, 5);
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      if (timer) clearInterval(timer);
      let rssKb = hwm;
      let cpuMs;
      if (useTime) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        rssKb = m ? Number(m[1]) : 0;
        const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
        const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
        if (user && system) cpuMs = (Number(user[1]) + Number(system[1])) * 1000;
      }
      resolve({ code, wallMs, cpuMs, rssMb: rssKb / 1024, stderr: useTime ? stderr.split('\n\tCommand being timed')[0] : stderr });
    });
  });
}

export const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
export const now = () => process.hrtime.bigint();

/** CPU time (user + system) of this process since `start` (a `process.cpuUsage()`), in ms. */
export const cpuMs = (start) => { const d = process.cpuUsage(start); return (d.user + d.system) / 1000; };

/**
 * `runs` alternating passes of a baseline and a subject, each timed in wall and CPU time
 * (CPU time, which other load on the machine skews far less, is what ratios are taken on).
 */
export function alternate(runs, baseline, subject) {
  const out = { baselineMs: [], baselineCpu: [], subjectMs: [], subjectCpu: [] };
  for (let i = 0; i < runs; i++) {
    let c = process.cpuUsage();
    let t = now(); baseline(); out.baselineMs.push(ms(t)); out.baselineCpu.push(cpuMs(c));
    c = process.cpuUsage();
    t = now(); subject(); out.subjectMs.push(ms(t)); out.subjectCpu.push(cpuMs(c));
  }
  return out;
}
