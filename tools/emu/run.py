#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Boot one emulator test suite and print its verdict.

usage: run.py --emulator bochs|qemu --suite NAME --kernel BZIMAGE
              --initrd CPIO [--cpu-model MODEL] [--cpus N] [--timeout S]
              [--memory MB] [--append ARGS] [--prefix P] [--out DIR]

The guest (tests/emu/init + lib.sh) reports over the serial port:
    MVTEST: PASS <name> | MVTEST: FAIL <name>: <reason> | MVTEST: INFO <text>
    MVTEST: SHOW <text>   a fact echoed into the verdict, indented
    MVTEST: DONE <suite>   the suite ran to its end
    DMESG: <line>          the whole kernel log, after the suite
    MVTEST: END            all printed; the guest powers off
This prints one line per test, "PASS <prefix>/<name>" or
"FAIL <prefix>/<name>: <reason>" (prefix: <emulator>-<suite>), then two
harness checks, <prefix>/suite-completed and <prefix>/kernel-log-clean,
context for any failure, and "N passed, M failed". Exit status 0 only if
nothing failed. Verdicts come from the serial log only: Bochs exits 1 even
after a clean poweroff.

Artefacts in --out: serial.log (wall-clock timestamped), serial.raw,
bochs.log, bochsrc.txt, emulator.out, summary.txt (this output).
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# From tools/emu's measurements: quiet because each console line costs
# ~10 ms of emulated serial; panics and oopses must end the run at once
# (panic=-1 reboots, reboot=t triple-faults, which stops Bochs/QEMU);
# one UART so the kernel does not probe absent ones; a big log buffer so
# the DMESG dump and lib.sh's dmesg_mark never lose lines to wrap-around;
# no crypto self-tests at boot (~7 s of a Bochs boot, measured with
# initcall_debug; they test nothing minivmm uses).
BASE_CMDLINE = ("console=ttyS0,115200 quiet mitigations=off nokaslr panic=-1 "
                "oops=panic reboot=t 8250.nr_uarts=1 log_buf_len=4M "
                "cryptomgr.notests")

DEFAULTS = {  # emulator: (cpu model, timeout in s for one CPU)
    "bochs": ("corei7_haswell_4770", 400),
    "qemu": ("max", 120),
}

# Kernel log lines that fail kernel-log-clean, and known noise to ignore.
SPLAT = re.compile(r"Oops|BUG:|WARNING:|general protection fault|Call Trace|"
                   r"Kernel panic|lockdep|possible circular locking|"
                   r"INFO: task .* blocked")
HARMLESS = re.compile(r"loading out-of-tree module taints kernel|"
                      r"module verification failed")
BOCHS_INTEREST = re.compile(r">>PANIC<<|VMFAIL|VMENTER|VMEXIT|vmx", re.I)
BOCHS_NOISE = re.compile(r"temporary disable VMX while in SMM mode|"
                         r"ACPI control: soft power off|"  # guest poweroff
                         r"\]\s+vmx$")    # the CPU feature list at start
ARTEFACTS = ("serial.raw", "serial.log", "bochs.log", "bochsrc.txt",
             "bochs-dbg.rc", "boot.iso", "cmdline", "emulator.out",
             "summary.txt")
KTIME = re.compile(r"\[\s*\d+\.\d+\] ")
MVTEST = re.compile(r"MVTEST: (PASS|FAIL|INFO|SHOW|DONE|END)\b ?(.*)")


def parse_args():
    ap = argparse.ArgumentParser(
        description="Boot one emulator test suite and print its verdict.")
    ap.add_argument("--emulator", choices=sorted(DEFAULTS), required=True)
    ap.add_argument("--suite", required=True,
                    help="runs /tests/suite-NAME.sh (mvsuite=NAME)")
    ap.add_argument("--kernel", required=True, help="bzImage to boot")
    ap.add_argument("--initrd", required=True, help="initramfs (cpio)")
    ap.add_argument("--cpu-model", default=None,
                    help="Bochs cpu model (default corei7_haswell_4770); "
                    "QEMU -cpu (default max)")
    ap.add_argument("--cpus", type=int, default=1)
    ap.add_argument("--memory", type=int, default=512, help="guest MiB")
    ap.add_argument("--timeout", type=float, default=None,
                    help="wall seconds (default: bochs 400, qemu 120, "
                    "times the CPU count)")
    ap.add_argument("--append", default="",
                    help="extra kernel command line (suite parameters)")
    ap.add_argument("--prefix", default=None,
                    help="test name prefix (default EMULATOR-SUITE)")
    ap.add_argument("--out", default=None,
                    help="artefact directory (default build/emu/runs/PREFIX)")
    ap.add_argument("--keep-iso", action="store_true",
                    help="keep the Bochs boot ISO in --out (80 MB)")
    a = ap.parse_args()
    model, timeout = DEFAULTS[a.emulator]
    a.cpu_model = a.cpu_model or model
    a.timeout = a.timeout or timeout * a.cpus
    a.prefix = a.prefix or "%s-%s" % (a.emulator, a.suite)
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", a.suite):
        ap.error("bad suite name %r" % a.suite)
    if a.out is None:
        a.out = os.path.join(HERE, "..", "..", "build", "emu", "runs",
                             a.prefix)
    a.out = os.path.abspath(a.out)
    for f in (a.kernel, a.initrd):
        if not os.path.isfile(f):
            ap.error("no such file: %s" % f)
    a.kernel, a.initrd = os.path.abspath(a.kernel), os.path.abspath(a.initrd)
    return a


class Run:
    """One emulator process and its serial log, followed while it runs."""

    def __init__(self, a):
        self.a = a
        self.out = a.out
        self.raw = os.path.join(self.out, "serial.raw")
        self.lines = []           # (wall seconds, text)
        self.partial = b""
        self.pos = 0
        self.t0 = None
        self.proc = None
        self.stop_reason = None   # why the harness ended the run, if it did
        self.end_seen = False
        self.panic_at = None
        self.banners = 0
        self.iso = None

    def cmdline(self):
        extra = " " + self.a.append if self.a.append else ""
        return "%s mvsuite=%s mvemu=%s mvcpus=%d%s" % (
            BASE_CMDLINE, self.a.suite, self.a.emulator, self.a.cpus, extra)

    def bochs_cmd(self):
        iso = os.path.join(self.out, "boot.iso")
        self.iso = iso
        subprocess.run([os.path.join(HERE, "mkiso.sh"), iso, self.a.kernel,
                        self.a.initrd, self.cmdline()], check=True)
        for p in (iso, self.raw):
            # bochsrc values are not quoted: a space would split them.
            if re.search(r"\s", p):
                sys.exit("run.py: Bochs cannot take paths with spaces: " + p)
        rc = os.path.join(self.out, "bochsrc.txt")
        with open(rc, "w") as f:
            f.write(f"""\
# Generated by tools/emu/run.py: headless Bochs with VT-x.
megs: {self.a.memory}
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
# ips=100M measured fastest; crashes must stop Bochs, not reset it.
cpu: model={self.a.cpu_model}, count={self.a.cpus}, ips=100000000, \
reset_on_triple_fault=0, ignore_bad_msrs=1
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=cdrom, path={iso}, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev={self.raw}
# Debian's Bochs has no nogui: rfb without waiting for a viewer.
display_library: rfb, options="timeout=0"
clock: sync=none, time0=local
mouse: enabled=0
private_colormap: enabled=0
# Bochs' default ALSA sound driver aborts ("buffer overflow detected") on
# machines without a sound card, even with the speaker off.
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
speaker: enabled=0
log: {os.path.join(self.out, "bochs.log")}
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
""")
        # Debian's bochs-bin has the internal debugger built in: without
        # -rc it stops at its prompt. "c" runs, "quit" ends when it stops.
        dbg = os.path.join(self.out, "bochs-dbg.rc")
        with open(dbg, "w") as f:
            f.write("c\nquit\n")
        return ["bochs-bin", "-q", "-f", rc, "-rc", dbg]

    def qemu_cmd(self):
        return ["qemu-system-x86_64", "-accel", "tcg", "-cpu", self.a.cpu_model,
                "-m", str(self.a.memory), "-smp", str(self.a.cpus),
                "-kernel", self.a.kernel, "-initrd", self.a.initrd,
                "-append", self.cmdline(), "-no-reboot", "-nodefaults",
                "-display", "none", "-monitor", "none",
                "-serial", "file:" + self.raw]

    def start(self):
        os.makedirs(self.out, exist_ok=True)
        # Only our own artefacts: --out may be a directory with other files.
        for f in ARTEFACTS:
            try:
                os.unlink(os.path.join(self.out, f))
            except FileNotFoundError:
                pass
        open(self.raw, "wb").close()
        cmd = self.bochs_cmd() if self.a.emulator == "bochs" else self.qemu_cmd()
        with open(os.path.join(self.out, "cmdline"), "w") as f:
            f.write(self.cmdline() + "\n")
        self.t0 = time.monotonic()
        # Own session/process group: the emulator and anything it spawns
        # can be killed together, and it never sees the terminal.
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL,
            stdout=open(os.path.join(self.out, "emulator.out"), "w"),
            stderr=subprocess.STDOUT, start_new_session=True)

    def elapsed(self):
        return time.monotonic() - self.t0

    def pump(self, final=False):
        """Read new serial output; timestamp and act on complete lines."""
        with open(self.raw, "rb") as f:
            f.seek(self.pos)
            data = f.read()
        self.pos += len(data)
        self.partial += data
        *complete, self.partial = self.partial.split(b"\n")
        if final and self.partial:
            complete.append(self.partial)
            self.partial = b""
        for raw in complete:
            text = raw.decode("utf-8", "replace").replace("\r", "")
            self.on_line(self.elapsed(), text)

    def on_line(self, t, text):
        self.lines.append((t, text))
        self.ts.write("%8.2f %s\n" % (t, text))
        self.ts.flush()
        if "ISOLINUX" in text:
            self.banners += 1
            if self.banners > 1 and not self.stop_reason:
                self.stop_reason = "guest rebooted (second ISOLINUX banner)"
        if "Kernel panic - not syncing" in text and self.panic_at is None:
            self.panic_at = t
        m = MVTEST.search(text)
        if m and m.group(1) == "END" and not text.startswith("DMESG: "):
            self.end_seen = True

    def kill(self):
        """SIGTERM first so Bochs can flush its log, then SIGKILL."""
        if self.proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 3), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(wait)
                return
            except subprocess.TimeoutExpired:
                pass

    def follow(self):
        self.ts = open(os.path.join(self.out, "serial.log"), "w")
        try:
            while True:
                self.pump()
                if self.end_seen:
                    # All results are in; no need to watch it power off.
                    self.stop_reason = "END"
                    break
                if self.proc.poll() is not None:
                    break
                if self.stop_reason:
                    break
                if self.panic_at is not None and \
                        self.elapsed() > self.panic_at + 10:
                    # panic=-1 should have stopped the machine by now.
                    self.stop_reason = "kernel panic"
                    break
                if self.elapsed() > self.a.timeout:
                    self.stop_reason = "timeout after %d s" % self.a.timeout
                    break
                time.sleep(0.1)
        finally:
            self.kill()
            self.wall = self.elapsed()
            self.pump(final=True)
            self.ts.close()
            if self.iso and not self.a.keep_iso:
                os.unlink(self.iso)


def verdict(run):
    """Build the result lines (and the exit status) from the serial log."""
    a = run.a
    pre = a.prefix
    # serial: everything but the DMESG dump
    tests, infos, dmesg, serial = [], [], [], []
    done = None
    for _, text in run.lines:
        if text.startswith("DMESG: "):
            dmesg.append(text[len("DMESG: "):])
            continue
        serial.append(text)
        m = MVTEST.search(text)
        if not m:
            continue
        kind, rest = m.groups()
        if kind == "PASS":
            tests.append(("PASS", rest.strip() or "?", ""))
        elif kind == "FAIL":
            name, _, reason = rest.partition(": ")
            tests.append(("FAIL", name.strip() or "?", reason.strip()))
        elif kind == "INFO":
            infos.append(rest)
        elif kind == "SHOW":
            tests.append(("SHOW", rest.rstrip(), ""))
        elif kind == "DONE":
            done = rest.strip()

    out = []
    for status, name, reason in tests:
        if status == "SHOW":    # a fact the suite wants in the verdict
            out.append("  %s: %s" % (pre, name))
            continue
        out.append("%s %s/%s%s" % (status, pre, name,
                                   ": " + reason if status == "FAIL" else ""))

    # suite-completed: DONE seen, for this suite, with results.
    rc_line = proc_status(run)
    if done is None:
        why = run.stop_reason if run.stop_reason not in (None, "END") else None
        if why is None:
            why = early_exit_reason(run, serial, rc_line)
        if why.startswith("timeout"):
            why += "; to see kernel messages live, append mvprintk=8"
        out.append("FAIL %s/suite-completed: no 'MVTEST: DONE' (%s)" % (pre, why))
    elif done != a.suite:
        out.append("FAIL %s/suite-completed: DONE for suite %r, expected %r"
                   % (pre, done, a.suite))
    elif not any(status != "SHOW" for status, _, _ in tests):
        out.append("FAIL %s/suite-completed: suite reported no results" % pre)
    else:
        out.append("PASS %s/suite-completed" % pre)

    # kernel-log-clean: no splat live on the console or in the dump.
    splats = [k for k in map(kernel_text, serial) if is_splat(k)] + \
        [l for l in dmesg if is_splat(l)]
    if splats:
        out.append("FAIL %s/kernel-log-clean: %s" % (pre, splats[0].strip()))
    elif not run.end_seen:
        out.append("FAIL %s/kernel-log-clean: kernel log not dumped "
                   "(no 'MVTEST: END')" % pre)
    else:
        out.append("PASS %s/kernel-log-clean" % pre)

    failed = sum(1 for l in out if l.startswith("FAIL "))
    passed = sum(1 for l in out if l.startswith("PASS "))
    failed_names = {n for s, n, _ in tests if s == "FAIL"}
    ctx = context(run, serial, dmesg, infos, failed_names) if failed else []
    timing = "%s: %s, %s, %d CPU(s): wall %.1f s%s, artefacts in %s" % (
        pre, a.emulator, a.cpu_model, a.cpus, run.wall,
        userspace_time(run), shortpath(run.out))
    return out, ctx, timing, passed, failed


def shortpath(path):
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def kernel_text(line):
    """The kernel's part of a serial line: from its timestamp on (a live
    oops can start in the middle of a user line), nothing for a pure
    MVTEST line, the whole line otherwise."""
    m = KTIME.search(line)
    if m:
        return line[m.start():]
    return None if "MVTEST:" in line else line


def is_splat(text):
    return bool(text) and bool(SPLAT.search(text)) and \
        not HARMLESS.search(text)


def proc_status(run):
    rc = run.proc.returncode
    if rc is None or rc >= 0:
        return "exit status %s" % rc
    if run.stop_reason:
        return "killed by the harness"
    return "killed by signal %d" % -rc


def early_exit_reason(run, serial, rc_line):
    """Why the run ended without DONE although the harness did not stop it."""
    text = "\n".join(filter(None, map(kernel_text, serial)))
    if run.panic_at is not None:
        return "kernel panic"
    if "reboot: Restarting system" in text:
        return "guest rebooted"
    if "reboot: Power down" in text:
        return "guest powered off before the suite finished"
    if run.end_seen:
        return "suite did not run to its end"
    return "%s exited early, %s" % (run.a.emulator, rc_line)


def userspace_time(run):
    for t, text in run.lines:
        if "MVTEST:" in text:
            return " (first MVTEST line at %.1f s)" % t
    return ""


def context(run, serial, dmesg, infos, failed_names):
    """What to look at when something failed."""
    c = []

    def block(title, lines):
        if lines:
            c.append("---- %s" % title)
            c.extend("  | " + l for l in lines)

    # lib.sh prints a failed check's output as "INFO <name>| <line>".
    block("output of failed checks",
          [i for i in infos if i.partition("| ")[0] in failed_names][-60:])

    # Lines around each splat: a few before, the trace after.
    def around_splats(lines):
        keep = set()
        for i, l in enumerate(lines):
            if is_splat(kernel_text(l)):
                keep.update(range(max(0, i - 5), min(len(lines), i + 30)))
        return [lines[i] for i in sorted(keep)][:150]

    dmesg_splats = around_splats(dmesg)
    if dmesg_splats:
        block("DMESG around kernel splats", dmesg_splats)
    else:
        # No dump (crash, hang) or a clean one: the live console is all.
        block("serial output around kernel splats", around_splats(serial))
        block("last DMESG lines", dmesg[-15:])
    block("last serial lines (without the DMESG dump)", serial[-40:])

    if run.a.emulator == "bochs":
        path = os.path.join(run.out, "bochs.log")
        try:
            with open(path, errors="replace") as f:
                # (the run directory's name may contain "vmx" too)
                hits = [l.rstrip("\n") for l in f
                        if BOCHS_INTEREST.search(l.replace(run.out, ""))
                        and not BOCHS_NOISE.search(l)]
        except FileNotFoundError:
            hits = ["(no bochs.log)"]
        block("bochs.log lines about VMX/PANIC (last 30 of %d)" % len(hits),
              hits[-30:])
    if not run.end_seen:
        # Why the emulator itself stopped, if it did (e.g. Bochs' panic).
        try:
            with open(os.path.join(run.out, "emulator.out"),
                      errors="replace") as f:
                eo = [l.rstrip("\n") for l in f if l.strip()]
        except FileNotFoundError:
            eo = []
        block("emulator output (last 10 lines)", eo[-10:])
    return c


def main():
    a = parse_args()
    run = Run(a)
    # The harness owns the emulator: stop it on Ctrl-C/SIGTERM too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    run.start()
    try:
        run.follow()
    except KeyboardInterrupt:
        sys.exit(130)
    out, ctx, timing, passed, failed = verdict(run)
    lines = out + ctx + [timing, "%d passed, %d failed" % (passed, failed)]
    with open(os.path.join(a.out, "summary.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
