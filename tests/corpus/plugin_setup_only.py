"""The control: a helper module that builds a plugin object and registers a command on it
at import (set-up, for whoever imports it), but never starts it: no script-level finding."""
from launcherkit import Plugin


class Shout(Plugin):
    def query(self, text: str) -> list[dict[str, str]]:
        return [{"title": text.upper(), "subtitle": "shouted"}]


shout = Shout()
shout.register("shout", Shout.query)
shout.settings.update({"prefix": "!"})
