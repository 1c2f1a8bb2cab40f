"""The dependency rule of ARCHITECTURE.md, checked against the imports actually written in gmmp/.

The table "What each app may import" is read from ARCHITECTURE.md; the imports are read with `ast` from
every module (migrations excepted: they name models, they do not call code). `core` may be imported by
every app; anything else must be listed.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GMMP = ROOT / "gmmp"
ENGINE = "identification.engine"


def _app_of(parts: tuple[str, ...], gmmp: Path = GMMP) -> str | None:
    """The app a module path inside gmmp belongs to ("identification.engine" counts as its own)."""
    if not parts or not (gmmp / parts[0]).is_dir():
        return None
    if parts[:2] == ("identification", "engine"):
        return ENGINE
    return parts[0]


def allowed_imports() -> dict[str, set[str]]:
    text = (ROOT / "ARCHITECTURE.md").read_text()
    table = text.split("What each app may import", 1)[1].split("\n\n", 2)[1]
    rules: dict[str, set[str]] = {}
    domain: set[str] = set()
    for line in table.splitlines()[2:]:
        app_cell, allowed_cell = [cell.strip() for cell in line.strip("|").split("|")]
        app = app_cell.strip("`")
        rules[app] = set(re.findall(r"`([\w.]+)`", allowed_cell.split("(not")[0]))
        if "every domain app" in allowed_cell:
            rules[app] = {"*"} | {f"-{name}" for name in re.findall(r"`([\w.]+)`", allowed_cell)}
        else:
            domain.add(app)
    for app, allowed in rules.items():
        if "*" in allowed:
            rules[app] = domain - {name[1:] for name in allowed if name.startswith("-")}
    return rules


def actual_imports(gmmp: Path = GMMP) -> dict[str, dict[str, str]]:
    """app -> {imported app: the first module that imports it}."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted(gmmp.rglob("*.py")):
        rel = path.relative_to(gmmp)
        if "migrations" in rel.parts:
            continue
        source = _app_of(rel.parts[:-1] if len(rel.parts) > 1 else (), gmmp)
        if source is None:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    package = rel.parts[: len(rel.parts) - node.level]
                    names = [".".join(("gmmp", *package, *([node.module] if node.module else [])))]
                else:
                    names = [node.module or ""]
            else:
                continue
            for name in names:
                parts = tuple(name.split("."))
                if parts[0] != "gmmp":
                    continue
                target = _app_of(parts[1:], gmmp)
                if target and target != source:
                    found.setdefault(source, {}).setdefault(target, str(rel))
    return found


def violations(found: dict[str, dict[str, str]], rules: dict[str, set[str]]) -> list[str]:
    return [
        f"{source} imports {target} ({module})"
        for source, targets in found.items()
        for target, module in targets.items()
        if target != "core" and target not in rules.get(source, set())
    ]


def test_the_architecture_table_names_every_app():
    apps = {p.name for p in GMMP.iterdir() if (p / "__init__.py").exists()}
    assert set(allowed_imports()) == apps | {ENGINE}


def test_no_app_imports_what_the_dependency_rule_forbids():
    assert violations(actual_imports(), allowed_imports()) == []


def test_core_and_the_engine_import_no_other_app():
    found = actual_imports()
    assert found.get("core", {}) == {}
    assert found.get(ENGINE, {}) == {}


def test_the_engine_imports_no_django():
    offenders = [
        str(path.relative_to(GMMP))
        for path in (GMMP / "identification" / "engine").rglob("*.py")
        if re.search(r"^\s*(from|import) django\b", path.read_text(), re.M)
    ]
    assert offenders == []


def test_the_check_reports_a_domain_app_importing_the_web_layer(tmp_path):
    for package in ("cases", "www", "documents"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "cases" / "views.py").write_text(
        "from gmmp.www import navigation\nfrom ..documents import x\n"
    )
    found = actual_imports(tmp_path)
    assert violations(found, allowed_imports()) == [
        "cases imports www (cases/views.py)",
        "cases imports documents (cases/views.py)",
    ]
