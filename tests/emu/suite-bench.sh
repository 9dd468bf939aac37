#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench: one Bochs boot, bench.elf (guest-images/bench.c) under
# minivmm.ko and then under the stock kvm_intel (--accel kvm), one table
# of min and median round-trip cycles per exit class and their ratio;
# then the stock Linux kernel booted to /init on both. Figures, not
# verdicts: the checks only say the table is complete
# (docs/performance.md explains the numbers).
. /tests/lib.sh

t_check insmod insmod /lib/modules/minivmm.ko
for m in irqbypass kvm kvm-intel; do
	insmod /lib/modules/$m.ko || t_fail "insmod-$m" "insmod $m.ko failed"
done

minivmm run --timeout 300 /guests/bench.elf >/tmp/b.minivmm 2>/tmp/e.minivmm
rc1=$?
minivmm run --accel kvm --timeout 300 /guests/bench.elf >/tmp/b.kvm 2>/tmp/e.kvm
rc2=$?
# VMCALL with minivmm's module answering (--exit vmcall=kernel), as KVM does.
minivmm run --exit vmcall=kernel --timeout 300 /guests/bench.elf 2>/dev/null |
	sed -n 's/^bench: vmcall /bench: vmcall_kernel /p' >>/tmp/b.minivmm
sed -n 's/^bench: vmcall /bench: vmcall_kernel /p' /tmp/b.kvm >>/tmp/b.kvm
[ $rc1 = 0 ] && [ $rc2 = 0 ] && t_pass bench-runs ||
	t_fail bench-runs "rc $rc1/$rc2: $(head -c 200 /tmp/e.minivmm) $(head -c 200 /tmp/e.kvm)"
# "bench: CLASS min=N median=M" from each; one row per class.
t_show "bench: cycles per round trip (Bochs, corei7_haswell_4770: emulated path lengths)"
t_show "$(printf '%-22s %9s %9s %6s %9s %9s %6s' class minivmm kvm ratio 'minivmm~' 'kvm~' ratio)"
n=0
for cls in $(sed -n 's/^bench: \([a-z_]*\) min=.*/\1/p' /tmp/b.minivmm); do
	m=$(sed -n "s/^bench: $cls min=\([0-9]*\) median=\([0-9]*\)$/\1 \2/p" /tmp/b.minivmm)
	k=$(sed -n "s/^bench: $cls min=\([0-9]*\) median=\([0-9]*\)$/\1 \2/p" /tmp/b.kvm)
	[ -n "$m" ] && [ -n "$k" ] && n=$((n + 1))
	t_show "$(echo "$cls $m $k" | awk '{
		r1 = $4 ? sprintf("%.2f", $2 / $4) : "-"; r2 = $5 ? sprintf("%.2f", $3 / $5) : "-"
		printf "%-22s %9s %9s %6s %9s %9s %6s", $1, $2, $4, r1, $3, $5, r2 }')"
done
[ "$n" -ge 15 ] && t_pass bench-table-complete || t_fail bench-table-complete "$n classes on both backends"
t_show "bench: minivmm stderr: $(grep -c . /tmp/e.minivmm) lines ($(tail -n 1 /tmp/e.minivmm))"

# Host wall time per exit: L1's clock over a whole run of bench.elf
# without --stats (in Bochs this is the emulator's speed); minivmm's exit
# count from a run with it, KVM's from its debugfs counter if it has one.
stamp() { cut -d' ' -f1 /proc/uptime; }
minivmm run --stats /guests/bench.elf >/dev/null 2>/tmp/e
ex=$(sed -n 's/^minivmm: stats: \([0-9]*\) exits, .*/\1/p' /tmp/e)
mount -t debugfs none /sys/kernel/debug 2>/dev/null
for accel in minivmm kvm; do
	k0=$(cat /sys/kernel/debug/kvm/exits 2>/dev/null)
	t0=$(stamp)
	minivmm run --accel $accel /guests/bench.elf >/dev/null 2>&1
	rc=$?
	t1=$(stamp)
	k1=$(cat /sys/kernel/debug/kvm/exits 2>/dev/null)
	[ $accel = kvm ] && ex=$((${k1:-0} - ${k0:-0}))
	if [ "${ex:-0}" -gt 0 ]; then
		t_show "bench: $accel: rc $rc, $ex exits in $(echo "$t1 $t0" | awk '{print $1 - $2}') s of L1 time: $(echo "$t1 $t0 $ex" | awk '{printf "%.1f", ($1 - $2) * 1e6 / $3}') us per exit"
	else
		t_show "bench: $accel: rc $rc, $(echo "$t1 $t0" | awk '{print $1 - $2}') s of L1 time (no exit count)"
	fi
done

# Memory: minivmm's peak RSS for a hello guest (getrusage; the guest
# memory the module pins is in it, named apart) and the module's own.
for mem in 64M 2M; do
	minivmm run --stats --mem $mem /guests/hello64.elf >/dev/null 2>/tmp/e
	t_show "bench: --mem $mem: $(grep 'peak RSS' /tmp/e | sed 's/^minivmm: stats: //')"
done
grep -q 'peak RSS' /tmp/e && t_pass bench-rss || t_fail bench-rss "$(tail -c 200 /tmp/e)"
t_show "bench: $(grep 'module memory' /tmp/e | sed 's/^minivmm: stats: //')"
minivmm run --accel kvm --stats --mem 2M /guests/hello64.elf >/dev/null 2>/tmp/e
t_show "bench: kvm, --mem 2M: $(grep 'peak RSS' /tmp/e | sed 's/^minivmm: stats: //')"

# The stock kernel to its /init marker, on each backend.
for accel in minivmm kvm; do
	t0=$(stamp)
	# minivmm's boot with --stats: the exits by reason (KVM has none to give).
	st=
	[ $accel = minivmm ] && st=--stats
	minivmm run $st --accel $accel --timeout 1500 --mem 160M --kernel /guests/vmlinuz \
		--initrd /guests/linux-initrd.cpio </dev/null 2>/tmp/lerr |
		while IFS= read -r l; do
			case $l in LINUXGUEST:\ up*) stamp >/tmp/t.up ;; esac
		done
	if [ -s /tmp/t.up ]; then
		t_show "bench: linux boot to /init under $accel: $(echo "$(cat /tmp/t.up) $t0" | awk '{print $1 - $2}') s"
		t_pass bench-linux-$accel
		grep '^minivmm: stats: *[0-9]* *[0-9]* [a-zA-Z]' /tmp/lerr | while IFS= read -r l; do
			t_show "bench: linux under minivmm: ${l#minivmm: stats: }"
		done
	else
		t_fail bench-linux-$accel "no marker: $(tail -c 300 /tmp/lerr | sed 's/Kernel panic/Kernel-panic/')"
	fi
	rm -f /tmp/t.up
done

for m in kvm-intel kvm irqbypass; do
	rmmod $m || t_fail "rmmod-$m" "rmmod $m failed"
done
t_check rmmod rmmod minivmm
t_done
