#!/usr/bin/env python3
"""clang-tidy over one translation unit, skipped when an earlier run found the same input clean.

Usage: tidy-cached.py BUILD_DIR FILE   (BUILD_DIR holds compile_commands.json)

clang-tidy keeps no cache of its own, and most of test.sh's tidy step re-checks files nothing
has touched. The key holds everything the verdict depends on: clang-tidy's version, the
.clang-tidy file, the file's compile command and its preprocessed text (every header it
includes, as the compiler sees them), with the clone's path replaced so that clones in other
folders share entries. Only clean verdicts are stored; a file with findings is checked again
every run. Exit status and output are clang-tidy's. CRYPTOMOOD_TIDY_CACHE=off checks every
file; CRYPTOMOOD_TIDY_CACHE=DIR stores the verdicts there (default ~/.cache/cryptomood-tidy).
"""

import hashlib
import json
import os
import pathlib
import shlex
import subprocess
import sys


def compile_command(build_dir, source):
    entries = json.loads((build_dir / "compile_commands.json").read_text(encoding="utf-8"))
    for entry in entries:
        if pathlib.Path(entry["directory"], entry["file"]).resolve() == source:
            arguments = entry.get("arguments") or shlex.split(entry["command"])
            return entry["directory"], arguments
    return None, None


def preprocess_arguments(arguments):
    """The compile command with -c and -o OUT replaced by -E to standard output."""
    kept = []
    skip_next = False
    for argument in arguments:
        if skip_next:
            skip_next = False
        elif argument == "-o":
            skip_next = True
        elif argument != "-c" and not argument.startswith("-o"):
            kept.append(argument)
    return kept + ["-E", "-P", "-o", "-"]


def cache_key(repo_root, directory, arguments):
    digest = hashlib.sha256()
    root = str(repo_root).encode()
    version = subprocess.run(["clang-tidy", "--version"], capture_output=True, check=True)
    digest.update(version.stdout)
    digest.update((repo_root / ".clang-tidy").read_bytes())
    digest.update(" ".join(arguments).encode().replace(root, b"@ROOT@"))
    preprocessed = subprocess.run(preprocess_arguments(arguments), cwd=directory,
                                  capture_output=True, check=False)
    if preprocessed.returncode != 0:
        return None  # clang-tidy reports whatever the compiler does not accept
    digest.update(preprocessed.stdout.replace(root, b"@ROOT@"))
    return digest.hexdigest()


def main():
    build_dir = pathlib.Path(sys.argv[1]).resolve()
    source = pathlib.Path(sys.argv[2]).resolve()
    repo_root = pathlib.Path(__file__).resolve().parent.parent
    tidy = ["clang-tidy", "-p", str(build_dir), "--quiet", str(source)]
    setting = os.environ.get("CRYPTOMOOD_TIDY_CACHE", "")
    if setting == "off":
        return subprocess.run(tidy, check=False).returncode
    cache_dir = pathlib.Path(setting or pathlib.Path.home() / ".cache" / "cryptomood-tidy")
    directory, arguments = compile_command(build_dir, source)
    key = cache_key(repo_root, directory, arguments) if arguments else None
    marker = cache_dir / key if key else None
    if marker is not None and marker.exists():
        return 0
    status = subprocess.run(tidy, check=False).returncode
    if status == 0 and marker is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        marker.write_text(str(source.relative_to(repo_root)) + "\n", encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
