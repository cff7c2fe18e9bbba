"""An import-linter contract: no import cycle between the modules of the given packages.

import-linter's own `acyclic_siblings` compares packages (a domain of services importing
another and back is a cycle there); what breaks a Python program is a cycle between modules,
which this contract reports with the chain that closes it. Imports inside functions count.
"""

from __future__ import annotations

import grimp
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class AcyclicModulesContract(Contract):
    type_name = "acyclic_modules"

    containers = fields.SetField(subfield=fields.ModuleField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        modules: set[str] = set()
        for container in self.containers:  # type: ignore[attr-defined]
            modules |= {container.name, *graph.find_descendants(container.name)}
        cycles: dict[frozenset[str], tuple[str, ...]] = {}
        for module in sorted(modules):
            for imported in sorted(graph.find_modules_directly_imported_by(module)):
                if imported not in modules or imported == module:
                    continue
                back = graph.find_shortest_chain(importer=imported, imported=module)
                if back:
                    cycle = (module, *back)
                    cycles.setdefault(frozenset(cycle), cycle)
        return ContractCheck(kept=not cycles, metadata={"cycles": sorted(cycles.values())})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error(" -> ".join(cycle))
            output.new_line()
