#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Optional: the test guests on QEMU TCG (no VT-x needed) in the state
# `minivmm run` starts them in, to check the guests and minivmm's
# loader/page tables/GDT on a CPU model. Not the real thing: QEMU has a
# BIOS, devices on ports minivmm leaves unhandled, no VMCALL. Prints
# PASS/FAIL per guest and "N passed, M failed".
# Usage: run.sh BUILD_DIR  (holding boot16.bin, mb64.bin, snapshot)
set -u
dir=$1
gi=$(cd "$(dirname "$0")/.." && pwd)
passed=0
failed=0
qemu="qemu-system-x86_64 -cpu max -m 256 -display none -monitor none
	-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4"

# check NAME WANT_STATUS WANT_SERIAL STATUS SERIAL_FILE
check() {
	serial=$(tr -d '\r' <"$5")
	if [ "$4" = "$2" ] && [ "$serial" = "$3" ]; then
		echo "PASS qemu/$1"
		passed=$((passed + 1))
	else
		echo "FAIL qemu/$1: status $4 (want $2), serial '$serial' (want '$3')"
		failed=$((failed + 1))
	fi
}

# QEMU exits (N << 1) | 1 for a debug-exit of N, 0 on a triple fault
# (-no-reboot), and timeout(1) gives 124.
guest_status() {
	if [ "$1" = 124 ] || [ "$1" = 0 ]; then echo "$1"; else echo $(($1 >> 1)); fi
}

flat() {	# flat NAME WANT_STATUS WANT_SERIAL [SECONDS]
	cat "$dir/boot16.bin" "$gi/$1" >"$dir/disk.img"
	truncate -s 64K "$dir/disk.img"
	: >"$dir/$1.serial"
	timeout "${4:-20}" $qemu -serial "file:$dir/$1.serial" \
		-drive "file=$dir/disk.img,format=raw" 2>/dev/null
	check "$1" "$2" "$3" "$(guest_status $?)" "$dir/$1.serial"
}

elf() {		# elf NAME WANT_STATUS WANT_SERIAL
	"$dir/snapshot" "$dir/mb64.bin" "$gi/$1" "$dir/$1.mb" || {
		echo "FAIL qemu/$1: snapshot failed"
		failed=$((failed + 1))
		return
	}
	: >"$dir/$1.serial"
	timeout 20 $qemu -serial "file:$dir/$1.serial" -kernel "$dir/$1.mb" \
		2>/dev/null
	check "$1" "$2" "$3" "$(guest_status $?)" "$dir/$1.serial"
}

flat hello16.bin 0 "Hello from real mode"
flat exit7.bin 7 ""
flat triple.bin 0 ""		# 0: reset after the triple fault
flat loop.bin 124 "" 3
elf hello64.elf 0 "Hello from long mode
hypervisor bit: set"
# QEMU reads unassigned memory as 0, minivmm as all-ones.
elf mmio.elf 0 "mmio: read 0x00000000 from 0xd0000000
mmio: wrote 0x12345678"
elf paging.elf 0 "paging: two address spaces, remaps, the guest's own page faults
$(for c in cr3_switches big_page remap_invlpg remap_cr3_reload spaces_separate \
	pf_not_present_read pf_not_present_write pf_write_read_only read_only_readable \
	pf_fetch_nx pf_user_reads_supervisor; do echo "paging: PASS $c"; done)
paging: cr3 loads 1006
paging: 0x00 failed"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
