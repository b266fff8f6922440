"""The public surface and the import rules of ARCHITECTURE.md / docs/decisions/0001."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import paxscreen as px

SRC = Path(px.__file__).parent


def test_public_names() -> None:
    assert sorted(px.__all__) == sorted(
        [
            "ConfigError",
            "ParseError",
            "ParseOptions",
            "ParsedManifest",
            "PaxscreenError",
            "SchemaError",
            "ScreenConfig",
            "ScreenResult",
            "Screener",
            "__version__",
            "parse_manifest",
            "parse_mrz",
            "parse_ssr_docs",
            "read_documents",
            "read_manifest",
            "read_watchlist",
            "transliterate_icao",
            "write_mrz",
            "write_paxlst",
        ]
    )
    for name in px.__all__:
        assert hasattr(px, name), name


def test_contract_signatures() -> None:
    parameters = inspect.signature(px.parse_manifest).parameters
    assert list(parameters)[:3] == ["source", "format", "strict"]
    assert parameters["options"].kind is inspect.Parameter.KEYWORD_ONLY
    assert issubclass(px.ParseError, ValueError) and issubclass(px.ParseError, px.PaxscreenError)
    assert issubclass(px.SchemaError, px.PaxscreenError)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_lower_layers_never_import_higher_ones() -> None:
    forbidden_everywhere = {"hypothesis", "pytest", "click"}
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).as_posix()
        imports = _imports(path)
        assert not imports & forbidden_everywhere, relative
        if relative in ("__init__.py", "__main__.py", "cli.py"):
            continue
        assert "paxscreen" not in imports, f"{relative} imports the root package"
        assert "paxscreen.cli" not in imports, relative
        if not relative.startswith("synth/"):
            assert not {m for m in imports if m.startswith("paxscreen.synth")}, relative
        if relative.startswith("formats/") or relative in (
            "errors.py",
            "config.py",
            "schema.py",
            "_dates.py",
            "_countries.py",
        ):
            assert not {
                m
                for m in imports
                if m.startswith(("paxscreen.normalize", "paxscreen.index", "paxscreen.screen"))
            }, relative
        if relative in ("errors.py", "_dates.py", "_countries.py"):
            assert not {m for m in imports if m.startswith("paxscreen.formats")}, relative


def test_import_paxscreen_does_not_load_the_generator() -> None:
    import subprocess
    import sys

    code = "import sys, paxscreen; print('paxscreen.synth' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
