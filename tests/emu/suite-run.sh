#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bochs: `minivmm run` end to end with the guest images (guest-images/,
# in /guests): output and exit status of each, a clean kernel log.
. /tests/lib.sh

t_check insmod insmod /lib/modules/minivmm.ko

# run_guest NAME EXPECTED_STATUS EXPECTED_STDOUT_REGEX [ARGS...] IMAGE
run_guest() {
	_name=$1 _want=$2 _out_re=$3
	shift 3
	minivmm run "$@" >/tmp/out 2>/tmp/err
	_rc=$?
	t_info "$_name: rc=$_rc stdout: $(head -c 300 /tmp/out) stderr: $(head -c 300 /tmp/err)"
	if [ $_rc != "$_want" ]; then
		t_fail "$_name" "exit status $_rc, want $_want; stderr: $(head -c 200 /tmp/err)"
	elif [ -n "$_out_re" ] && ! grep -q -- "$_out_re" /tmp/out; then
		t_fail "$_name" "stdout lacks /$_out_re/: $(head -c 200 /tmp/out)"
	else
		t_pass "$_name"
	fi
}

run_guest run-hello16 0 '^Hello from real mode$' /guests/hello16.bin
[ "$(cat /tmp/out)" = "Hello from real mode" ] && t_pass run-hello16-exact-output ||
	t_fail run-hello16-exact-output "stdout: $(cat /tmp/out)"
t_show "minivmm run hello16.bin: $(cat /tmp/out)"
run_guest run-hello64 0 '^Hello from long mode$' /guests/hello64.elf
grep -q '^hypervisor bit: set$' /tmp/out && t_pass run-hello64-hypervisor-bit ||
	t_fail run-hello64-hypervisor-bit "stdout: $(cat /tmp/out)"
t_show "minivmm run hello64.elf: $(tr '\n' '|' </tmp/out)"
run_guest run-exit7 7 '' /guests/exit7.bin
run_guest run-mmio 0 'mmio' /guests/mmio.elf
grep -qi 'unhandled' /tmp/err && t_pass run-mmio-reported-once ||
	t_fail run-mmio-reported-once "stderr: $(cat /tmp/err)"
run_guest run-loop-timeout 124 '' --timeout 2 /guests/loop.bin
grep -q 'guest stopped after 2 s$' /tmp/err && t_pass run-loop-timeout-plain ||
	t_fail run-loop-timeout-plain "stderr: $(cat /tmp/err)"
# Hostile guests: each is contained and named (docs/uapi.md, "Hostile guests").
run_guest run-ac-loop 117 '^acloop: entering CPL 3' --timeout 3 /guests/acloop.bin
grep -q 'exception loop: .* were #AC (alignment check)$' /tmp/err &&
	t_pass run-ac-loop-named || t_fail run-ac-loop-named "stderr: $(cat /tmp/err)"
t_show "acloop: $(cat /tmp/err)"
run_guest run-db-loop 117 '^dbloop: breakpoint on the #DB handler armed$' --timeout 3 /guests/dbloop.bin
grep -q 'exception loop: .* were #DB (debug)$' /tmp/err &&
	t_pass run-db-loop-named || t_fail run-db-loop-named "stderr: $(cat /tmp/err)"
t_show "dbloop: $(cat /tmp/err)"
run_guest run-exit-storm 116 '' --timeout 3 /guests/exitstorm.bin
grep -q 'exit storm: .* for \(CPUID\|I/O instruction\)$' /tmp/err &&
	t_pass run-exit-storm-named || t_fail run-exit-storm-named "stderr: $(cat /tmp/err)"
t_show "exitstorm: $(cat /tmp/err)"
run_guest run-strio-past-memory 122 '^strio: REP INSB past the end of memory done$' --mem 1M /guests/strio.bin
grep -q 'internal error: .*reason 30 (I/O instruction)' /tmp/err &&
	t_pass run-strio-outs-stopped || t_fail run-strio-outs-stopped "stderr: $(cat /tmp/err)"
# --stats counts what the kernel handled too; its "to userspace" count is
# the number of exits minivmm itself handled (--trace says).
minivmm run --stats --trace /guests/hello16.bin >/tmp/out 2>/tmp/err
kexits=$(sed -n 's/^minivmm: stats: [0-9]* exits, \([0-9]*\) to userspace.*/\1/p' /tmp/err)
uexits=$(sed -n 's/^minivmm: trace: \([0-9]*\) exits, .*/\1/p' /tmp/err)
t_info "hello16 --stats: kernel says $kexits to userspace, minivmm handled $uexits"
[ -n "$kexits" ] && [ "$kexits" = "$uexits" ] && t_pass run-stats-userspace-exits-agree ||
	t_fail run-stats-userspace-exits-agree "stats '$kexits' vs trace '$uexits'"
grep -q '^minivmm: stats: *[0-9]* *30 I/O instruction$' /tmp/err &&
	t_pass run-stats-by-reason || t_fail run-stats-by-reason "stderr: $(grep stats /tmp/err)"
# The exit trace: every exit, the module's and minivmm's, in order, decoded,
# with where it was handled and its cost; the stats' cost table.
minivmm run --trace --stats /guests/hello64.elf >/tmp/out 2>/tmp/err
ntrace=$(grep -c '^minivmm: trace: [0-9]* vcpu0 \[' /tmp/err)
nstats=$(sed -n 's/^minivmm: stats: \([0-9]*\) exits, .*/\1/p' /tmp/err)
t_info "hello64 --trace: $ntrace trace lines, stats say $nstats exits"
[ -n "$nstats" ] && [ "$ntrace" = "$nstats" ] && t_pass run-trace-every-exit ||
	t_fail run-trace-every-exit "$ntrace trace lines, $nstats exits"
sed -n 's/^minivmm: trace: \([0-9]*\) vcpu0 \[.*/\1/p' /tmp/err |
	awk 'BEGIN { want = 1 } $1 != want { bad = 1 } { want++ } END { exit bad }' &&
	t_pass run-trace-in-order || t_fail run-trace-in-order "sequence numbers not 1, 2, 3, ..."
grep -q ' \[CPUID\] CPUID leaf=0x1 sub=0 rip=0x[0-9a-f]* kernel [0-9][0-9]*$' /tmp/err &&
	t_pass run-trace-cpuid-kernel || t_fail run-trace-cpuid-kernel "$(grep -m3 CPUID /tmp/err)"
grep -q ' \[I/O_instruction\] IO out port=0x3f8 size=1 val=0x48 rip=0x[0-9a-f]* user [0-9][0-9]*$' /tmp/err &&
	t_pass run-trace-io-user || t_fail run-trace-io-user "$(grep -m3 'port=0x3f8' /tmp/err)"
grep -q '^minivmm: stats: 10   CPUID  *[0-9][0-9]*  *[0-9][0-9]*  *0  *[0-9][0-9]*  *[0-9][0-9]*  *[0-9][0-9]*  *[0-9][0-9]*$' /tmp/err &&
	t_pass run-stats-cost-table || t_fail run-stats-cost-table "$(grep -m12 'stats:' /tmp/err)"
grep 'stats: \(nr\|10 \|30 \)' /tmp/err | while IFS= read -r l; do t_show "hello64 $l"; done
grep -m6 'trace: [0-9]* vcpu0' /tmp/err | while IFS= read -r l; do t_show "hello64 $l"; done
minivmm run --trace=json --trace-file /tmp/tr.json --stats=json --stats-file /tmp/st.json \
	/guests/hello64.elf >/tmp/out 2>/tmp/err
nj=$(grep -c '^{"n":[0-9]*,"vcpu":0,"reason":"[^"]*","exit_reason":[0-9]*,"detail":"[^"]*","rip":"0x[0-9a-f]*","where":"\(kernel\|user\)","cycles":\([0-9]*\|null\)}$' /tmp/tr.json)
nall=$(wc -l </tmp/tr.json)
ne=$(sed -n 's/^{"exits":\([0-9]*\),.*/\1/p' /tmp/st.json)
[ "$nj" = "$nall" ] && [ "$nj" = "$ne" ] && ! grep -q trace /tmp/err &&
	t_pass run-trace-json || t_fail run-trace-json "$nj well-formed of $nall lines, stats exits '$ne'; $(head -c 300 /tmp/st.json)"
# A full ring drops exits and the trace says how many (the #AC loop never
# returns to userspace until the timeout).
minivmm run --trace --trace-ring 64 --timeout 2 /guests/acloop.bin >/dev/null 2>/tmp/err
grep -q '^minivmm: trace: vcpu0: [0-9]* exits lost (the module.s trace ring was full)$' /tmp/err &&
	[ "$(grep -c '^minivmm: trace: [0-9]* vcpu0 \[' /tmp/err)" -le 1000 ] &&
	t_pass run-trace-loss-reported || t_fail run-trace-loss-reported "$(grep -c trace /tmp/err) trace lines; $(grep lost /tmp/err)"
t_show "acloop --trace-ring 64: $(grep lost /tmp/err)"
minivmm run --stats --timeout 2 /guests/acloop.bin >/dev/null 2>/tmp/err
grep -q '^minivmm: stats: *[0-9]* *exception #AC (alignment check)$' /tmp/err &&
	t_pass run-stats-exceptions || t_fail run-stats-exceptions "stderr: $(grep stats /tmp/err)"
# The host stays responsive during a storm: with one CPU, the shell gets
# through a loop while the #AC-looping guest still runs.
minivmm run --timeout 60 /guests/acloop.bin >/dev/null 2>&1 &
vmm=$!
sleep 1
i=0
while [ $i -lt 2000 ]; do i=$((i + 1)); done
kill -0 $vmm 2>/dev/null && t_pass run-host-responsive-during-ac-loop ||
	t_fail run-host-responsive-during-ac-loop "the VMM ended before the shell loop did"
kill -9 $vmm 2>/dev/null
wait $vmm 2>/dev/null
# The world switch from inside (guest-images/wswitch.c), with host tasks
# beside it: one faulting on fresh pages so the CPU's CR2 keeps changing,
# one keeping a pattern in its YMM registers (it checks them too).
pagefault_loop &
pfl=$!
avx_loop >/tmp/avx 2>&1 &
avx=$!
minivmm run --timeout 120 /guests/wswitch.elf >/tmp/out 2>/tmp/err
rc=$?
kill $pfl 2>/dev/null
wait $pfl 2>/dev/null
kill $avx 2>/dev/null
wait $avx
avx_rc=$?
t_info "wswitch: rc=$rc $(tr '\n' '|' </tmp/out) $(head -c 300 /tmp/err)"
t_info "avx_loop: rc=$avx_rc $(tr '\n' '|' </tmp/avx)"
[ $avx_rc = 0 ] && grep -q '^avx_loop: [1-9][0-9]* checks, 0 mismatches$' /tmp/avx &&
	t_pass run-wswitch-host-ymm-kept || t_fail run-wswitch-host-ymm-kept "$(cat /tmp/avx)"
for name in cr2 syscall tsc_aux pat invd wbinvd rdpmc vmxon xsetbv icebp \
	cpuid cr4_pke xcr0 xsetbv_bad ymm tf_cpuid tf_movss; do
	line=$(tr -d '\r' </tmp/out | grep "^wswitch: [A-Z]* $name\(:\|\$\)")
	case "$line" in
	"wswitch: PASS $name") t_pass "run-wswitch-$name" ;;
	"") t_fail "run-wswitch-$name" "no line for it (rc=$rc)" ;;
	*) t_fail "run-wswitch-$name" "${line#wswitch: FAIL }" ;;
	esac
done
[ $rc = 0 ] && t_pass run-wswitch-exit-0 || t_fail run-wswitch-exit-0 "exit status $rc"
# An exception whose delivery reads an IDT in MMIO space: an internal
# error naming the event, not an MMIO read emulated for the MOV at RIP.
run_guest run-vecmmio 122 '^vecmmio: IDT at' --timeout 60 /guests/vecmmio.elf
grep -q 'internal error: during delivery of exception, vector 14, error code' /tmp/err &&
	! grep -q survived /tmp/out &&
	t_pass run-vecmmio-vectoring-reported || t_fail run-vecmmio-vectoring-reported "stderr: $(head -c 300 /tmp/err)"
# The guest's own page tables (guest-images/paging.c): CR3 switches,
# remaps, and page faults that are the guest's, with error code and CR2.
run_guest run-paging 0 '^paging: 0x00 failed$' --timeout 120 /guests/paging.elf
[ "$(grep -c '^paging: PASS' /tmp/out)" = 11 ] && grep -q '^paging: cr3 loads 1006$' /tmp/out &&
	t_pass run-paging-checks || t_fail run-paging-checks "$(grep -v PASS /tmp/out | head -3 | tr '\n' '|')"
run_guest run-triple-fault 120 '' /guests/triple.bin
run_guest run-halt-if0 118 '' /guests/halt.bin
run_guest run-hypercall 0 '' /guests/hypercall.bin
run_guest run-ports 0 '' /guests/ports.bin
# Interrupts: the guest's PIC and PIT, ticks injected (guest-images/irq.c).
run_guest run-irq 0 '^irq: 0x00 failed$' --timeout 120 /guests/irq.elf
for c in imr hlt_wakes if0_held sti_shadow sti_hlt rate; do
	grep -q "^irq: PASS $c\$" /tmp/out && t_pass "run-irq-$c" ||
		t_fail "run-irq-$c" "$(grep "^irq: .* $c" /tmp/out)"
done
t_show "irq: $(tr '\n' '|' </tmp/out)"
minivmm run --stats --timeout 120 /guests/irq.elf >/dev/null 2>/tmp/err
grep -E 'interrupt window|VMX-preemption|stats: [0-9]+ exits|device' /tmp/err |
	while IFS= read -r l; do t_show "irq $l"; done
grep -q '^minivmm: stats: device pit: IRQ 0 ticks [1-9][0-9]*, ' /tmp/err &&
	grep -q '^minivmm: stats: device lapic: vectors delivered 0, from the 8259 (ExtINT) [1-9][0-9]*, ' /tmp/err &&
	t_pass run-irq-stats-devices || t_fail run-irq-stats-devices "$(grep device /tmp/err | tr '\n' '|')"
# A running VMM holds no capabilities (it drops them after opening the
# device), even when started by root. Ctrl-C (SIGINT) stops the guest as
# --timeout does: statistics, then the shell's 130.
minivmm run --stats --timeout 60 /guests/loop.bin >/dev/null 2>/tmp/err &
vmm=$!
sleep 2
capeff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/$vmm/status 2>/dev/null)
t_info "running VMM pid $vmm CapEff=$capeff"
[ "$capeff" = 0000000000000000 ] && t_pass run-vmm-capeff-zero ||
	t_fail run-vmm-capeff-zero "CapEff='$capeff'"
kill -INT $vmm 2>/dev/null
wait $vmm; rc=$?
[ $rc = 130 ] && grep -q '^minivmm: SIGINT: guest stopped after' /tmp/err &&
	grep -q '^minivmm: stats: .* exits, ' /tmp/err && t_pass run-sigint-stops-with-stats ||
	t_fail run-sigint-stops-with-stats "rc=$rc: $(tr '\n' '|' </tmp/err | head -c 300)"
# Under sudo the VMM becomes the caller once the device is open: it runs
# as that user, and opens the image as that user (a root-only image is
# refused). SIGTERM stops it with 143.
SUDO_UID=65534 SUDO_GID=65534 minivmm run --timeout 60 /guests/loop.bin \
	>/dev/null 2>/tmp/err &
vmm=$!
sleep 2
uids=$(sed -n 's/^Uid:[[:space:]]*//p' /proc/$vmm/status 2>/dev/null | tr -s '\t ' ' ')
t_info "VMM under SUDO_UID=65534: Uid: $uids"
[ "$uids" = "65534 65534 65534 65534" ] && t_pass run-sudo-runs-as-caller ||
	t_fail run-sudo-runs-as-caller "Uid: '$uids'"
kill -TERM $vmm 2>/dev/null
wait $vmm; rc=$?
[ $rc = 143 ] && grep -q '^minivmm: SIGTERM: guest stopped' /tmp/err &&
	t_pass run-sigterm-stops || t_fail run-sigterm-stops "rc=$rc: $(cat /tmp/err)"
cp /guests/hello16.bin /tmp/rootonly.bin
chmod 600 /tmp/rootonly.bin
run_guest run-root-image-as-root 0 '^Hello from real mode$' /tmp/rootonly.bin
SUDO_UID=65534 SUDO_GID=65534 minivmm run /tmp/rootonly.bin >/tmp/out 2>/tmp/err; rc=$?
[ $rc = 10 ] && grep -q 'Permission denied' /tmp/err && [ ! -s /tmp/out ] &&
	t_pass run-sudo-root-only-image-refused ||
	t_fail run-sudo-root-only-image-refused "rc=$rc: $(cat /tmp/err)"
# A Multiboot (v1) kernel, as QEMU's -kernel boots them: mb32.elf checks
# its entry state, command line, module and memory map itself.
printf 'MODULE!\n' >/tmp/mod.bin
MB="--mem 16M --module /tmp/mod.bin,modarg /guests/mb32.elf"
# shellcheck disable=SC2086
run_guest run-multiboot 0 '^mb32: done$' --stats --append "hello world" $MB
grep -q '^minivmm: stats: device lapic: vectors delivered [1-9][0-9]*, from the 8259 (ExtINT) 0, timer expiries [1-9][0-9]*, IPIs to other CPUs dropped 0$' /tmp/err &&
	t_pass run-multiboot-stats-lapic || t_fail run-multiboot-stats-lapic "$(grep device /tmp/err)"
t_show "mb32 $(grep device /tmp/err)"
! grep -q FAIL /tmp/out && [ "$(grep -c '^mb32: PASS' /tmp/out)" = 33 ] && t_pass run-multiboot-checks ||
	t_fail run-multiboot-checks "$(grep FAIL /tmp/out | head -3)"
# shellcheck disable=SC2086
run_guest run-multiboot-qemu-debug-exit 7 '^mb32: done$' --debug-exit=qemu --append "hello world qemuexit" $MB
# shellcheck disable=SC2086
run_guest run-multiboot-shutdown-port 0 '^mb32: done$' --append "hello world shutdown" $MB
! grep -q FAIL /tmp/out && t_pass run-multiboot-shutdown-checks || t_fail run-multiboot-shutdown-checks "$(grep FAIL /tmp/out | head -3)"
# A wrong checksum is refused with its reason, before any VM exists.
cp /guests/mb32.elf /tmp/mbbad.elf
printf 'X' | dd of=/tmp/mbbad.elf bs=1 seek=$((0x1008)) conv=notrunc 2>/dev/null
minivmm run --mem 16M /tmp/mbbad.elf >/dev/null 2>/tmp/err; rc=$?
[ $rc = 10 ] && grep -q 'Multiboot: header checksum wrong' /tmp/err && t_pass run-multiboot-bad-checksum ||
	t_fail run-multiboot-bad-checksum "rc=$rc: $(cat /tmp/err)"
t_show "multiboot: $(tr '\n' '|' </tmp/err)"

t_check rmmod rmmod minivmm
t_done
