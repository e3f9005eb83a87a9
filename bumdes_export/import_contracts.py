"""An import-linter contract: no import circle between any two modules of the given packages.

Every import statement counts: those at the top of a module, inside functions and under
``TYPE_CHECKING`` alike (grimp records them all), so an import moved into a function to dodge a
circle still breaks the contract. Each circle is reported once, with the line of every import in it.
"""

from __future__ import annotations

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def _circles(graph: ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    edges = {
        m: sorted(graph.find_modules_directly_imported_by(m) & modules) for m in sorted(modules)
    }
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            recurse = False
            for j in range(i, len(edges[node])):
                nxt = edges[node][j]
                if nxt not in index:
                    work.append((node, j + 1))
                    work.append((nxt, 0))
                    recurse = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if recurse:
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return sorted(found)


class NoImportCirclesContract(Contract):
    type_name = "no_import_circles"

    packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        modules = {
            module
            for package in self.packages  # type: ignore[attr-defined]
            for module in {package, *graph.find_descendants(package)}
        }
        circles = _circles(graph, modules)
        details = []
        for circle in circles:
            members = set(circle)
            imports = []
            for importer in circle:
                for imported in sorted(graph.find_modules_directly_imported_by(importer) & members):
                    lines = [
                        d["line_number"]
                        for d in graph.get_import_details(importer=importer, imported=imported)
                    ]
                    imports.append((importer, imported, lines))
            details.append({"modules": circle, "imports": imports})
        return ContractCheck(kept=not circles, metadata={"circles": details})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for circle in check.metadata["circles"]:
            output.print_error(f"Import circle between {', '.join(circle['modules'])}:")
            for importer, imported, lines in circle["imports"]:
                where = ", ".join(f"l.{n}" for n in lines)
                output.print_error(f"-   {importer} -> {imported} ({where})", bold=False)
            output.new_line()
