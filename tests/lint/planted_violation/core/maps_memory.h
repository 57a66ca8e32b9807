// A planted layering violation for tests/lint: only core/huge_page_allocator.h may call the
// operating system for memory, so check-layering.py must reject this file.
#pragma once

#include <sys/mman.h>
