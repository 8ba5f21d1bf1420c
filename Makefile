# buyerjourney - PGXS build.
#
#   make                 build the extension (WERROR=1 adds -Werror)
#   make install         install into the PostgreSQL of $(PG_CONFIG)
#   make installcheck    pg_regress (sql/, expected/) and isolation (test/isolation/)
#   make unit            build and run the plain-C core unit tests (test/unit/)
#   make ltv-unit        build and run the lifetime-value math tests (test/ltv/)

EXTENSION = buyerjourney
EXTVERSION = 1.3.0
MODULE_big = buyerjourney

# Domain core (src/core, no PostgreSQL headers) and PostgreSQL glue (src).
CORE_SRCS = $(sort $(wildcard src/core/*.c))
GLUE_SRCS = $(sort $(wildcard src/*.c))
OBJS = $(CORE_SRCS:.c=.o) $(GLUE_SRCS:.c=.o)

# The install script of this version and the upgrade scripts are assembled
# from schema/; the install scripts of released versions are kept as they
# were released (upgrade/), so that a test can install one and update it.
DATA_built = $(EXTENSION)--$(EXTVERSION).sql $(EXTENSION)--1.2.0--$(EXTVERSION).sql
DATA = $(wildcard upgrade/$(EXTENSION)--*.sql)

# The schema/ files 1.2.0 added, in dependency order, appended to the install
# script.
SCHEMA_1_2 = schema/history_table.sql schema/triggers_using_process.sql schema/charts.sql
# and those 1.3.0 added (each included by its file in schema/upgrade-1.3.0).
SCHEMA_1_3 = schema/citus_twins.sql

# 1.2.0 -> 1.3.0: the DDL that brings a 1.2.0 catalog to what a fresh install
# of this version makes, one file per topic, applied in name order.
# test/upgrade compares an updated database with a fresh install.
UPGRADE_1_3 = $(sort $(wildcard schema/upgrade-1.3.0/*.sql))

# One file per concern, in dependency order.
REGRESS = types_input types_output_labels types_ordering types_casts types_binary types_parallel types_nonutf8 process_rules process_editing transition_trigger transition_moves pipeline_funnel pipeline_value pipeline_timeline pipeline_onepass onepass_answers window_funnel_clickhouse reader_durations state_handover ltv_summary ltv_models ltv_readers state_rejections charts charts_locale civil_dates exact_velocity produced_states infinite_times citus_twins
REGRESS_OPTS = --encoding=UTF8

# Concurrency specs (test/isolation/specs, expected in test/isolation/expected).
ISOLATION = concurrent_moves process_cache
ISOLATION_OPTS = --inputdir=test/isolation --encoding=UTF8

PG_CONFIG ?= pg_config
# PostgreSQL's own headers are system headers: -Wextra warns about their unused
# parameters, which we cannot fix.
PG_CPPFLAGS = -I$(srcdir)/src/core -isystem $(shell $(PG_CONFIG) --includedir-server)
PG_CFLAGS = -Wall -Wextra
ifdef WERROR
PG_CFLAGS += -Werror
endif
EXTRA_CLEAN = test/unit/run_unit_tests test/ltv/run_ltv_tests $(FUZZ_TARGETS) test/fuzz/*.corpus test/fuzz/*.log results regression.diffs regression.out output_iso

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

SHLIB_LINK += $(ICU_LIBS)

# PGXS tracks no header dependencies: rebuild everything when a header changes.
$(OBJS): $(wildcard src/core/*.h src/*.h)

# Aggregate state and result types, from schema/state_type.sql.in, by the
# version that added them: name/storage.
STATE_TYPES_1_0 = 'journey/INTERNALLENGTH = 24, ALIGNMENT = double, STORAGE = plain' \
                  'funnel/INTERNALLENGTH = 368, ALIGNMENT = double, STORAGE = plain' \
                  'velocity/INTERNALLENGTH = 56, ALIGNMENT = double, STORAGE = plain' \
                  'timeline/INTERNALLENGTH = VARIABLE, STORAGE = extended'
STATE_TYPES_1_1 = 'stage_durations/INTERNALLENGTH = 520, ALIGNMENT = double, STORAGE = plain' \
                  'window_counts/INTERNALLENGTH = 424, ALIGNMENT = double, STORAGE = plain' \
                  'customer_summary/INTERNALLENGTH = VARIABLE, STORAGE = extended' \
                  'bgnbd_model/INTERNALLENGTH = 80, ALIGNMENT = double, STORAGE = plain' \
                  'gammagamma_model/INTERNALLENGTH = 56, ALIGNMENT = double, STORAGE = plain'
# $(call state_types,LIST,FILE): append the template for each type.
state_types = for state in $(1); do \
		sed -e "s/@STATE@/$${state%%/*}/g" -e "s/@STORAGE@/$${state\#*/}/" schema/state_type.sql.in >> $(2); \
	done

# The install script: header, then each type from the shared template plus
# its own extras.
$(EXTENSION)--$(EXTVERSION).sql: schema/00_header.sql schema/value_type.sql.in schema/state_type.sql.in schema/journey_stage.sql schema/lifecycle_phase.sql schema/processes.sql schema/pipeline.sql schema/timeline.sql schema/onepass.sql schema/ltv.sql $(SCHEMA_1_2) $(SCHEMA_1_3)
	cat schema/00_header.sql > $@.tmp
	sed -e 's/@TYPE@/journey_stage/g' -e 's/@NOUN@/stage/g' -e 's/@PLURAL@/journey_stages/g' \
	    -e 's/@FIRST@/unaware/g' -e 's/@LAST@/8/g' schema/value_type.sql.in >> $@.tmp
	cat schema/journey_stage.sql >> $@.tmp
	sed -e 's/@TYPE@/lifecycle_phase/g' -e 's/@NOUN@/phase/g' -e 's/@PLURAL@/lifecycle_phases/g' \
	    -e 's/@FIRST@/introduction/g' -e 's/@LAST@/4/g' schema/value_type.sql.in >> $@.tmp
	cat schema/lifecycle_phase.sql >> $@.tmp
	cat schema/processes.sql >> $@.tmp
	$(call state_types,$(STATE_TYPES_1_0) $(STATE_TYPES_1_1),$@.tmp)
	cat schema/pipeline.sql >> $@.tmp
	cat schema/timeline.sql >> $@.tmp
	cat schema/onepass.sql >> $@.tmp
	cat schema/ltv.sql >> $@.tmp
	for file in $(SCHEMA_1_2) $(SCHEMA_1_3); do cat $$file >> $@.tmp; done
	mv $@.tmp $@

# 1.2.0 -> 1.3.0.  (Released scripts, install and upgrade, are kept in
# upgrade/ as released.)
# The topic files include what they (re)create from the schema files, where
# it is written once (scripts/include_regions.awk).
$(EXTENSION)--1.2.0--$(EXTVERSION).sql: schema/upgrade_header.sql $(UPGRADE_1_3) $(wildcard schema/*.sql) scripts/include_regions.awk
	cat schema/upgrade_header.sql > $@.tmp
	awk -v updates=schema/upgrade-1.3.0/ -f scripts/include_regions.awk $(wildcard schema/*.sql) $(UPGRADE_1_3) >> $@.tmp
	mv $@.tmp $@

# Core unit tests: plain C plus ICU, no server; run with sanitizers.
UNIT_CFLAGS = -std=c99 -g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined -fno-omit-frame-pointer -Isrc/core
test/unit/run_unit_tests: $(CORE_SRCS) $(wildcard test/unit/*.c test/unit/*.h) $(wildcard src/core/*.h)
	$(CC) $(UNIT_CFLAGS) -o $@ $(sort $(wildcard test/unit/*.c)) $(CORE_SRCS) $(ICU_LIBS) -lm

unit: test/unit/run_unit_tests
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 test/unit/run_unit_tests

# The lifetime-value math (src/core/bj_ltv*.c, bj_bgnbd*.c, bj_gammagamma.c,
# bj_optim.c): CDNOW fits against the published estimates, predictions
# against an mpmath reference (test/ltv/reference.csv, made by
# test/ltv/reference.py), gradients, hostile input, timings.
LTV_SRCS = $(addprefix src/core/,bj_interrupt.c bj_ltv.c bj_optim.c bj_bgnbd.c bj_bgnbd_predict.c bj_gammagamma.c)
CDNOW ?= $(srcdir)/test/data/cdnow
test/ltv/run_ltv_tests: $(LTV_SRCS) $(wildcard src/core/bj_ltv*.h test/ltv/*.c test/ltv/*.h)
	$(CC) -std=c99 -O2 -g -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=all \
		-Isrc/core -o $@ $(LTV_SRCS) $(sort $(wildcard test/ltv/*.c)) -lm

ltv-unit: test/ltv/run_ltv_tests
	test/ltv/run_ltv_tests $(CDNOW) test/ltv/reference.csv

# Coverage-guided fuzzing (libFuzzer, clang): the text parser, the state
# decoders, and differentially against naive references the one-pass
# aggregates' core (fuzz_onepass) and the velocity and customer-summary
# merges (fuzz_merges).  `make fuzz-smoke` runs each target FUZZ_SECONDS from
# its corpus in test/fuzz/corpus (scripts/test: 20 s each, 80 s in all);
# FUZZ_SECONDS=600 for longer runs.
FUZZ_TARGETS = test/fuzz/fuzz_parse test/fuzz/fuzz_forms test/fuzz/fuzz_onepass test/fuzz/fuzz_merges
FUZZ_SECONDS ?= 20
FUZZ_CC ?= clang
test/fuzz/fuzz_%: test/fuzz/fuzz_%.c test/unit/unit_heap.c $(CORE_SRCS) $(wildcard src/core/*.h)
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Isrc/core -Itest/unit -o $@ $< test/unit/unit_heap.c $(CORE_SRCS) $(ICU_LIBS) -lm

fuzz-smoke: $(FUZZ_TARGETS)
	for target in $(FUZZ_TARGETS); do \
		mkdir -p $$target.corpus; \
		if ! $$target -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -print_final_stats=1 \
				$$target.corpus test/fuzz/corpus/$$(basename $$target) > $$target.log 2>&1; then \
			tail -60 $$target.log; exit 1; \
		fi; \
		echo "$$(basename $$target): $$(grep -o 'number_of_executed_units: *[0-9]*' $$target.log | grep -o '[0-9]*$$') inputs, $$(grep -o 'DONE *cov: [0-9]*' $$target.log | grep -o '[0-9]*$$') edges covered, no failure"; \
	done

.PHONY: unit ltv-unit fuzz-smoke
