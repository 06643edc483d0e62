"""Imports between the apps go one way only (docs/architecture.md).

Every module of every app is parsed with `ast` (never imported) and its
module-level imports (including those under `if`, `try` and class bodies, not
those inside functions) are mapped to the app they reach. The test fails when
an app imports one it may not, when the site layer's foundation modules import
an app, or when the imports make a cycle between apps.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Which apps each app may import. partnerships <- meetings <- search, follow:
# a meeting belongs to a partnership; search indexes meetings; follow alerts on
# meetings, on saved searches and on open consultations. consultation and
# glossary stand alone. api and the site layer (smp_site) may import any app.
APPS = ["partnerships", "meetings", "consultation", "glossary", "search", "follow", "api"]
ALLOWED = {
    "partnerships": set(),
    # The glossary imports no app: marking its terms up where minutes are
    # rendered cannot make a cycle.
    "meetings": {"partnerships", "glossary"},
    "consultation": set(),
    "glossary": set(),
    "search": {"partnerships", "meetings", "glossary"},
    "follow": {"partnerships", "meetings", "search", "consultation"},
    "api": {"partnerships", "meetings", "consultation", "glossary", "search", "follow"},
}

# smp_site is two layers. Its site layer ties the apps together (the URLconf,
# the site-wide pages, the meeting lifecycle and its effects, staff sign-in,
# the sitemaps of every app's pages) and may import any app. Every other
# smp_site module is the foundation the apps build on (the page cache, dates,
# background jobs, template tags...) and must import no app, so that any app
# may import it.
SITE_LAYER = {
    "smp_site.urls",
    "smp_site.views",
    "smp_site.lifecycle",
    "smp_site.staff_sign_in",
    "smp_site.admin_site",
    "smp_site.seo",
}

# The site layer's modules an app may import, and from where: only from the
# edges of an app (its admin, views and management commands), which run once
# every app is loaded and which nothing in the apps imports in turn. (The page
# cache, smp_site.page_cache, is foundation: any module may use it.)
SITE_LAYER_FOR_APPS = {"smp_site.lifecycle"}

# Known exceptions, each with its reason: (importing module, imported module).
KNOWN_EXCEPTIONS = {
    # The seed meetings are published through the lifecycle like a clerk's,
    # so that their search entries, feed publications and cached pages are
    # made the one way. The module is only ever imported by the
    # load_initial_content management command (by name, at run time).
    ("meetings.initial_content", "smp_site.lifecycle"),
    # The minutes editor is a staff admin view (an edge of the app, as its
    # admin is): its publish buttons take the meeting through the one path.
    ("meetings.editor", "smp_site.lifecycle"),
    # Imports reach the state the source gives through the one path too; the
    # importer is run only by the import commands and the admin's import view.
    ("meetings.importers.save", "smp_site.lifecycle"),
    # The paragraphs tags mark glossary terms up where text is rendered; the
    # glossary imports no app, so nothing can come back round to the site.
    ("smp_site.templatetags.site_tags", "glossary.markup.first_uses"),
}


def module_name(path):
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def app_modules(package):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" not in path.parts:
            yield module_name(path), path


def resolve(module, path, node):
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        target = node.module
    else:
        package = module.split(".")
        if path.name != "__init__.py":
            package = package[:-1]
        base = package[: len(package) - node.level + 1]
        target = ".".join(base + ([node.module] if node.module else []))
    # "from smp_site import lifecycle" may name a module: keep the name.
    return [f"{target}.{alias.name}" for alias in node.names]


def module_level_imports(module, path):
    """The modules imported at module level (not inside functions)."""
    found = []

    def walk(statements):
        for node in statements:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.extend(resolve(module, path, node))
                continue
            for field in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, field, None)
                if isinstance(children, list):
                    walk(children)

    walk(ast.parse(path.read_text(), filename=str(path)).body)
    return found


def app_of(module):
    top = module.split(".")[0]
    return top if top in APPS or top == "smp_site" else None


def site_module(imported):
    """The smp_site module an import reaches (smp_site.lifecycle for
    "from smp_site import lifecycle" and "from smp_site.lifecycle import apply")."""
    return ".".join(imported.split(".")[:2])


def is_app_edge(module):
    """An app's admin, views or management commands."""
    parts = module.split(".")
    return (
        parts[-1] in {"admin", "views"}
        or parts[-1].endswith("_views")
        or "views" in parts[1:-1]
        or parts[1:3] == ["management", "commands"]
    )


def import_graph():
    """{(importing app, imported app): [(module, imported module), ...]} for
    the apps, and the violations of the rules above."""
    edges, violations = {}, []
    for package in [*APPS, "smp_site"]:
        for module, path in app_modules(package):
            for imported in module_level_imports(module, path):
                target = app_of(imported)
                if target is None or target == package:
                    continue
                if target == "smp_site":
                    name = site_module(imported)
                    if name not in SITE_LAYER:
                        continue  # the foundation: any app may import it
                    if (module, name) in KNOWN_EXCEPTIONS:
                        continue
                    if name in SITE_LAYER_FOR_APPS and is_app_edge(module):
                        continue
                    violations.append(f"{module} imports the site layer's {imported}")
                    continue
                if package == "smp_site":
                    if (module, imported) in KNOWN_EXCEPTIONS:
                        continue
                    if site_module(module) not in SITE_LAYER:
                        violations.append(f"{module} (the foundation) imports the app {imported}")
                    continue
                edges.setdefault((package, target), []).append((module, imported))
                if target not in ALLOWED[package]:
                    violations.append(f"{module} imports {imported}: {package} may not import {target}")
    return edges, violations


def find_cycle(edges):
    graph = {}
    for source, target in edges:
        graph.setdefault(source, set()).add(target)
    state = {}

    def visit(node, trail):
        state[node] = "open"
        for following in sorted(graph.get(node, ())):
            if state.get(following) == "open":
                return (
                    [*trail[trail.index(following) :], following] if following in trail else [node, following]
                )
            if following not in state:
                cycle = visit(following, [*trail, following])
                if cycle:
                    return cycle
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state:
            cycle = visit(start, [start])
            if cycle:
                return cycle
    return None


def test_the_allowed_directions_make_no_cycle():
    assert find_cycle([(a, b) for a, targets in ALLOWED.items() for b in targets]) is None


def test_apps_import_each_other_one_way_only():
    edges, violations = import_graph()
    assert violations == []
    cycle = find_cycle(edges)
    assert cycle is None, " -> ".join(cycle)


def test_the_rules_see_the_imports_they_govern():
    """The parser finds the imports that exist (a walker that saw none would
    pass every rule)."""
    edges, _ = import_graph()
    assert ("meetings", "partnerships") in edges
    assert ("search", "meetings") in edges
    assert ("follow", "search") in edges
    assert ("meetings.models", "partnerships.models.Partnership") in edges[("meetings", "partnerships")]


def test_a_backward_import_is_caught(tmp_path, monkeypatch):
    """partnerships importing meetings would make a cycle with meetings'
    imports of partnerships: the rule names it."""
    package = tmp_path / "partnerships"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text("from meetings.models import Meeting\n")
    (package / "views.py").write_text("def later():\n    from meetings.models import Meeting\n")
    monkeypatch.setattr(
        sys.modules[__name__],
        "app_modules",
        lambda name: (
            [(module_name_in(tmp_path, path), path) for path in sorted(package.rglob("*.py"))]
            if name == "partnerships"
            else list(original_app_modules(name))
        ),
    )
    edges, violations = import_graph()
    assert violations == [
        "partnerships.models imports meetings.models.Meeting: partnerships may not import meetings"
    ]
    assert find_cycle(edges) is not None


def module_name_in(root, path):
    return ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")


original_app_modules = app_modules
