"""Key spelling shared by every settings model: TOML and JSON keys are kebab-case."""


def to_kebab(name: str) -> str:
    return name.replace("_", "-")
