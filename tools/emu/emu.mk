# SPDX-License-Identifier: GPL-2.0
# Emulator test harness, included by the top-level Makefile (uses BUILD,
# KVER61, KDIR61 from it). The kernel half of minivmm needs VT-x, which our
# machines lack: suites (tests/emu/suite-*.sh) run inside Bochs, which
# emulates VMX, or QEMU TCG for the no-VT-x paths. See tools/emu/run.py for
# the serial protocol and the verdict lines.
#
#   make emu-smoke                          smoke suite under Bochs
#   make emu-smoke-qemu                     smoke suite under QEMU TCG
#   make emu SUITE=vmx EMU=bochs CPUS=1 CPU_MODEL=broadwell_ult
#   make emu-kernel / emu-initramfs         just build the boot files
#   make fuzz SECONDS=120 [SEED=N] [OPS=N] [TRACE=1]
#                                           suite fuzz (tests/fuzz/fuzz.c)
#
# Knobs:
#   EMU          bochs (default) or qemu
#   SUITE        runs tests/emu/suite-$(SUITE).sh (default smoke)
#   CPUS         emulated CPUs (default 1)
#   CPU_MODEL    Bochs cpu model (default corei7_haswell_4770), QEMU -cpu
#                (default max)
#   EMU_TIMEOUT  wall seconds (default: Bochs 400, QEMU 120, times CPUS)
#   EMU_APPEND   extra kernel command line (suite parameters)
#   EMU_PREFIX   test name prefix (default $(EMU)-$(SUITE))
#   EMU_OUT      artefact directory (default build/emu/runs/EMU-SUITE-Ncpu)
#   EMU_KO       module for the guest (default: the one tools/kbuild-check.sh
#                builds against 6.1), or "none"
#   MINIVMM_BIN  CLI for the guest (default ./minivmm), or "none"
#   EMU_EXTRA    more files for the initramfs, as SRC:DST pairs

EMU_DIR		:= $(BUILD)/emu
EMU_KIMG	:= $(EMU_DIR)/kimg
EMU_STOCK	:= $(EMU_KIMG)/boot/vmlinuz-$(KVER61)
EMU_KERNEL	:= $(EMU_DIR)/vmlinuz-$(KVER61).fast
EMU_INITRD	:= $(EMU_DIR)/initramfs.cpio
EMU_KO_DEFAULT	:= $(BUILD)/kbuild/$(KVER61)/kmod/minivmm.ko
EMU_KO		?= $(EMU_KO_DEFAULT)
MINIVMM_BIN	?= $(CURDIR)/minivmm
EMU_EXTRA	?=

EMU		?= bochs
SUITE		?= smoke
CPUS		?= 1
CPU_MODEL	?=
EMU_TIMEOUT	?=
EMU_APPEND	?=
EMU_PREFIX	?=
EMU_OUT		?= $(EMU_DIR)/runs/$(EMU)-$(SUITE)-$(CPUS)cpu

.PHONY: emu emu-kernel emu-initramfs emu-smoke emu-smoke-qemu FORCE

emu-kernel: $(EMU_KERNEL)

# Debian's stock kernel package, unpacked (cached; the script is a no-op
# once the tree is complete).
$(EMU_STOCK):
	tools/emu/fetch-kernel.sh $(KVER61) $(EMU_KIMG)

# The same kernel, stored uncompressed behind a loader stub: saves ~60 s
# of XZ decompression per Bochs boot.
$(EMU_KERNEL): $(EMU_STOCK) tools/emu/repack-kernel.py tools/emu/kstub.S
	tools/emu/repack-kernel.py $< $@

# The default inputs are built here (so `make emu` alone is enough);
# overridden ones must exist, and "none" leaves them out on purpose.
ifeq ($(EMU_KO),$(EMU_KO_DEFAULT))
EMU_INITRD_DEPS	+= $(EMU_KO)
# tools/kbuild-check.sh prints PASS/FAIL lines of its own: keep them out of
# the suite's output (tools/test-all.sh counts those), show them on error.
$(EMU_KO): $(wildcard kmod/*.c kmod/*.h kmod/Kbuild include/*/*.h) dkms.conf \
		tools/kbuild-check.sh
	@mkdir -p $(EMU_DIR)
	@tools/kbuild-check.sh $(KDIR61) >$(EMU_DIR)/kbuild.log 2>&1 || \
		{ sed 's/^/  | /' $(EMU_DIR)/kbuild.log; \
		  echo "emu: cannot build $@ (log: $(EMU_DIR)/kbuild.log)"; exit 1; }
endif
ifeq ($(MINIVMM_BIN),$(CURDIR)/minivmm)
EMU_INITRD_DEPS	+= $(MINIVMM_BIN) guests
endif

# The Linux-guest suite boots Debian's stock vmlinuz (the compressed file
# from the package, unmodified) under minivmm, with a busybox initramfs.
EMU_GUEST_INITRD := $(EMU_DIR)/linux-guest.cpio
ifneq ($(filter linux bench,$(SUITE)),)
EMU_EXTRA	+= $(EMU_STOCK):/guests/vmlinuz $(EMU_GUEST_INITRD):/guests/linux-initrd.cpio
EMU_INITRD_DEPS	+= $(EMU_GUEST_INITRD)
endif

$(EMU_GUEST_INITRD): tools/emu/mkguestinitramfs.sh tools/emu/busybox-root.sh tests/emu/linux-guest/init
	tools/emu/mkguestinitramfs.sh $@

emu-initramfs: $(EMU_INITRD)

# Always rebuilt (~3 s, mostly compiling the static helpers): its inputs
# are many (suites, helpers, the module, the CLI and its libraries,
# EMU_EXTRA) and a stale one would test the wrong thing.
$(EMU_INITRD): $(EMU_STOCK) $(EMU_INITRD_DEPS) FORCE
	tools/emu/mkinitramfs.sh -o $@ -k $(EMU_KIMG) -K $(KVER61) \
		-m $(EMU_KO) -b $(MINIVMM_BIN) $(foreach x,$(EMU_EXTRA),-x $(x)) \
		$$(for g in guest-images/*.bin guest-images/*.elf; do \
			[ -e "$$g" ] && echo "-x $$g:/guests/$${g##*/}"; done)

# emu_run EMULATOR,SUITE,OUTDIR: boot one suite; the verdict is run.py's
# output and exit status.
define emu_run
	tools/emu/run.py --emulator $(1) --suite $(2) --cpus $(CPUS) \
		$(if $(CPU_MODEL),--cpu-model $(CPU_MODEL)) \
		$(if $(EMU_TIMEOUT),--timeout $(EMU_TIMEOUT)) \
		$(if $(EMU_APPEND),--append '$(EMU_APPEND)') \
		$(if $(EMU_PREFIX),--prefix $(EMU_PREFIX)) \
		--kernel $(EMU_KERNEL) --initrd $(EMU_INITRD) \
		--out $(3)
endef

emu: $(EMU_KERNEL) $(EMU_INITRD)
	$(call emu_run,$(EMU),$(SUITE),$(EMU_OUT))

emu-smoke: $(EMU_KERNEL) $(EMU_INITRD)
	$(call emu_run,bochs,smoke,$(EMU_DIR)/runs/bochs-smoke-$(CPUS)cpu)

emu-smoke-qemu: $(EMU_KERNEL) $(EMU_INITRD)
	$(call emu_run,qemu,smoke,$(EMU_DIR)/runs/qemu-smoke-$(CPUS)cpu)

# The fuzzer in Bochs, one CPU. SECONDS is its budget in guest seconds;
# SEED replays a run (the seed is the first thing it prints), OPS stops
# after that many operations (with SEED: the same sequence again), TRACE=1
# prints every operation. The timeout covers the boot (~20 s), the
# fuzzer's guest seconds (1.7-3.3 wall seconds each in Bochs, measured:
# guest time runs with the instructions emulated, not the clock) and the
# log dump.
SECONDS		?= 120
FUZZ_OUT	?= $(EMU_DIR)/runs/bochs-fuzz-$(CPUS)cpu
FUZZ_APPEND	= fuzzsecs=$(SECONDS) $(if $(SEED),fuzzseed=$(SEED)) \
		  $(if $(OPS),fuzzops=$(OPS)) $(if $(TRACE),fuzztrace=1) $(EMU_APPEND)

.PHONY: fuzz
fuzz: $(EMU_KERNEL) $(EMU_INITRD)
	tools/emu/run.py --emulator bochs --suite fuzz --cpus $(CPUS) \
		$(if $(CPU_MODEL),--cpu-model $(CPU_MODEL)) \
		--timeout $(or $(EMU_TIMEOUT),$(shell echo $$((300 + 4 * $(SECONDS))))) \
		--append '$(strip $(FUZZ_APPEND))' \
		$(if $(EMU_PREFIX),--prefix $(EMU_PREFIX)) \
		--kernel $(EMU_KERNEL) --initrd $(EMU_INITRD) \
		--out $(FUZZ_OUT)

FORCE:
