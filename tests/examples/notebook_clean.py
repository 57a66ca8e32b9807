"""Checks that committed notebooks carry no outputs, so that they stay small, diff well and
are judged only by executing them (examples.notebook).

Usage: notebook_clean.py NOTEBOOK...
Exit status 0 when every cell is clean, 1 listing each cell that is not (outputs, an
execution count), 2 when a file is not a valid notebook.
"""

import sys

import nbformat


def dirty_cells(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        if cell.outputs:
            yield f"{path}: cell {number} ({cell.get('id', '?')}) holds {len(cell.outputs)} outputs"
        if cell.execution_count is not None:
            yield f"{path}: cell {number} ({cell.get('id', '?')}) holds an execution count"


def main(paths):
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    problems = []
    for path in paths:
        try:
            problems.extend(dirty_cells(path))
        except (OSError, ValueError, nbformat.ValidationError) as error:
            print(f"{path}: not a valid notebook: {error}", file=sys.stderr)
            return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("clear them: python3 -m jupyter nbconvert --clear-output --inplace NOTEBOOK",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
