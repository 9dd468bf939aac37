#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bochs: minivmm boots Debian's stock vmlinuz-6.1.0-56-amd64 (the
# compressed file from the package, unmodified) with a busybox initramfs
# (tests/emu/linux-guest/init): the guest prints a marker, uname -r, its
# CPU count and flags, sleeps a second and reboots. Then the same kernel
# with a shell, driven through a pseudo-terminal. Prints the boot time
# (minivmm start to marker) and the exits by reason.
. /tests/lib.sh

t_check insmod insmod /lib/modules/minivmm.ko
dmesg_mark

K=/guests/vmlinuz I=/guests/linux-initrd.cpio
# Generous: the guest decompresses its XZ kernel in emulated instructions.
LINUX_TIMEOUT=1500

# stamp: seconds since the epoch, with fractions (busybox date has no %N).
stamp() { cut -d' ' -f1 /proc/uptime; }

# Each output line stamped with the host's uptime as it arrives: the boot
# time is minivmm's start to the guest's marker.
t0=$(stamp)
{ minivmm run --stats --timeout $LINUX_TIMEOUT --mem 160M --kernel "$K" --initrd "$I" \
	</dev/null 2>/tmp/lerr; echo $? >/tmp/lrc; } |
	while IFS= read -r l; do echo "$(stamp) $l"; done | tr -d '\r' >/tmp/lout.stamped
rc=$(cat /tmp/lrc)
t1=$(stamp)
t_info "linux boot: rc=$rc after $(echo "$t1 $t0" | awk '{print $1 - $2}') s; stderr: $(tail -c 300 /tmp/lerr)"
cut -d' ' -f2- /tmp/lout.stamped >/tmp/lout.txt
# Never the words of a panic on L1's console: run.py would stop there.
sed -e 's/^/MVTEST: INFO guest| /' -e 's/Kernel panic/Kernel-panic/' /tmp/lout.txt | tail -n 40
tm=$(sed -n 's/^\([0-9.]*\) LINUXGUEST: up$/\1/p' /tmp/lout.stamped)
[ -n "$tm" ] && t_show "linux: boot time, minivmm start to /init marker: $(echo "$tm $t0" | awk '{print $1 - $2}') s of host (L1) time; to the end of the run: $(echo "$t1 $t0" | awk '{print $1 - $2}') s"
grep -q '^LINUXGUEST: up' /tmp/lout.txt && t_pass linux-boot-marker ||
	t_fail linux-boot-marker "no marker; last output: $(tail -c 300 /tmp/lout.txt)"
grep -q "^LINUXGUEST: uname $(uname -r)\$" /tmp/lout.txt && t_pass linux-uname ||
	t_fail linux-uname "$(grep 'LINUXGUEST: uname' /tmp/lout.txt)"
grep -q '^LINUXGUEST: cpus 1$' /tmp/lout.txt && t_pass linux-one-cpu ||
	t_fail linux-one-cpu "$(grep 'LINUXGUEST: cpus' /tmp/lout.txt)"
b=$(sed -n 's/^LINUXGUEST: irq0-before //p' /tmp/lout.txt)
a=$(sed -n 's/^LINUXGUEST: irq0-after //p' /tmp/lout.txt)
[ -n "$b" ] && [ -n "$a" ] && [ "$a" -gt "$b" ] && t_pass linux-timer-irq-grew ||
	t_fail linux-timer-irq-grew "IRQ 0 before '$b' after '$a'"
t_show "linux: IRQ 0 before sleep 1: $b, after: $a"
ub=$(sed -n 's/^LINUXGUEST: uptime-before //p' /tmp/lout.txt)
ua=$(sed -n 's/^LINUXGUEST: uptime-after //p' /tmp/lout.txt)
slept=$(echo "$ua $ub" | awk '{print $1 - $2}')
echo "$slept" | awk '{exit !($1 >= 0.9 && $1 <= 1.6)}' && t_pass linux-sleep-1s ||
	t_fail linux-sleep-1s "sleep 1 took '$slept' s of guest time"
t_show "linux: sleep 1 took $slept s of guest time"
[ "$rc" = 0 ] && grep -q '^minivmm: guest reset (the i8042 reset command' /tmp/lerr && t_pass linux-reboot-status-0 ||
	t_fail linux-reboot-status-0 "rc=$rc: $(tail -c 300 /tmp/lerr)"
for want in 'APIC: Keep in PIC mode(8259)' 'Calibrating delay loop (skipped)' 'tsc: Detected' \
	'ttyS0 at I/O 0x3f8 (irq = 4' 'is a 16550A'; do
	grep -qF "$want" /tmp/lout.txt && t_pass "linux-log-$(echo "$want" | tr -c 'a-zA-Z0-9\n' '-' | head -c 30)" ||
		t_fail "linux-log-$(echo "$want" | tr -c 'a-zA-Z0-9\n' '-' | head -c 30)" "boot log lacks '$want'"
done
for bad in 'unchecked MSR access' 'NULL legacy PIC' 'spurious 8259A' 'TSC unstable' \
	'Fast TSC calibration' 'Kernel panic' 'BUG:' 'WARNING:'; do
	grep -qF "$bad" /tmp/lout.txt && t_fail linux-log-clean "boot log has '$(echo "$bad" | sed 's/ panic/-panic/')': $(grep -F -m1 "$bad" /tmp/lout.txt | sed 's/Kernel panic/Kernel-panic/')"
done
grep -qF -e 'unchecked MSR access' -e 'NULL legacy PIC' -e 'spurious 8259A' -e 'TSC unstable' \
	-e 'Fast TSC calibration' \
	-e 'Kernel panic' -e 'BUG:' -e 'WARNING:' /tmp/lout.txt || t_pass linux-log-clean
grep '^minivmm: stats' /tmp/lerr | while IFS= read -r l; do t_show "$l"; done
t_show "linux: unhandled ports: $(grep -c 'unhandled port' /tmp/lerr)"
grep 'unhandled port' /tmp/lerr | head -n 20 | while IFS= read -r l; do t_info "$l"; done
# A person at a terminal: the shell through a pseudo-terminal, Ctrl-A x.
mkdir -p /dev/pts
grep -q ' /dev/pts ' /proc/mounts || mount -t devpts devpts /dev/pts
pty_drive $LINUX_TIMEOUT minivmm run --mem 160M --kernel "$K" --initrd "$I" \
	--append mode=shell >/tmp/pout 2>&1
rc=$?
grep '^PTY: ' /tmp/pout | while IFS= read -r l; do
	case $l in
	"PTY: PASS "*) t_pass "linux-pty-${l#PTY: PASS }" ;;
	"PTY: FAIL "*) n=${l#PTY: FAIL }; t_fail "linux-pty-${n%%:*}" "${n#*: }" ;;
	"PTY: INFO "*) t_show "linux pty: ${l#PTY: INFO }" ;;
	esac
done
[ $rc = 0 ] || tr -d '\r' </tmp/pout | tail -n 20 |
	sed -e 's/^/MVTEST: INFO pty| /' -e 's/Kernel panic/Kernel-panic/'
grep -q '^PTY: PASS terminal-restored' /tmp/pout || t_fail linux-pty-ran "pty_drive: rc=$rc"

# A kernel panic (panic=-1 reboots at once): its own status, the panic quoted.
minivmm run --mem 160M --kernel "$K" --initrd "$I" --append mode=panic \
	</dev/null >/tmp/lout 2>/tmp/lerr
rc=$?
[ $rc = 115 ] && grep -q '^minivmm: guest kernel panicked ("Kernel panic - not syncing: sysrq triggered crash")' /tmp/lerr &&
	t_pass linux-panic-status-115 ||
	t_fail linux-panic-status-115 "rc=$rc: $(tail -c 300 /tmp/lerr | sed 's/Kernel panic/Kernel-panic/')"
# (run.py stops the emulator at the words of a panic on its console.)
t_show "linux panic: $(grep 'panicked' /tmp/lerr | sed 's/Kernel panic/Kernel-panic/')"

# poweroff -f without ACPI: the kernel halts with interrupts off.
minivmm run --mem 160M --kernel "$K" --initrd "$I" --append mode=poweroff \
	</dev/null >/tmp/lout 2>/tmp/lerr
rc=$?
[ $rc = 0 ] && grep -q '^minivmm: guest powered off (HLT with interrupts disabled): run ended$' /tmp/lerr &&
	t_pass linux-poweroff-status-0 ||
	t_fail linux-poweroff-status-0 "rc=$rc: $(tail -c 300 /tmp/lerr)"

# The same kernel with every movable exit moved (docs/uapi.md "Exit
# policy"): CPUID, MSRs, CR accesses and every exception handled by
# minivmm, port 0x80 by the module. The same boot, and the stats say
# where each exit went.
t0=$(stamp)
minivmm run --exit cpuid=user --exit msr=user --exit cr=user --exit exception=user \
	--exit io=kernel --stats=json --stats-file /tmp/lstats.json \
	--timeout $LINUX_TIMEOUT --mem 160M --kernel "$K" --initrd "$I" </dev/null \
	>/tmp/lout.raw 2>/tmp/lerr
rc=$?
tr -d '\r' </tmp/lout.raw >/tmp/lout.txt
t1=$(stamp)
t_show "linux, every movable exit moved: rc=$rc after $(echo "$t1 $t0" | awk '{print $1 - $2}') s"
# where REASON: "count kernel user" of exit reason REASON in the stats.
where() {
	sed -n 's/.*{"exit_reason":'"$1"',"name":"[^"]*","count":\([0-9]*\),"kernel":\([0-9]*\),"user":\([0-9]*\).*/\1 \2 \3/p' /tmp/lstats.json
}
ok=1
for r in 10 31 32 0 30; do
	t_show "linux moved: exit reason $r: count kernel user = $(where $r)"
done
set -- $(where 10)
[ "${1:-0}" -gt 0 ] && [ "$2" = 0 ] && [ "$3" = "$1" ] || ok=0
set -- $(where 0)
[ "${1:-0}" -gt 0 ] && [ "$2" = 0 ] || ok=0
set -- $(where 31)
[ "${3:-0}" -gt 0 ] || ok=0
[ "$rc" = 0 ] && grep -q '^LINUXGUEST: up' /tmp/lout.txt &&
	grep -q "^LINUXGUEST: uname $(uname -r)\$" /tmp/lout.txt &&
	grep -q '^LINUXGUEST: cpus 1$' /tmp/lout.txt && [ $ok = 1 ] &&
	t_pass linux-every-exit-moved ||
	t_fail linux-every-exit-moved "rc=$ok/$rc: $(tail -c 300 /tmp/lerr | sed 's/Kernel panic/Kernel-panic/')"
grep -qF -e 'Kernel panic' -e 'BUG:' -e 'WARNING:' -e 'unchecked MSR access' /tmp/lout.txt &&
	t_fail linux-every-exit-moved-log-clean "$(grep -F -m1 -e BUG: -e WARNING: -e 'unchecked MSR' /tmp/lout.txt)" ||
	t_pass linux-every-exit-moved-log-clean

t_dmesg_clean linux-host-log-clean
t_check rmmod rmmod minivmm
t_done
