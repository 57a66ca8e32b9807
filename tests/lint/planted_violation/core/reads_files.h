// A planted layering violation for tests/lint: check-layering.py must reject this tree.
#pragma once

#include <fstream>

#include "store/store.h"
