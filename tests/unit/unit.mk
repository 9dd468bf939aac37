# SPDX-License-Identifier: GPL-2.0
# Unit tests of the ./minivmm CLI (criterion). `make unit` builds one
# runner from every tests/unit/*.c, linked with vmm/'s libvmm.a, and runs
# it; a failing test makes it exit non-zero. The tests that spawn the
# binary run $(MINIVMM_BIN) (default ./minivmm, as in tools/emu/emu.mk),
# some of them on a fake device: the LD_PRELOAD shim built from
# tests/unit/fake/.

UNIT_DIR	:= $(BUILD)/tests/unit
UNIT_RUNNER	:= $(UNIT_DIR)/vmm_tests
UNIT_SRCS	:= $(wildcard tests/unit/*.c)
UNIT_OBJS	:= $(patsubst tests/unit/%.c,$(UNIT_DIR)/%.o,$(UNIT_SRCS)) \
		   $(UNIT_DIR)/kmod_mmio_decode.o
UNIT_FAKE_SO	:= $(UNIT_DIR)/fake_minivmm.so
UNIT_FAKE_SRCS	:= tests/unit/fake/fake_minivmm.c tests/unit/fake/fake_vm.c \
		   tests/unit/bochs_caps.c
# `=`: pkg-config runs only when the tests are built (see vmm.mk).
UNIT_CPPFLAGS	= $(VMM_CPPFLAGS) -I$(CURDIR)/vmm \
		   -DMINIVMM_BIN_DEFAULT='"$(VMM_BIN)"' \
		   -DFAKE_MINIVMM_SO='"$(UNIT_FAKE_SO)"' \
		   -DMINIVMM_SRCDIR='"$(CURDIR)"' \
		   $(shell pkg-config --cflags criterion)
UNIT_LDLIBS	= $(shell pkg-config --libs criterion) $(VMM_LDLIBS)
MINIVMM_BIN	?= $(VMM_BIN)
# Flags for the runner itself, e.g. UNIT_ARGS='--filter=json/*'.
UNIT_ARGS	?=

unit: $(UNIT_RUNNER) $(UNIT_FAKE_SO) $(VMM_BIN)
	MINIVMM_BIN=$(MINIVMM_BIN) $(UNIT_RUNNER) $(UNIT_ARGS)

$(UNIT_RUNNER): $(UNIT_OBJS) $(VMM_LIB)
	$(CC) $(VMM_LDFLAGS) -o $@ $^ $(UNIT_LDLIBS)

# dkms.conf: the version (-DMINIVMM_VERSION) some tests compare against.
$(UNIT_DIR)/%.o: tests/unit/%.c dkms.conf | $(UNIT_DIR) unit-pkgs
	$(CC) $(UNIT_CPPFLAGS) $(VMM_CFLAGS) -c -o $@ $<

# The module's MMIO decoder is plain C on purpose: tested here as is.
$(UNIT_DIR)/kmod_mmio_decode.o: kmod/mmio_decode.c kmod/mmio_decode.h | $(UNIT_DIR)
	$(CC) $(VMM_CPPFLAGS) $(VMM_CFLAGS) -c -o $@ $<

# Built from the sources directly: it needs -fPIC, the runner's objects not.
$(UNIT_FAKE_SO): $(UNIT_FAKE_SRCS) tests/unit/bochs_caps.h tests/unit/fake/fake.h \
		$(wildcard include/*/*.h) | $(UNIT_DIR)
	$(CC) $(VMM_CPPFLAGS) -std=gnu11 $(VMM_OPTFLAGS) $(VMM_WARNFLAGS) \
		-fPIC -shared -o $@ $(UNIT_FAKE_SRCS) -ldl

.PHONY: unit-pkgs
unit-pkgs:
	$(call pkg_check,criterion $(VMM_PKGS),libcriterion-dev libelf-dev libcap-dev)

$(UNIT_DIR):
	@mkdir -p $@

-include $(UNIT_OBJS:.o=.d)
