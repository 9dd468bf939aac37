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
run_guest run-triple-fault 120 '' /guests/triple.bin
run_guest run-halt-if0 118 '' /guests/halt.bin
run_guest run-hypercall 0 '' /guests/hypercall.bin
run_guest run-ports 0 '' /guests/ports.bin
# A running VMM holds no capabilities (it drops them after opening the
# device), even when started by root.
minivmm run --timeout 10 /guests/loop.bin >/dev/null 2>&1 &
vmm=$!
sleep 2
capeff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/$vmm/status 2>/dev/null)
t_info "running VMM pid $vmm CapEff=$capeff"
[ "$capeff" = 0000000000000000 ] && t_pass run-vmm-capeff-zero ||
	t_fail run-vmm-capeff-zero "CapEff='$capeff'"
kill $vmm 2>/dev/null
wait $vmm 2>/dev/null
t_check rmmod rmmod minivmm
t_done
