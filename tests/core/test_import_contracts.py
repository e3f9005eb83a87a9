"""The no-import-circle contract finds every circle, however long, and nothing else."""

from __future__ import annotations

import grimp

from bumdes_export.import_contracts import NoImportCirclesContract


def graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    g = grimp.ImportGraph()
    g.add_module("app")
    for importer, imported in imports:
        g.add_import(importer=importer, imported=imported, line_number=1, line_contents="import")
    return g


def check(g: grimp.ImportGraph):
    contract = NoImportCirclesContract(
        name="no circles", session_options={}, contract_options={"packages": ["app"]}
    )
    return contract.check(g, verbose=False)


def test_a_circle_through_three_modules_breaks_the_contract():
    result = check(graph(("app.a", "app.b"), ("app.b", "app.c"), ("app.c", "app.a")))
    assert not result.kept
    assert [c["modules"] for c in result.metadata["circles"]] == [["app.a", "app.b", "app.c"]]


def test_imports_that_go_one_way_keep_it():
    result = check(graph(("app.a", "app.b"), ("app.b", "app.c"), ("app.a", "app.c")))
    assert result.kept and result.metadata["circles"] == []
