"""Mutation testing of the critical modules: does a broken rule make their own tests fail?

Usage: ``.venv/bin/python scripts/mutation.py [MODULE ...] [--list]`` (``make mutation``).

mutmut 3 only mutates code inside functions (its trampoline swaps whole functions), so the
tables these modules are made of (transitions, role → capabilities, export types) would never
be mutated; this runner mutates the whole module instead. Each mutant is one change of the
syntax tree:

- comparison flipped (``==``/``!=``, ``<``/``>=``, ``<``/``<=``, ``in``/``not in``, ``is``/``is not``);
- ``and``/``or`` swapped, ``&``/``|`` swapped, ``+``/``-`` swapped, a ``not`` dropped;
- a condition dropped (``if c`` → ``if True`` and ``if False``, same for ``x if c else y``
  and comprehension filters);
- one entry removed from a dict or set literal (table rows, actors, capabilities);
- a returned value replaced by ``None`` (a returned ``True``/``False`` flipped);
- an integer constant changed (n → n + 1), ``True``/``False`` flipped, a Django lookup's
  boundary moved (``__lte`` ↔ ``__lt``, ``__gte`` ↔ ``__gt``).

Strings are never mutated: messages for users are not rules. A line ending in
``# pragma: no mutate`` is skipped (for an equivalent mutant, with the reason beside it).

The module's files are never written: each mutant runs pytest in a forked child process whose
import system serves the mutated source under the module's name, so other work in the checkout
(and other test runs) is undisturbed. A mutant is killed when the module's test files fail (or time
out); it survives when they pass.
"""

import argparse
import ast
import copy
import importlib.abc
import importlib.metadata
import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "observatoire.settings.test"

# Each module with only its own test files.
MODULES = {
    "signalements/workflow.py": [
        "tests/signalements/test_transitions.py",
        "tests/signalements/test_workflow.py",
    ],
    "observatoire/opendata/services.py": [
        "tests/opendata/test_publication_rules.py",
        "tests/opendata/test_publication.py",
    ],
    "observatoire/accounts/perms.py": [
        "tests/accounts/test_scope.py",
        "tests/accounts/test_permission_matrix.py",
    ],
    "gouvernance/acces.py": [
        "tests/gouvernance/test_acces_rules.py",
        "tests/gouvernance/test_acces_partenaires.py",
        "tests/gouvernance/test_audit.py",
    ],
    "observatoire/accounts/roles.py": ["tests/accounts/test_permission_matrix.py"],
    "signalements/availability.py": ["tests/signalements/test_activation.py"],
    "foncier/dvf/aggregate.py": ["tests/foncier/test_dvf_aggregate.py", "tests/foncier/test_dvf.py"],
}

COMPARISONS = {
    ast.Eq: [ast.NotEq],
    ast.NotEq: [ast.Eq],
    ast.Lt: [ast.GtE, ast.LtE],
    ast.LtE: [ast.Gt, ast.Lt],
    ast.Gt: [ast.LtE, ast.GtE],
    ast.GtE: [ast.Lt, ast.Gt],
    ast.In: [ast.NotIn],
    ast.NotIn: [ast.In],
    ast.Is: [ast.IsNot],
    ast.IsNot: [ast.Is],
}
BINARY = {ast.BitAnd: ast.BitOr, ast.BitOr: ast.BitAnd, ast.Add: ast.Sub, ast.Sub: ast.Add}
LOOKUPS = {"__lte": "__lt", "__lt": "__lte", "__gte": "__gt", "__gt": "__gte"}


class Mutator(ast.NodeTransformer):
    """Walks the tree counting mutation sites; applies the one numbered ``target`` (-1: none)."""

    def __init__(self, target, skipped_lines):
        self.target = target
        self.skipped_lines = skipped_lines
        self.sites = []  # (line, description) of every site, in walk order
        self.applied = None

    def hit(self, anchor, description):
        """Register one mutant at ``anchor``'s line; True when it is the one to apply."""
        if anchor.lineno in self.skipped_lines:
            return False
        self.sites.append((anchor.lineno, description))
        if len(self.sites) - 1 == self.target:
            self.applied = (anchor.lineno, description)
            return True
        return False

    def visit_Compare(self, node):
        self.generic_visit(node)
        for i, op in enumerate(list(node.ops)):
            for replacement in COMPARISONS.get(type(op), []):
                if self.hit(node, f"{type(op).__name__} → {replacement.__name__}"):
                    node.ops[i] = replacement()
        return node

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        other = ast.Or if isinstance(node.op, ast.And) else ast.And
        if self.hit(node, f"{type(node.op).__name__} → {other.__name__}"):
            node.op = other()
        return node

    def visit_BinOp(self, node):
        self.generic_visit(node)
        other = BINARY.get(type(node.op))
        if other and self.hit(node, f"{type(node.op).__name__} → {other.__name__}"):
            node.op = other()
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Not) and self.hit(node, "not dropped"):
            return node.operand
        return node

    def _conditions(self, node):
        test = node.test
        for value in (True, False):
            if self.hit(test, f"condition → {value}"):
                node.test = ast.Constant(value)
        return node

    def visit_If(self, node):
        self.generic_visit(node)
        return self._conditions(node)

    def visit_IfExp(self, node):
        self.generic_visit(node)
        return self._conditions(node)

    def visit_comprehension(self, node):
        self.generic_visit(node)
        for i, condition in enumerate(list(node.ifs)):
            for value in (True, False):
                if self.hit(condition, f"filter → {value}"):
                    node.ifs[i] = ast.Constant(value)
        return node

    def _remove_each(self, node, *fields):
        removed = None
        labels = [
            key or value
            for key, value in zip(getattr(node, fields[0]), getattr(node, fields[-1]), strict=True)
        ]
        for i, element in enumerate(list(getattr(node, fields[-1]))):
            if self.hit(element, f"entry removed: {ast.unparse(labels[i])[:60]}"):
                removed = i
        if removed is not None:
            for field in fields:
                del getattr(node, field)[removed]
        return node

    def visit_Dict(self, node):
        self.generic_visit(node)
        return self._remove_each(node, "keys", "values")

    def visit_Set(self, node):
        self.generic_visit(node)
        return self._remove_each(node, "elts")

    def visit_Return(self, node):
        self.generic_visit(node)
        value = node.value
        if value is None or (isinstance(value, ast.Constant) and value.value is None):
            return node
        if isinstance(value, ast.Constant) and isinstance(value.value, bool):
            if self.hit(node, f"return {not value.value}"):
                node.value = ast.Constant(not value.value)
        elif self.hit(node, "return None"):
            node.value = ast.Constant(None)
        return node

    def visit_Constant(self, node):
        if isinstance(node.value, bool):
            if self.hit(node, f"{node.value} → {not node.value}"):
                return ast.Constant(not node.value)
        elif isinstance(node.value, int) and self.hit(node, f"{node.value} → {node.value + 1}"):
            return ast.Constant(node.value + 1)
        return node

    def visit_JoinedStr(self, node):
        return node  # messages: not rules

    def visit_keyword(self, node):
        self.generic_visit(node)
        for suffix, other in LOOKUPS.items():
            if node.arg and node.arg.endswith(suffix):
                if self.hit(node.value, f"{node.arg} → {node.arg[: -len(suffix)] + other}"):
                    node.arg = node.arg[: -len(suffix)] + other
                break
        return node


def skipped_lines(source):
    return {
        n for n, line in enumerate(source.splitlines(), 1) if line.rstrip().endswith("# pragma: no mutate")
    }


def mutants(path):
    """Yield (line, description, mutated source) for every site of the module at ``path``."""
    source = path.read_text()
    tree = ast.parse(source)
    skipped = skipped_lines(source)
    counter = Mutator(-1, skipped)
    counter.visit(copy.deepcopy(tree))
    for index in range(len(counter.sites)):
        mutator = Mutator(index, skipped)
        mutated = ast.fix_missing_locations(mutator.visit(copy.deepcopy(tree)))
        line, description = mutator.applied
        yield line, description, ast.unparse(mutated)


class _MutantFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves the mutated source under the module's name (and its real file name)."""

    def __init__(self, name, origin, source):
        self.name, self.origin, self.source = name, origin, source

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        return importlib.util.spec_from_file_location(fullname, self.origin, loader=self)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        exec(compile(self.source, self.origin, "exec"), module.__dict__)  # noqa: S102 - the mutant


# Plugins these test files do not use: pytest would rewrite the asserts of their whole packages.
UNUSED_PLUGINS = [
    "xdist",
    "xdist.looponfail",
    "faker",
    "anyio",
    "hypothesispytest",
    "schemathesis",
    "cacheprovider",
]
PROJECT_PACKAGES = {"observatoire", "signalements", "gouvernance", "foncier", "habitat", "mobilite", "tests"}


def preload_libraries():
    """Import, once, the libraries the tests load (Django, pytest, numpy…), not the project's modules.

    Each mutant then runs in a fork of this process: it skips the seconds of imports, and still
    imports the project (so the mutant is what it gets).
    """
    listing = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, django, pytest, pytest_django; django.setup(); print(*sys.modules)",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    # pytest's plugins must be imported by pytest itself, which rewrites their asserts.
    plugins = {
        entry.value.split(".")[0].split(":")[0] for entry in importlib.metadata.entry_points(group="pytest11")
    }
    for name in listing:
        if name.split(".")[0] not in PROJECT_PACKAGES | plugins and name != "__main__":
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001, S112 - needs Django's apps: imported by the tests themselves
                continue


def run_pytest(test_files, module_path=None, source=None, timeout=None):
    """Run the test files in a fork, with the mutant's ``source`` served for ``module_path``."""
    args = [*test_files, "-x", "-q", "--reuse-db", *(f"-pno:{plugin}" for plugin in UNUSED_PLUGINS)]
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 3
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            if source is not None:
                name = module_path.removesuffix(".py").replace("/", ".")
                sys.meta_path.insert(0, _MutantFinder(name, str(ROOT / module_path), source))
            import pytest

            code = pytest.main(args)
        finally:
            os._exit(int(code))
    deadline = time.monotonic() + timeout if timeout else None
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            return "passed" if code == 0 else f"failed ({code})"
        if deadline and time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout"
        time.sleep(0.2)


def mutate_module(module_path, verbose, match=None):
    test_files = MODULES[module_path]
    started = time.monotonic()
    if run_pytest(test_files) != "passed":
        sys.exit(f"{module_path}: its tests fail without any mutant: fix them first.")
    # That run re-imported the reference data: the mutants' runs may keep it.
    os.environ["TESTS_REFERENCE_DATA_FRESH"] = "1"
    timeout = 3 * (time.monotonic() - started) + 30
    killed, survivors = 0, []
    all_mutants = [m for m in mutants(ROOT / module_path) if not match or match in f"{m[0]} {m[1]}"]
    for number, (line, description, source) in enumerate(all_mutants, 1):
        outcome = run_pytest(test_files, module_path, source, timeout)
        if outcome == "passed":
            survivors.append((line, description))
        else:
            killed += 1
        if verbose:
            print(
                f"  [{number}/{len(all_mutants)}] {module_path}:{line} {description}: {outcome}", flush=True
            )
    # A test broken meanwhile by another change would have "killed" mutants: check it did not happen.
    if run_pytest(test_files) != "passed":
        sys.exit(f"{module_path}: its tests fail without any mutant after the run: the scores are void.")
    return killed, len(all_mutants), survivors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="paths of modules (default: all of them)")
    parser.add_argument("--list", action="store_true", help="list the mutants without running them")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each mutant's outcome")
    parser.add_argument("--match", help="only the mutants whose « line description » contains this text")
    options = parser.parse_args()
    modules = options.modules or list(MODULES)
    if options.list:
        for module_path in modules:
            for line, description, _ in mutants(ROOT / module_path):
                print(f"{module_path}:{line} {description}")
        return 0
    os.chdir(ROOT)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    preload_libraries()
    results = {}
    for module_path in modules:
        killed, total, survivors = mutate_module(module_path, options.verbose, options.match)
        results[module_path] = (killed, total)
        print(f"{module_path}: {killed}/{total} killed ({100 * killed / max(total, 1):.0f} %)", flush=True)
        for line, description in survivors:
            print(f"  survivor {module_path}:{line} {description}", flush=True)
    print("\nMutants killed / generated:")
    for module_path, (killed, total) in results.items():
        print(f"  {module_path:40} {killed:3}/{total:<3} {100 * killed / max(total, 1):5.1f} %")
    return 0 if all(k >= 0.9 * t for k, t in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
