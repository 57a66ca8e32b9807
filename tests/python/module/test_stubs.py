"""The type stubs (__init__.pyi) describe the functions as they are, and help() has text."""

import ast
import inspect
import os
import pydoc

import cryptomood

PUBLIC_FUNCTIONS = ["analyze", "causality", "diagnostics", "load", "series", "simulate"]


def stub_functions():
    path = os.path.join(os.path.dirname(cryptomood.__file__), "__init__.pyi")
    with open(path, encoding="utf-8") as stub:
        tree = ast.parse(stub.read())
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def stub_parameters(node):
    """(name, kind, has default) of each parameter of a stub's function."""
    arguments = node.args
    positional = arguments.posonlyargs + arguments.args
    defaults = [False] * (len(positional) - len(arguments.defaults)) + [True] * len(
        arguments.defaults)
    result = [(argument.arg, "positional", default)
              for argument, default in zip(positional, defaults)]
    result += [(argument.arg, "keyword", default is not None)
               for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults)]
    return result


def runtime_parameters(function):
    kinds = {inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional",
             inspect.Parameter.KEYWORD_ONLY: "keyword"}
    return [(parameter.name, kinds[parameter.kind],
             parameter.default is not inspect.Parameter.empty)
            for parameter in inspect.signature(function).parameters.values()]


def test_every_public_function_has_a_matching_stub():
    stubs = stub_functions()
    assert sorted(name for name in stubs if not name.startswith("_")) == PUBLIC_FUNCTIONS
    for name in PUBLIC_FUNCTIONS:
        assert stub_parameters(stubs[name]) == runtime_parameters(getattr(cryptomood, name)), name


def test_help_documents_every_public_function():
    for name in PUBLIC_FUNCTIONS:
        text = pydoc.render_doc(getattr(cryptomood, name), renderer=pydoc.plaintext)
        assert len(inspect.getdoc(getattr(cryptomood, name))) > 200, name
        assert name in text
    assert "Ctrl-C" in pydoc.render_doc(cryptomood, renderer=pydoc.plaintext)


def test_version_and_commit_are_the_binarys(cli):
    """The module reports the version and commit `cryptomood --version` prints."""
    import subprocess
    printed = subprocess.run([cli, "--version"], check=True, capture_output=True,
                             text=True).stdout.strip()
    assert printed == f"cryptomood {cryptomood.__version__} (commit {cryptomood.__commit__})"
    assert cryptomood.__version__.count(".") == 2
    assert len(cryptomood.__commit__) >= 7
