#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# QEMU TCG, a CPU without VMX: the load is refused with the documented
# message and errno, and the CLI explains that the module is not loaded.
. /tests/lib.sh

MOD=/lib/modules/minivmm.ko
grep -qw vmx /proc/cpuinfo && t_fail novmx-cpu-has-no-vmx "cpuinfo shows vmx" ||
	t_pass novmx-cpu-has-no-vmx
dmesg_mark
t_expect_fail novmx-load-refused-enodev 19 modload $MOD
t_show_dmesg
t_one_refusal_line novmx-message 'minivmm: no VMX in CPUID: this CPU has no VT-x; use an Intel CPU with VT-x, or enable nested virtualization for this virtual machine$'
t_expect_fail novmx-busybox-insmod-refused-enodev 19 insmod $MOD
grep -q '^minivmm ' /proc/modules && t_fail novmx-not-loaded "module is loaded" ||
	t_pass novmx-not-loaded
[ -e /dev/minivmm ] && t_fail novmx-no-dev-node "/dev/minivmm exists" ||
	t_pass novmx-no-dev-node
out=$(minivmm info 2>&1); rc=$?
t_info "minivmm info: rc=$rc $out"
[ $rc != 0 ] && echo "$out" | grep -q "module not loaded: run 'sudo insmod kmod/minivmm.ko'" &&
	t_pass novmx-cli-module-not-loaded || t_fail novmx-cli-module-not-loaded "rc=$rc: $out"
t_done
