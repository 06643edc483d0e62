"""Imports between the apps go one way only (docs/architecture.md).

Every module of every app is parsed with `ast` (never imported) and every
import in it (at module level, under `if`, `try` and class bodies, and inside
functions: an import put off to run time is still a dependency) is mapped to
the app it reaches. The test fails when an app imports one it may not, when
the site's foundation imports an app, when an app reaches the layers above it
other than from its edges, or when the imports make a cycle between apps.
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

# Above the apps, two layers may import any app: `publishing`, which writes
# meetings (every path a clerk takes goes through its operations) and holds
# the list of what is content; and the site layer of smp_site, which ties the
# apps together (the URLconf, the site-wide pages and those that show several
# apps' records, staff sign-in, the sitemaps). Every other smp_site module is
# the foundation the apps build on (the page cache, the content registry,
# dates, background jobs, template tags...) and imports no app, so that any
# app may import it.
UPPER_LAYERS = {"publishing"}
SITE_LAYER = {
    "smp_site.urls",
    "smp_site.views",
    "smp_site.partnership_pages",
    "smp_site.staff_sign_in",
    "smp_site.admin_site",
    "smp_site.seo",
}

# An app reaches the layers above only from its edges (its admin, views,
# the minutes editor and management commands), which run once every app is
# loaded and which nothing in the apps imports in turn: a clerk's page writes
# a meeting through publishing.operations.
FOR_APP_EDGES = {"publishing.operations"}

# Known exceptions, each with its reason: (importing module, imported module).
KNOWN_EXCEPTIONS = {
    # The seed meetings are published through the operations like a clerk's,
    # so that their search entries, feed publications and cached pages are
    # made the one way. The module is only ever imported by the
    # load_initial_content management command (by name, at run time).
    ("meetings.initial_content", "publishing.operations"),
    # Imports write a meeting through the operations too; the importer is
    # run only by the import commands and the admin's import view.
    ("meetings.importers.save", "publishing.operations"),
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
    # "from publishing import operations" may name a module: keep the name.
    return [f"{target}.{alias.name}" for alias in node.names]


def imports_of(module, path):
    """Every module `module` imports, wherever the import stands."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.extend(resolve(module, path, node))
    return found


def app_of(module):
    top = module.split(".")[0]
    return top if top in APPS or top == "smp_site" or top in UPPER_LAYERS else None


def layer_module(imported):
    """The module of a layer an import reaches (smp_site.seo for "from
    smp_site import seo" and "from smp_site.seo import robots_txt")."""
    return ".".join(imported.split(".")[:2])


def is_app_edge(module):
    """An app's admin, views, minutes editor or management commands."""
    parts = module.split(".")
    return (
        parts[-1] in {"admin", "views"}
        or parts[-1].endswith("_views")
        or {"views", "editor"} & set(parts[1:])
        or parts[1:3] == ["management", "commands"]
    )


def import_graph():
    """{(importing app, imported app): [(module, imported module), ...]} for
    the apps, and the violations of the rules above."""
    edges, violations = {}, []
    for package in [*APPS, "smp_site", *UPPER_LAYERS]:
        for module, path in app_modules(package):
            for imported in imports_of(module, path):
                target = app_of(imported)
                if target is None or target == package:
                    continue
                if package in UPPER_LAYERS:
                    continue  # above every app: it may import any
                if target in UPPER_LAYERS or (target == "smp_site" and layer_module(imported) in SITE_LAYER):
                    name = layer_module(imported)
                    if (module, name) in KNOWN_EXCEPTIONS:
                        continue
                    if name in FOR_APP_EDGES and is_app_edge(module):
                        continue
                    if package == "smp_site" and layer_module(module) in SITE_LAYER:
                        continue
                    violations.append(f"{module} imports the layer above the apps: {imported}")
                    continue
                if target == "smp_site":
                    continue  # the foundation: any app may import it
                if package == "smp_site":
                    if (module, imported) in KNOWN_EXCEPTIONS:
                        continue
                    if layer_module(module) not in SITE_LAYER:
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
    assert ("meetings.models.meetings", "partnerships.models.Partnership") in edges[
        ("meetings", "partnerships")
    ]


def graph_with(tmp_path, monkeypatch, app, files):
    """The import graph, with `app` made of these files ({name: source})
    instead of its own."""
    package = tmp_path / app
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, source in files.items():
        (package / name).write_text(source)
    monkeypatch.setattr(
        sys.modules[__name__],
        "app_modules",
        lambda name: (
            [(module_name_in(tmp_path, path), path) for path in sorted(package.rglob("*.py"))]
            if name == app
            else list(original_app_modules(name))
        ),
    )
    return import_graph()


def test_a_backward_import_is_caught(tmp_path, monkeypatch):
    """partnerships importing meetings would make a cycle with meetings'
    imports of partnerships: the rule names it."""
    edges, violations = graph_with(
        tmp_path,
        monkeypatch,
        "partnerships",
        {
            "models.py": "from meetings.models import Meeting\n",
            "views.py": "def later():\n    from meetings.models import Meeting\n",
        },
    )
    # An import put off into a function is a dependency all the same.
    assert violations == [
        "partnerships.models imports meetings.models.Meeting: partnerships may not import meetings",
        "partnerships.views imports meetings.models.Meeting: partnerships may not import meetings",
    ]
    assert find_cycle(edges) is not None


def test_an_app_reaching_the_layer_above_outside_its_edges_is_caught(tmp_path, monkeypatch):
    """A model writing a meeting through publishing would make the apps depend
    on the layer above them; its admin may (an edge of the app)."""
    _, violations = graph_with(
        tmp_path,
        monkeypatch,
        "meetings",
        {
            "models.py": "def later():\n    from publishing import operations\n",
            "admin.py": "from publishing import operations\n",
        },
    )
    assert violations == ["meetings.models imports the layer above the apps: publishing.operations"]


def module_name_in(root, path):
    return ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")


original_app_modules = app_modules
