"""The layout the architecture doc describes: stages import only earlier
stages, no plain stage imports the incremental layer, no module imports
itself back through others, and every module and function stays small."""

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "generator"
ORDER = ["config", "theme", "content", "media", "plan", "search", "output"]  # the stages, in pipeline order
SHARED = {"util", "diagnostics", "stages", "progress", "store", "__init__"}
SIDE = {"incremental", "server", "tools", "intake", "build", "cli", "__main__"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else ast.walk(tree)
    names = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("generator"))
    return names


def _area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and not parts[1].startswith("__") else "__init__"


def test_stages_import_only_earlier_stages_and_never_the_incremental_layer():
    wrong = []
    for name, path in _modules().items():
        area = _area(name)
        if area not in ORDER:
            continue
        for imported in _imports(path):
            other = _area(imported)
            if other in SIDE or (other in ORDER and ORDER.index(other) > ORDER.index(area)):
                wrong.append(f"{name} imports {imported}")
    assert wrong == []


def test_the_store_knows_only_the_records_it_keeps():
    allowed = {"store", "util", "__init__", "content"}
    wrong = [f"{name} imports {imported}" for name, path in _modules().items() if _area(name) == "store"
             for imported in _imports(path) if _area(imported) not in allowed
             or (_area(imported) == "content" and imported != "generator.content"
                 and not imported.startswith(("generator.content.model", "generator.content.markdown")))]  # fmt: skip
    assert wrong == []


def test_no_import_cycles():
    modules = _modules()
    graph = {name: {m for m in _imports(path, top_level_only=True) if m in modules and m != name}
             for name, path in modules.items()}  # fmt: skip
    done, path = set(), []

    def visit(name):
        if name in path:
            raise AssertionError(" -> ".join(path[path.index(name):] + [name]))
        if name in done:
            return
        path.append(name)
        for other in sorted(graph[name]):
            visit(other)
        path.pop()
        done.add(name)

    for name in sorted(graph):
        if name.count(".") > 1 or name in ("generator",):  # a package's own __init__ is not an import edge
            visit(name)


def test_modules_and_functions_stay_small():
    top = [p.name for p in PACKAGE.glob("*.py")]
    assert len(top) <= 8, top
    long_modules = {p.relative_to(REPO).as_posix(): n for p in PACKAGE.rglob("*.py")
                    if (n := len(p.read_text().splitlines())) > 400}  # fmt: skip
    assert long_modules == {}
    long_functions = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno + 1 > 80:
                long_functions.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name}")
    assert long_functions == []


def test_every_package_says_what_goes_in_and_what_comes_out():
    for init in PACKAGE.rglob("__init__.py"):
        if init.parent == PACKAGE:
            continue
        doc = ast.get_docstring(ast.parse(init.read_text()))
        assert doc and len(doc) > 80, f"{init.relative_to(REPO)} has no docstring"
