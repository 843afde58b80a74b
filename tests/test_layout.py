"""The package's shape: import rules, no cycles, ruff, and a wheel that works on its own.

The import rules are checked on every import statement of the package, those inside functions
included (a lazy import is still a dependency):

1. only ``bot.slack`` imports the Slack libraries, and nothing of the core reaches ``bot.slack``;
2. ``bot.knowledge`` and ``bot.search`` never reach ``bot.answers``;
3. no module imports one that imports it back, however indirectly.
"""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "bot"
SLACK_LIBRARIES = ("slack_bolt", "slack_sdk")
# The entry points: the command dispatches `socbot serve` and `socbot report` to the Slack layer.
ENTRY_POINTS = ("bot.cli", "bot.__main__")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each module of the package and the modules it imports (absolute names)."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        name = _module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):  # imports for type checkers only are not dependencies
            if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
                node.body = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                found.add(base)
                found.update(f"{base}.{a.name}" for a in node.names)  # "from bot.search import cache"
        graph[name] = found
    modules = set(graph)
    return {name: {m for m in deps if m in modules or m.split(".")[0] in SLACK_LIBRARIES} - {name}
            for name, deps in graph.items()}


def _reach(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for dep in graph.get(todo.pop(), ()):
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


GRAPH = _imports()


def test_the_graph_sees_the_package():
    assert {"bot.answers.answerer", "bot.search.cache", "bot.knowledge", "bot.slack.app"} <= set(GRAPH)
    assert "bot.search.built" in GRAPH["bot.search.cache"]


def test_only_the_slack_layer_imports_slack():
    direct = sorted(m for m, deps in GRAPH.items() if not _in(m, "bot.slack")
                    and any(d.split(".")[0] in SLACK_LIBRARIES for d in deps))
    assert direct == []
    core = [m for m in GRAPH if not _in(m, "bot.slack") and m not in ENTRY_POINTS]
    reaching = sorted(m for m in core if any(_in(d, "bot.slack") or d.split(".")[0] in SLACK_LIBRARIES
                                             for d in _reach(GRAPH, m)))
    assert reaching == []


def test_knowledge_and_search_never_reach_answers():
    for module in GRAPH:
        if _in(module, "bot.knowledge") or _in(module, "bot.search"):
            assert not any(_in(d, "bot.answers") for d in _reach(GRAPH, module)), module


def test_no_module_imports_one_that_imports_it_back():
    cycles = sorted(m for m in GRAPH if m in _reach(GRAPH, m))
    assert cycles == []


def test_sub_packages_say_what_they_are_and_what_they_export():
    import importlib

    for name in ("bot", "bot.knowledge", "bot.search", "bot.answers", "bot.slack", "bot.bench"):
        module = importlib.import_module(name)
        assert module.__doc__ and module.__doc__.strip(), name
        assert isinstance(module.__all__, list), name
        for exported in module.__all__:
            assert getattr(module, exported) is not None, f"{name}.{exported}"


def test_ruff_finds_nothing():
    try:
        import ruff  # noqa: F401
    except ImportError:
        pytest.skip("ruff is not installed (pip install -e '.[test]' installs it)")
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", str(ROOT)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


# -- the wheel --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy of what the wheel is made of: a stale build/ in the checkout is not used.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for name in ("bot", "knowledge"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    [built] = out.glob("socbot-*.whl")
    return built


def test_the_wheel_holds_the_package_and_its_knowledge_but_no_test_code(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "bot/bundled/soc-reports.yaml" in names and "bot/data/answer_model.json" in names
    assert not [n for n in names if "standin" in n or "harness" in n or n.startswith("tests/")]


def test_the_installed_wheel_answers_from_any_directory(wheel, tmp_path):
    """pip install of the wheel into a fresh venv, then `socbot ask` and `socbot check` from a
    directory that is not the checkout. The venv borrows this interpreter's installed
    dependencies through a .pth file (no download), but not socbot itself."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "borrowed-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                           "--no-index", "--quiet", str(wheel)], capture_output=True, text=True, timeout=600)
    if done.returncode != 0 and "no such option: --python" in done.stderr:
        pytest.skip("this pip cannot install into another environment (pip >= 22.3 can)")
    assert done.returncode == 0, done.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOCBOT_", "PYTHON"))}
    env["SOCBOT_CACHE_DIR"] = "off"
    socbot = shutil.which("socbot", path=str(bindir))
    assert socbot, "the wheel installs the socbot command"
    where = subprocess.run([str(python), "-c", "import bot.knowledge as k; print(k.DEFAULT_KNOWLEDGE)"],
                           capture_output=True, text=True, cwd=elsewhere, env=env, timeout=120)
    assert str(ROOT) not in where.stdout and "bundled" in where.stdout, where.stdout + where.stderr
    asked = subprocess.run([socbot, "ask", "Which report covers availability?"], capture_output=True, text=True,
                           cwd=elsewhere, env=env, timeout=300)
    assert asked.returncode == 0, asked.stderr[-3000:]
    assert "Reports: SOC 2" in asked.stdout
    checked = subprocess.run([socbot, "check"], capture_output=True, text=True, cwd=elsewhere, env=env, timeout=300)
    assert checked.returncode == 0 and "ok: every file is valid" in checked.stdout, checked.stdout + checked.stderr



def test_a_heroku_style_buildpack_installs_the_project():
    # The buildpack installs requirements.txt: it must install this project, not in editable
    # mode (the knowledge comes from the package).
    lines = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    assert [line for line in lines if line] == ["."]
    procfile = dict(line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())
    assert set(procfile) == {"web", "worker"} and "$PORT" in procfile["web"]
