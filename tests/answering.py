"""Valid answers for any step, as a phone would send them: used by tests that run whole protocols."""

from typing import Any


def value_for(step: dict[str, Any], system_goals: list[dict[str, Any]], author: int, marker: str = "") -> Any:
    """A valid value for ``step`` (a step as the ``state`` event shows it), different for each ``author``."""
    kind = step["kind"]
    text = f"{marker}answer {author} to {step['id']}"
    if kind == "text":
        return text
    if kind == "list":
        count = max(step["min_items"], min(step["max_items"], 1 + author % 3))
        if step.get("dated"):
            return [{"text": f"{text} item {n}", "date": f"2027-0{1 + n}-1{n}"} for n in range(1, count + 1)]
        return [f"{text} item {n}" for n in range(1, count + 1)]
    if kind == "choice":
        ids = [option["id"] for option in step["options"]]
        return ids[: 1 + author % len(ids)] if step["multiple"] else ids[author % len(ids)]
    if kind == "scale":
        return step["min"] + author % (step["max"] - step["min"] + 1)
    if kind == "goal":
        return system_goals[author % len(system_goals)]["id"]
    if kind == "rank":
        ids = [option["id"] for option in step["options"]]
        return ids[author % len(ids) :] + ids[: author % len(ids)]
    if kind == "date":
        return f"2027-01-{10 + author % 18:02d}"
    raise AssertionError(f"no answer for a {kind!r} step")
