#!/usr/bin/env python3
"""Fails when a file under src/ includes a layer it must not, or when src/core reaches for I/O.

Layers and what each may include (docs/architecture.md): dependencies point one way,
core <- io <- store <- http, stream (beside http) <- cli; python uses core and io only.
src/core holds no I/O: it may include the standard library, Boost.Math and Eigen, never a header
that opens files, sockets or terminals. One exception, listed in CORE_SYSTEM_EXCEPTIONS: the
huge-page allocator (core/huge_page_allocator.h) calls the operating system for memory through
<sys/mman.h> (madvise; it reads no file), because core's MarketData keeps its series in it. No
other core file may include a system header of that kind.

    scripts/check-layering.py [SRC_DIR]     (default: the src/ beside this script)

Prints one line per violation, FILE:LINE: what and why, and exits 1 if there is any.
"""

import pathlib
import re
import sys

ALLOWED = {
    "core": {"core"},
    "io": {"core", "io"},
    "store": {"core", "io", "store"},
    "http": {"core", "io", "store", "http"},
    "stream": {"core", "io", "store", "stream"},
    "python": {"core", "io", "python"},
    "cli": {"core", "io", "store", "http", "stream", "cli"},
}

# Headers that do I/O (files, streams, descriptors, sockets, databases, brokers, parsers of
# external text): none of them belongs in src/core.
CORE_FORBIDDEN = re.compile(
    r"^(cstdio|stdio\.h|fstream|iostream|istream|ostream|filesystem|fcntl\.h|unistd\.h|"
    r"sys/(socket|stat|types)\.h|netinet/.*|arpa/.*|sqlite3\.h|libpq-fe\.h|librdkafka/.*|"
    r"simdjson\.h|rapidjson/.*|fmt/.*|boost/(asio|beast)/?.*|CLI/.*|pybind11/.*|zlib\.h|"
    r"zstd\.h)$")

# System headers core may include only in the files named here (path under src/ -> headers).
CORE_SYSTEM_HEADER = re.compile(r"^sys/.*$")
CORE_SYSTEM_EXCEPTIONS = {
    "core/huge_page_allocator.h": {"sys/mman.h"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]')


def violations(src: pathlib.Path):
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".h", ".cc") or not path.is_file():
            continue
        layer = path.relative_to(src).parts[0]
        if layer not in ALLOWED:
            yield f"{path}: unknown layer '{layer}' (add it to scripts/check-layering.py)"
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = INCLUDE.match(line)
            if not match:
                continue
            kind, header = match.groups()
            included_layer = header.split("/")[0]
            if kind == '"' and included_layer in ALLOWED and included_layer not in ALLOWED[layer]:
                yield (f"{path}:{number}: {layer} includes {header}: {layer} may include only "
                       f"{', '.join(sorted(ALLOWED[layer]))}")
            if layer == "core" and kind == "<" and CORE_FORBIDDEN.match(header):
                yield f"{path}:{number}: core includes <{header}>: core does no I/O"
            elif (layer == "core" and kind == "<" and CORE_SYSTEM_HEADER.match(header) and
                  header not in CORE_SYSTEM_EXCEPTIONS.get(path.relative_to(src).as_posix(), ())):
                yield (f"{path}:{number}: core includes <{header}>: core calls the operating "
                       f"system only where scripts/check-layering.py lists an exception")


def main() -> int:
    src = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else (
        pathlib.Path(__file__).resolve().parent.parent / "src")
    found = list(violations(src))
    for line in found:
        print(line)
    print(f"check-layering: {len(found)} violation(s) in {src}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
