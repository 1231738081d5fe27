"""An observable analyzer of an incident-response platform: the framework's base class
reads the job (JSON on stdin) when the object is made, and `report()` / `error()` print the
JSON result. The script subclasses it and runs it; it never touches stdin or stdout."""
from cortexutils.analyzer import Analyzer


class WordCount(Analyzer):
    def __init__(self) -> None:
        Analyzer.__init__(self)
        self.limit = self.get_param("config.limit", 1000)

    def run(self) -> None:
        if self.data_type != "other":
            self.error("only free text is counted")
        words = str(self.get_data()).split()
        self.report({"words": min(len(words), self.limit)})

    def summary(self, raw: dict) -> dict:
        return {"taxonomies": [self.build_taxonomy("info", "Count", "Words", raw["words"])]}


if __name__ == "__main__":
    WordCount().run()
