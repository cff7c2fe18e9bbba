"""The lint's cycle contract finds a cycle between modules, however long, and nothing else."""

import grimp
from importlinter.domain.contract import ContractCheck

from tests.lint.import_cycles import AcyclicModulesContract


def check(imports: list[tuple[str, str]]) -> ContractCheck:
    graph = grimp.ImportGraph()
    for module in ("app", "app.a", "app.b", "app.c", "app.d", "other"):
        graph.add_module(module)
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported)
    contract = AcyclicModulesContract(
        name="no cycles", session_options={}, contract_options={"containers": ["app"]}
    )
    return contract.check(graph, verbose=False)


def test_a_chain_of_imports_is_no_cycle():
    assert check([("app.a", "app.b"), ("app.b", "app.c"), ("app", "app.a")]).kept


def test_a_cycle_through_three_modules_is_reported_once_with_its_chain():
    result = check([("app.a", "app.b"), ("app.b", "app.c"), ("app.c", "app.a"), ("app.d", "app.a")])
    assert not result.kept
    assert result.metadata["cycles"] == [("app.a", "app.b", "app.c", "app.a")]


def test_modules_outside_the_containers_are_not_checked():
    assert check([("other", "app.a"), ("app.a", "other")]).kept
