"""Module dependency resolution: which modules to load, in which order."""


class DependencyError(Exception):
    pass


def closure(names, manifests):
    """`names` plus everything they depend on, transitively. Missing modules are errors."""
    result = set()
    stack = list(names)
    while stack:
        name = stack.pop()
        if name in result:
            continue
        manifest = manifests.get(name)
        if manifest is None:
            raise DependencyError(f"module {name}: not found in the addons paths")
        if not manifest.get("installable", True):
            raise DependencyError(f"module {name}: not installable")
        result.add(name)
        for dep in manifest["depends"]:
            if dep not in manifests:
                raise DependencyError(f"module {name} depends on {dep}, which is not available")
            stack.append(dep)
    return result


def add_auto_install(selected, manifests, installed=()):
    """Adds auto_install modules whose trigger dependencies are all selected or installed."""
    selected = set(selected)
    changed = True
    while changed:
        changed = False
        present = selected | set(installed)
        for name, manifest in manifests.items():
            trigger = manifest.get("auto_install")
            if name in present or not trigger or not manifest.get("installable", True):
                continue
            if trigger <= present and all(d in manifests for d in manifest["depends"]):
                selected |= closure([name], manifests)
                changed = True
    return selected


def order(names, manifests):
    """Topological order (dependencies first, ties by depth then name, like Odoo's graph).
    A cycle is an error."""
    names = set(names)
    depth = {}
    visiting = set()

    def visit(name, path):
        if name in depth:
            return depth[name]
        if name in visiting:
            cycle = " -> ".join(path + [name])
            raise DependencyError(f"circular dependency: {cycle}")
        visiting.add(name)
        deps = [d for d in manifests[name]["depends"] if d in names]
        level = 1 + max((visit(d, path + [name]) for d in deps), default=-1)
        visiting.discard(name)
        depth[name] = level
        return level

    for name in sorted(names):
        visit(name, [])
    return sorted(names, key=lambda n: (depth[n], n))
