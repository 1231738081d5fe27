"""Text for people, made for the scripts beside it: a helper module, imported, never run."""


def status_line(inputs):
    return f"greeting {inputs.get('name', 'World')}"


def result_of(inputs):
    return {"success": True, "name": inputs.get("name", "World")}
