# SPDX-License-Identifier: GPL-2.0
# The ./minivmm CLI. Everything but main.c goes into libvmm.a, so the unit
# tests (tests/unit/unit.mk) link exactly the objects the binary uses.
# `make minivmm WERROR=1` turns warnings into errors (for CI).

VMM_DIR		:= $(BUILD)/vmm
VMM_BIN		:= $(CURDIR)/minivmm
VMM_LIB		:= $(VMM_DIR)/libvmm.a
VMM_SRCS	:= $(wildcard vmm/*.c)
VMM_OBJS	:= $(patsubst vmm/%.c,$(VMM_DIR)/%.o,$(VMM_SRCS))
VMM_LIB_OBJS	:= $(filter-out $(VMM_DIR)/main.o,$(VMM_OBJS))

# The one version string: PACKAGE_VERSION in dkms.conf (see there why),
# parsed as kmod/Kbuild does. Every object depends on dkms.conf because
# -MMD cannot see a -D flag change.
MINIVMM_VERSION	:= $(shell sed -n 's/^PACKAGE_VERSION="\([^"]*\)"$$/\1/p' dkms.conf)
ifeq ($(MINIVMM_VERSION),)
$(error dkms.conf: no PACKAGE_VERSION="X.Y.Z" line)
endif

# Shared with unit.mk. CC defaults to cc; VMM_OPTFLAGS can be overridden.
VMM_OPTFLAGS	?= -O2 -g
VMM_WARNFLAGS	:= -Wall -Wextra $(if $(WERROR),-Werror)
VMM_CPPFLAGS	:= -I$(CURDIR)/include -D_GNU_SOURCE \
		   -DMINIVMM_VERSION='"$(MINIVMM_VERSION)"'
VMM_CFLAGS	:= -std=gnu11 $(VMM_OPTFLAGS) $(VMM_WARNFLAGS) -MMD -MP
VMM_LDFLAGS	:= -g
VMM_LDLIBS	:= -lcap -lelf

minivmm: $(VMM_BIN)

$(VMM_BIN): $(VMM_DIR)/main.o $(VMM_LIB)
	$(CC) $(VMM_LDFLAGS) -o $@ $^ $(VMM_LDLIBS)

$(VMM_LIB): $(VMM_LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(VMM_DIR)/%.o: vmm/%.c dkms.conf | $(VMM_DIR)
	$(CC) $(VMM_CPPFLAGS) $(VMM_CFLAGS) -c -o $@ $<

$(VMM_DIR):
	@mkdir -p $@

-include $(VMM_OBJS:.o=.d)
